package io.rollcall.support;

import java.nio.file.Path;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that need the whole service: the real application on a random port, on the bundled
 * PostgreSQL (a fresh data directory per test run), sending mail to an in-process SMTP server (GreenMail).
 * All subclasses share one application context; each test makes its own company, so tests never see each
 * other's data.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@org.springframework.context.annotation.Import(IntegrationTest.TestSources.class)
public abstract class IntegrationTest {

	/** Sources only tests have. */
	@org.springframework.boot.test.context.TestConfiguration(proxyBeanMethods = false)
	public static class TestSources {

		@org.springframework.context.annotation.Bean
		ScriptedSource scriptedSource() {
			return new ScriptedSource();
		}

		/** Replaces the system clock, so that tests can move time for what runs on a schedule. */
		@org.springframework.context.annotation.Bean
		@org.springframework.context.annotation.Primary
		TestClock testClock() {
			return new TestClock();
		}

	}

	public static final String OPERATOR_TOKEN = "test-operator-token-0123456789";

	protected static final GreenMail MAIL = startMail();

	private static final Path DATA_DIR = tempDir();

	@LocalServerPort
	protected int port;

	protected RollcallClient client;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("rollcall.data-dir", DATA_DIR::toString);
		registry.add("rollcall.database.durable", () -> "false");
		registry.add("rollcall.operator-token", () -> OPERATOR_TOKEN);
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", () -> MAIL.getSmtp().getPort());
		registry.add("rollcall.entra.photo-poll", () -> "300ms");
		// Webhook receivers of the tests run on loopback; WebhookAddressTests turns the refusal on where it tests it.
		registry.add("rollcall.webhooks.allow-private-addresses", () -> "true");
		// Event and notification workers are woken as work arrives; a poll this rare proves no test waits for it.
		registry.add("rollcall.okta.events-fallback-poll", () -> "10m");
		registry.add("rollcall.entra.notifications-fallback-poll", () -> "10m");
		// Failed runs come back quickly, so that tests of outages see the recovery within seconds.
		registry.add("rollcall.sync.retry.first-delay", () -> "300ms");
		registry.add("rollcall.sync.retry.max-delay", () -> "2s");
		// A webhook refused for want of a turn is caught up a second later, not a minute.
		registry.add("rollcall.webhooks.receivers.catch-up-after", () -> "1s");
		// No balancer to drain at the end of the run: contexts close at once.
		registry.add("rollcall.shutdown.drain", () -> "0s");
	}

	@BeforeEach
	void client() {
		this.client = new RollcallClient(this.port);
	}

	private static GreenMail startMail() {
		GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		mail.start();
		Runtime.getRuntime().addShutdownHook(new Thread(mail::stop));
		return mail;
	}

	/** Starts another node on this one's database, with more arguments if given; close it at the end of the test. */
	protected SecondNode startSecondNode(javax.sql.DataSource dataSource, String... arguments) {
		return SecondNode.start(dataSource, DATA_DIR, MAIL.getSmtp().getPort(), arguments);
	}

	private static Path tempDir() {
		return TempDirs.create("rollcall-test-");
	}

}
