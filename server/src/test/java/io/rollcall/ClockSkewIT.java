package io.rollcall;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.rollcall.support.CodeFlow;
import io.rollcall.support.JarNode;
import io.rollcall.support.RollcallClient;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.TempDirs;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18: a node whose clock is minutes off. Two packaged {@code rollcall.jar} nodes share one PostgreSQL of the
 * test's own; the second runs under Debian's libfaketime, its clock five minutes ahead, read from a file the test
 * rewrites to set the clock right while the node runs. The skewed node must report itself not ready with the reason,
 * pick no job while a sync applies on the other node (which applies it once), deliver no webhook and send no
 * back-channel logout (each would be signed with its time), and come back by itself, delivering and sending what waited
 * and taking work, once its clock is right.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClockSkewIT {

	/** Debian's libfaketime ({@code faketime} package), which {@code ./rollcall test} installs. */
	private static final Path LIBFAKETIME = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1");

	private static final int PEOPLE = 5_000;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String OPERATOR_TOKEN = "skew-operator-token";

	private static final Pattern OFFSET = Pattern.compile("\"offsetMillis\":(-?\\d+)");

	private EmbeddedPostgres postgres;

	private JarNode normal;

	private JarNode skewed;

	private Process normalProcess;

	private Process skewedProcess;

	private Path fakeTime;

	/** The company's webhook receiver: each delivery's Standard Webhooks timestamp, and this JVM's time it arrived. */
	private com.sun.net.httpserver.HttpServer receiver;

	private final java.util.Map<String, long[]> deliveries = new java.util.concurrent.ConcurrentHashMap<>();

	/** The application's back-channel logouts, as the receiver got them. */
	private final List<Logout> logouts = new java.util.concurrent.CopyOnWriteArrayList<>();

	/** Where the nodes send invitations: a learner chooses a password through one before signing in. */
	private GreenMail mail;

	@BeforeAll
	void startNodes() throws Exception {
		assertThat(LIBFAKETIME).as("Debian's libfaketime; ./rollcall test installs it (apt-get install faketime)")
			.exists();
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		this.postgres = EmbeddedPostgres.builder()
			.setDataDirectory(TempDirs.create("rollcall-skew-postgres-"))
			.setPort(port)
			.setPGStartupWait(Duration.ofSeconds(60))
			.start();
		this.receiver = com.sun.net.httpserver.HttpServer
			.create(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
		this.receiver.createContext("/events", exchange -> {
			exchange.getRequestBody().readAllBytes();
			String id = exchange.getRequestHeaders().getFirst("webhook-id");
			String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
			if (id != null && timestamp != null) {
				this.deliveries.put(id, new long[] { Long.parseLong(timestamp), Instant.now().getEpochSecond() });
			}
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
		// The application's back-channel logout endpoint.
		this.receiver.createContext("/logout", exchange -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
			this.logouts.add(new Logout(CodeFlow.query(java.net.URI.create("http://x/?" + body)).get("logout_token"),
					Instant.now()));
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		this.receiver.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
		this.receiver.start();
		this.mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		this.mail.start();
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		// The webhook receiver is this test, on loopback.
		Map<String, String> settings = Map.of("ROLLCALL_DATABASE_URL",
				"jdbc:postgresql://localhost:" + port + "/postgres", "ROLLCALL_DATABASE_USER", "postgres",
				"ROLLCALL_DATABASE_PASSWORD", "", "ROLLCALL_SECRETS_KEY", Base64.getEncoder().encodeToString(key),
				"ROLLCALL_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", "true", "ROLLCALL_SMTP_HOST", "127.0.0.1",
				"ROLLCALL_SMTP_PORT", String.valueOf(this.mail.getSmtp().getPort()));
		this.normal = new JarNode("rollcall-skew-normal", OPERATOR_TOKEN, settings);
		this.normalProcess = this.normal.start();
		this.normal.awaitHealthy(this.normalProcess); // it migrates the database
		this.skewed = new JarNode("rollcall-skew-ahead", OPERATOR_TOKEN, settings);
		this.fakeTime = this.skewed.dataDir().resolve("faketime");
		Files.writeString(this.fakeTime, "+5m\n");
		// Read again each second, so that rewriting the file sets the running node's clock; the monotonic clock is left
		// alone, as NTP leaves it. Without FORCE_MONOTONIC_FIX=0 (on by default with Debian 12's glibc) every timed wait
		// of the JVM returns at once, and its housekeeping threads spin.
		this.skewedProcess = this.skewed.start(Map.of("LD_PRELOAD", LIBFAKETIME.toString(), "FAKETIME_TIMESTAMP_FILE",
				this.fakeTime.toString(), "FAKETIME_CACHE_DURATION", "1", "FAKETIME_DONT_FAKE_MONOTONIC", "1",
				"FAKETIME_FORCE_MONOTONIC_FIX", "0"));
	}

	@AfterAll
	void stopNodes() throws Exception {
		// Each one whatever happened to the one before: a node left running would outlive the test.
		List<AutoCloseable> started = new java.util.ArrayList<>();
		started.add(this.normal);
		started.add(this.skewed);
		started.add(this.postgres);
		started.add(this.receiver == null ? null : () -> this.receiver.stop(0));
		started.add(this.mail == null ? null : this.mail::stop);
		io.rollcall.support.ChildProcesses.closeAll(started.toArray(AutoCloseable[]::new));
	}

	@Test
	void nodeWhenItsClockIsMinutesAheadThenNotReadyTakesNoJobAndComesBackOnceCorrected() throws Exception {
		long started = System.nanoTime();
		HttpResponse<String> readiness = awaitReadiness(this.skewed, this.skewedProcess, 503, Duration.ofSeconds(180));
		System.out.printf("skew: the skewed node is up and not ready after %d s: %s%n",
				Duration.ofNanos(System.nanoTime() - started).toSeconds(), readiness.body());
		assertThat(readiness.body()).contains("s ahead of PostgreSQL's; tolerance 5 s");
		assertThat(offsetMillis(readiness)).as("its offset, as it measured it").isBetween(295_000L, 305_000L);
		// The JVM itself sees the fake time (Tomcat dates its answers by it), not only the check.
		Instant served = ZonedDateTime
			.parse(readiness.headers().firstValue("Date").orElseThrow(), DateTimeFormatter.RFC_1123_DATE_TIME)
			.toInstant();
		assertThat(Duration.between(Instant.now(), served)).isGreaterThan(Duration.ofMinutes(4));
		assertThat(this.skewed.get("localhost", "/actuator/health/liveness", null).statusCode())
			.as("alive: restarting it would not set its clock right")
			.isEqualTo(200);

		// A sync on the normal node while the job table is watched: the skewed node picks nothing at all.
		String skewedName = schedulerName(this.skewedProcess);
		Map<String, String> csv = people("skew", PEOPLE);
		Started[] run = new Started[1];
		Set<String> pickers = pickersWhile(() -> {
			run[0] = startSync(this.normal, "skew", csv);
			awaitFinished(run[0].id(), Duration.ofMinutes(3));
		});
		System.out.printf("skew: %d people applied; jobs picked by %s (the skewed node is %s)%n", PEOPLE, pickers,
				skewedName);
		assertThat(pickers).as("schedulers that picked jobs").isNotEmpty().doesNotContain(skewedName);
		assertAppliedOnce(run[0], csv);
		// Its events reach the company's webhook receiver from the normal node only: one signed by the skewed node would
		// carry a timestamp five minutes ahead, which receivers refuse.
		awaitDeliveries(PEOPLE, Duration.ofMinutes(3));
		long offTime = this.deliveries.values().stream().filter(d -> Math.abs(d[0] - d[1]) > 30).count();
		System.out.printf("skew: %d events delivered, %d of them with a timestamp more than 30 s off%n",
				this.deliveries.size(), offTime);
		assertThat(offTime).as("deliveries signed with the skewed node's time").isZero();
		assertThat(logLines(this.skewed, "takes no jobs and reports itself not ready")).as("told once, not each check")
			.isOne();

		// Back-channel logouts: two learners hold tokens of an application (signed in through the normal node). One
		// leaves through the skewed node, whose Departures wakes its own sender at once: the logout must come from the
		// normal node (its fallback poll), dated by the right clock.
		SignedIn learners = signedInLearners("leave", 2);
		long left = System.nanoTime();
		deactivate(this.skewed, learners, 0);
		Logout first = awaitLogout(learners.people().get(0), Duration.ofSeconds(45));
		System.out.printf("skew: the learner who left through the skewed node logged out %d ms later: %s%n",
				Duration.ofNanos(System.nanoTime() - left).toMillis(), describe(first));
		assertValidLogout(first, learners, 0, this.normal);

		// The normal node stops: the skewed one is the only node left. A change made through its API is committed, but
		// its event waits rather than leave signed with a time five minutes ahead.
		this.normalProcess.destroy();
		this.normalProcess.waitFor();
		int deliveredBefore = this.deliveries.size();
		HttpResponse<String> person = this.skewed.post("skew.localhost", "/api/v1/people", run[0].key(),
				"{\"email\":\"held@skew.test\",\"lastName\":\"Held\"}");
		assertThat(person.statusCode()).as(person.body()).isEqualTo(201);
		// The other learner leaves: their tokens stop working at once, but the logout waits rather than leave dated five
		// minutes ahead (an application refuses a token issued in the future).
		int logoutsBefore = this.logouts.size();
		deactivate(this.skewed, learners, 1);
		Thread.sleep(5_000);
		assertThat(this.deliveries.size()).as("events delivered by the skewed node").isEqualTo(deliveredBefore);
		assertThat(this.logouts.size()).as("back-channel logouts sent by the skewed node").isEqualTo(logoutsBefore);
		try (Connection db = connect()) {
			assertThat(longOf(db, "select count(*) from backchannel_logout where person_id = ? and status = 'pending'"
					+ " and attempts = 0", UUID.fromString(learners.people().get(1))))
				.as("the logout waiting, no attempt counted")
				.isOne();
		}

		// Its clock set right while it runs: it is ready again by itself, delivers what waited, and takes work.
		Files.writeString(this.fakeTime, "+0\n");
		long corrected = System.nanoTime();
		HttpResponse<String> ready = awaitReadiness(this.skewed, this.skewedProcess, 200, Duration.ofSeconds(30));
		System.out.printf("skew: ready %d ms after its clock was set right: %s%n",
				Duration.ofNanos(System.nanoTime() - corrected).toMillis(), ready.body());
		assertThat(Math.abs(offsetMillis(ready))).isLessThan(5_000L);
		// Woken as its clock is found right, not at its next poll 30 s later: a departure is due within seconds.
		Logout second = awaitLogout(learners.people().get(1), Duration.ofSeconds(10));
		System.out.printf("skew: the waiting logout arrived %d ms after its clock was set right: %s%n",
				Duration.ofNanos(System.nanoTime() - corrected).toMillis(), describe(second));
		assertValidLogout(second, learners, 1, this.skewed);
		assertThat(this.logouts).as("one logout a learner who left").hasSize(2);
		awaitDeliveries(deliveredBefore + 1, Duration.ofSeconds(30));
		assertThat(this.deliveries.values().stream().filter(d -> Math.abs(d[0] - d[1]) > 30).count())
			.as("deliveries signed with a time more than 30 s off")
			.isZero();
		Map<String, String> more = people("after", 50);
		Started[] after = new Started[1];
		Set<String> pickersAfter = pickersWhile(() -> {
			after[0] = startSync(this.skewed, "after", more);
			awaitFinished(after[0].id(), Duration.ofMinutes(1));
		});
		assertThat(pickersAfter).as("schedulers that picked jobs once its clock was right").contains(skewedName);
		assertAppliedOnce(after[0], more);
	}

	/**
	 * A company ({@code slug}) whose learners signed in to the platform's application, registered with its back-channel
	 * logout URI at this test's receiver: each learner chose a password through the invitation e-mail, then went through
	 * the authorization code flow on the normal node, and the application redeemed the code for tokens.
	 */
	private SignedIn signedInLearners(String slug, int count) throws Exception {
		HttpResponse<String> created = this.normal.post("localhost", "/api/v1/companies", "Bearer " + OPERATOR_TOKEN,
				"{\"slug\":\"" + slug + "\",\"name\":\"" + slug + "\",\"ownerEmail\":\"owner@" + slug + ".test\"}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		JsonNode body = JSON.readTree(created.body());
		TestCompany company = new TestCompany(slug, UUID.fromString(body.path("company").path("id").asString()),
				body.path("apiKey").path("secret").asString(),
				UUID.fromString(body.path("owner").path("id").asString()), "owner@" + slug + ".test",
				body.path("ownerInvitationUrl").asString());
		HttpResponse<String> registered = this.normal.post("localhost", "/api/v1/applications",
				"Bearer " + OPERATOR_TOKEN,
				JSON.writeValueAsString(Map.of("name", "Learning platform", "redirectUris",
						List.of("http://{slug}.learn.localhost/login/oauth2/code/rollcall"), "backChannelLogoutUri",
						"http://127.0.0.1:" + this.receiver.getAddress().getPort() + "/logout/{slug}")));
		assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
		JsonNode app = JSON.readTree(registered.body());
		String clientId = app.path("clientId").asString();
		String secret = app.path("clientSecret").asString();
		RollcallClient client = new RollcallClient(this.normal.port());
		List<String> people = new java.util.ArrayList<>();
		for (int i = 0; i < count; i++) {
			String email = CodeFlow.learnerWithPassword(client, this.mail, this.normal.port(), company, "Learner" + i,
					"Leaving", "correct horse battery");
			CodeFlow flow = new CodeFlow(this.normal.port(), company, clientId,
					"http://" + slug + ".learn.localhost/login/oauth2/code/rollcall");
			HttpResponse<String> tokens = flow
				.redeem(flow.signInAndAuthorize(email, "correct horse battery", "openid email"), secret);
			assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
			people.add(client.personByEmail(company, email).path("id").asString());
		}
		return new SignedIn(company, clientId, people);
	}

	/** The learner leaves, deactivated through {@code node}'s API. */
	private static void deactivate(JarNode node, SignedIn learners, int learner) throws Exception {
		HttpResponse<String> deactivated = node.send("POST", learners.company().slug() + ".localhost",
				"/api/v1/people/" + learners.people().get(learner) + "/deactivate",
				"Bearer " + learners.company().apiKey(), null, null);
		assertThat(deactivated.statusCode()).as(deactivated.body()).isEqualTo(200);
	}

	/** The first logout token naming {@code personId} the application got. */
	private Logout awaitLogout(String personId, Duration within) throws Exception {
		long deadline = System.nanoTime() + within.toNanos();
		while (System.nanoTime() < deadline) {
			for (Logout logout : this.logouts) {
				if (personId.equals(SignedJWT.parse(logout.token()).getJWTClaimsSet().getSubject())) {
					return logout;
				}
			}
			Thread.sleep(100);
		}
		throw new AssertionError("no back-channel logout of " + personId + " within " + within + "; got "
				+ this.logouts);
	}

	/**
	 * A logout token the application accepts: signed with a key of the company's JWKS, typed logout+jwt, from the
	 * issuer of {@code sender} (each node names its own port), for the application, naming the learner, with the
	 * logout event; and dated by a right clock, its iat within the tolerance of the time it arrived here.
	 */
	private static void assertValidLogout(Logout logout, SignedIn learners, int learner, JarNode sender)
			throws Exception {
		String host = learners.company().slug() + ".localhost";
		JWKSet keys = JWKSet.parse(sender.get(host, "/oauth2/jwks", null).body());
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(keys)));
		processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("logout+jwt")));
		JWTClaimsSet claims = processor.process(logout.token(), null);
		assertThat(claims.getIssuer()).isEqualTo("http://" + host + ":" + sender.port());
		assertThat(claims.getAudience()).containsExactly(learners.clientId());
		assertThat(claims.getSubject()).isEqualTo(learners.people().get(learner));
		assertThat(claims.getJSONObjectClaim("events"))
			.containsKey("http://schemas.openid.net/event/backchannel-logout");
		assertThat(Duration.between(logout.arrived(), claims.getIssueTime().toInstant()).abs())
			.as("iat %s of a logout that arrived at %s", claims.getIssueTime().toInstant(), logout.arrived())
			.isLessThan(Duration.ofSeconds(5));
		assertThat(claims.getExpirationTime().toInstant()).isAfter(logout.arrived());
	}

	private static String describe(Logout logout) throws Exception {
		JWTClaimsSet claims = SignedJWT.parse(logout.token()).getJWTClaimsSet();
		return "iss " + claims.getIssuer() + ", iat " + claims.getIssueTime().toInstant() + ", arrived "
				+ logout.arrived();
	}

	/** A company, the application its learners signed in to, and the learners' person ids. */
	private record SignedIn(TestCompany company, String clientId, List<String> people) {
	}

	/** A logout token as the application received it, and this JVM's time it arrived. */
	private record Logout(String token, Instant arrived) {
	}

	/** The schedulers seen picking a job while {@code action} ran. */
	private Set<String> pickersWhile(Action action) throws Exception {
		Set<String> pickers = java.util.concurrent.ConcurrentHashMap.newKeySet();
		AtomicBoolean watching = new AtomicBoolean(true);
		Thread watcher = Thread.ofPlatform().start(() -> watchPickers(pickers, watching));
		try {
			action.run();
		}
		finally {
			watching.set(false);
			watcher.join();
		}
		return pickers;
	}

	private interface Action {

		void run() throws Exception;

	}

	/** Each person once, created once (one person.created event each), and no plan item failed. */
	private void assertAppliedOnce(Started run, Map<String, String> csv) throws Exception {
		try (Connection db = connect()) {
			assertThat(stringOf(db, "select status from sync_run where id = ?", run.id())).isEqualTo("succeeded");
			assertThat(longOf(db, "select count(*) from sync_plan_item where run_id = ? and apply_error is not null",
					run.id()))
				.as("plan items failed (a second application fails on the people the first made)")
				.isZero();
			assertThat(longOf(db, "select count(*) from person where company_id = ? and role <> 'owner'",
					run.companyId()))
				.isEqualTo(csv.size());
			assertThat(longOf(db, "select count(distinct lower(email)) from person where company_id = ?",
					run.companyId()))
				.isEqualTo(csv.size() + 1);
			assertThat(longOf(db, "select count(*) from domain_event where company_id = ? and type = 'person.created'",
					run.companyId()))
				.isEqualTo(csv.size() + 1); // and the owner's
			assertThat(longOf(db, "select count(*) from person_identity where company_id = ? and source = 'csv'",
					run.companyId()))
				.isEqualTo(csv.size());
		}
	}

	private void watchPickers(Set<String> pickers, AtomicBoolean watching) {
		try (Connection db = connect();
				PreparedStatement select = db
					.prepareStatement("select distinct picked_by from scheduled_tasks where picked")) {
			while (watching.get()) {
				try (ResultSet rows = select.executeQuery()) {
					while (rows.next()) {
						pickers.add(rows.getString(1));
					}
				}
				Thread.sleep(50);
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static HttpResponse<String> awaitReadiness(JarNode node, Process process, int status, Duration within)
			throws Exception {
		long deadline = System.nanoTime() + within.toNanos();
		HttpResponse<String> last = null;
		while (System.nanoTime() < deadline) {
			assertThat(process.isAlive()).as("Rollcall exited; see %s", node.dataDir().resolve("rollcall.log"))
				.isTrue();
			try {
				last = node.get("localhost", "/actuator/health/readiness", null);
				// Started (its readiness state UP): only the clock's check may hold it out.
				if (last.statusCode() == status && last.body().contains("clockCheck")
						&& last.body().contains("\"readinessState\":{\"status\":\"UP\"}")) {
					return last;
				}
			}
			catch (java.io.IOException ex) {
				// not listening yet
			}
			Thread.sleep(200);
		}
		throw new AssertionError("readiness not " + status + " within " + within + "; last "
				+ (last == null ? "no answer" : last.statusCode() + " " + last.body()));
	}

	private static long offsetMillis(HttpResponse<String> readiness) {
		Matcher offset = OFFSET.matcher(readiness.body());
		assertThat(offset.find()).as(readiness.body()).isTrue();
		return Long.parseLong(offset.group(1));
	}

	private static long logLines(JarNode node, String text) throws Exception {
		return Files.readAllLines(node.dataDir().resolve("rollcall.log"))
			.stream()
			.filter(l -> l.contains(text))
			.count();
	}

	private static Map<String, String> people(String slug, int count) {
		Map<String, String> people = new java.util.HashMap<>();
		for (int i = 0; i < count; i++) {
			people.put("p" + i + "@" + slug + ".test",
					"First" + i + ",Last" + i + ",Title " + (i % 37) + ",Team " + (i % 20));
		}
		return people;
	}

	/** A company with a webhook endpoint at this test's receiver, and a CSV sync of {@code people} started. */
	private Started startSync(JarNode node, String slug, Map<String, String> people) throws Exception {
		HttpResponse<String> created = node.post("localhost", "/api/v1/companies", "Bearer " + OPERATOR_TOKEN,
				"{\"slug\":\"" + slug + "\",\"name\":\"" + slug + "\",\"ownerEmail\":\"owner@" + slug + ".test\"}");
		assertThat(created.statusCode()).as(created.body()).isBetween(200, 299);
		JsonNode company = JSON.readTree(created.body());
		String key = "Bearer " + company.path("apiKey").path("secret").asString();
		HttpResponse<String> endpoint = node.post(slug + ".localhost", "/api/v1/webhook-endpoints", key,
				"{\"url\":\"http://127.0.0.1:" + this.receiver.getAddress().getPort()
						+ "/events\",\"eventTypes\":[\"person.*\"]}");
		assertThat(endpoint.statusCode()).as(endpoint.body()).isEqualTo(201);
		StringBuilder csv = new StringBuilder("email,first name,last name,job title,team\n");
		people.forEach((email, fields) -> csv.append(email).append(',').append(fields).append('\n'));
		HttpResponse<String> upload = node.send("POST", slug + ".localhost", "/api/v1/integrations/csv/uploads", key,
				"text/csv", csv.toString());
		assertThat(upload.statusCode()).as(upload.body()).isBetween(200, 299);
		HttpResponse<String> sync = node.post(slug + ".localhost", "/api/v1/integrations/csv/sync-runs", key,
				"{\"uploadId\":\"" + JSON.readTree(upload.body()).path("id").asString() + "\"}");
		assertThat(sync.statusCode()).as(sync.body()).isBetween(200, 299);
		return new Started(UUID.fromString(company.path("company").path("id").asString()),
				UUID.fromString(JSON.readTree(sync.body()).path("id").asString()), key);
	}

	/** Until at least {@code count} events arrived and none came for two seconds. */
	private void awaitDeliveries(int count, Duration within) throws Exception {
		long deadline = System.nanoTime() + within.toNanos();
		int seen = -1;
		while (System.nanoTime() < deadline) {
			int now = this.deliveries.size();
			if (now >= count && now == seen) {
				return;
			}
			seen = now;
			Thread.sleep(2_000);
		}
		throw new AssertionError(
				"only " + this.deliveries.size() + " of " + count + " events delivered within " + within);
	}

	private void awaitFinished(UUID runId, Duration within) throws Exception {
		long deadline = System.nanoTime() + within.toNanos();
		String status = null;
		while (System.nanoTime() < deadline) {
			try (Connection db = connect()) {
				status = stringOf(db, "select status from sync_run where id = ?", runId);
			}
			if (Set.of("succeeded", "failed", "superseded", "discarded").contains(status)) {
				return;
			}
			Thread.sleep(200);
		}
		throw new AssertionError("run " + runId + " not finished within " + within + "; last " + status);
	}

	/** As {@code JobScheduler.nodeName()} names the node in {@code scheduled_tasks.picked_by}. */
	private static String schedulerName(Process process) {
		return new com.github.kagkarlsson.scheduler.SchedulerName.Hostname().getName() + "/" + process.pid();
	}

	private Connection connect() throws java.sql.SQLException {
		return DriverManager.getConnection(this.postgres.getJdbcUrl("postgres", "postgres"));
	}

	private static long longOf(Connection db, String sql, Object parameter) throws java.sql.SQLException {
		try (PreparedStatement select = db.prepareStatement(sql)) {
			select.setObject(1, parameter);
			try (ResultSet row = select.executeQuery()) {
				row.next();
				return row.getLong(1);
			}
		}
	}

	private static String stringOf(Connection db, String sql, Object parameter) throws java.sql.SQLException {
		try (PreparedStatement select = db.prepareStatement(sql)) {
			select.setObject(1, parameter);
			try (ResultSet row = select.executeQuery()) {
				return row.next() ? row.getString(1) : null;
			}
		}
	}

	/** A run, its company and the company's API key ("Bearer ..."). */
	private record Started(UUID companyId, UUID id, String key) {
	}

}
