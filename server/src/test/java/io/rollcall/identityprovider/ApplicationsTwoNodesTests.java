package io.rollcall.identityprovider;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import io.rollcall.identityprovider.Applications.NewApplication;
import io.rollcall.identityprovider.Applications.RegisteredApplication;
import io.rollcall.platform.Actor;
import io.rollcall.support.CodeFlow;
import io.rollcall.support.Eventually;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.SecondNode;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application's secret rotated or the application deleted through one node is refused by another at once, though
 * that node keeps the registrations it read for {@link CachedRegisteredClients#FRESH}.
 */
class ApplicationsTwoNodesTests extends IntegrationTest {

	@Autowired
	private DataSource dataSource;

	@Autowired
	private Applications applications;

	@Test
	void rotateAndDeleteWhenClientJustAuthenticatedOnAnotherNodeThenThatNodeRefusesTheOldSecretAtOnce() {
		TestCompany acme = this.client.createCompany();
		RegisteredApplication app = this.applications.register(acme.id(),
				new NewApplication("Intranet", List.of("http://intranet.localhost/cb"), null, null,
						"client_secret_basic"),
				Actor.system());
		try (SecondNode b = startSecondNode(this.dataSource)) {
			CodeFlow onB = new CodeFlow(b.port(), acme, app.clientId(), "http://intranet.localhost/cb");
			long read = System.nanoTime();
			// Client authentication of the introspection: B reads the registration, and keeps it.
			assertThat(onB.introspect("unknown", app.clientSecret()).statusCode()).isEqualTo(200);

			String rotated = this.applications.rotateSecret(acme.id(), app.id(), Actor.system()).clientSecret();

			Eventually.await(Duration.ofMillis(200), () -> onB.introspect("unknown", app.clientSecret())
				.statusCode() == 401);
			assertThat(onB.introspect("unknown", rotated).statusCode()).isEqualTo(200);
			this.applications.delete(acme.id(), app.id(), Actor.system());
			Eventually.await(Duration.ofMillis(200), () -> onB.introspect("unknown", rotated).statusCode() == 401);
			assertThat(Duration.ofNanos(System.nanoTime() - read)).as("before B's registrations would go stale")
				.isLessThan(CachedRegisteredClients.FRESH);
		}
	}

}
