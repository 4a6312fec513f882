package io.rollcall.identityprovider;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

import javax.sql.DataSource;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.sun.net.httpserver.HttpServer;
import io.rollcall.platform.OutboundHttp;
import io.rollcall.platform.RetrySchedule;
import io.rollcall.support.DirectorySeed;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.LocalhostSubdomains;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.SecondNode;
import io.rollcall.support.Syncs;
import io.rollcall.support.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Back-channel logouts when the application's endpoint fails: retried on the back-off (the clock moved by the test),
 * given up only into a failed row the operator sees and retries, never followed through a redirect, cut at the
 * deadline; a thousand at once; and kept across a node that stops. The application is a real HTTP receiver.
 * <p>
 * Authorizations are saved straight to the store (as the token endpoint would after a sign-in, company and person
 * attributes and all) rather than made through a browser flow per person: a thousand sign-ins would take minutes, and
 * the code flow itself is {@link OpenIdProviderTests}' subject. One refresh through the real token endpoint shows
 * such an authorization is live before its person leaves.
 */
class BackChannelLogoutFailureTests extends IntegrationTest {

	private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	@Autowired
	private IdentityProviderStores stores;

	@Autowired
	private BackChannelLogouts logouts;

	@Autowired
	private AuthorizationRetention retention;

	@Autowired
	private TestClock clock;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private DataSource dataSource;

	private TestCompany company;

	private final List<Application> applications = new ArrayList<>();

	@BeforeEach
	void company() {
		this.company = this.client.createCompany();
		LocalhostSubdomains.resolve(this.company.slug() + ".learn.localhost");
	}

	@AfterEach
	void stopApplications() {
		this.clock.reset();
		this.applications.forEach(Application::close);
	}

	@Test
	void logoutWhenEndpointAnswers503ForAWhileThenDeliveredOnceWithEachAttemptRecordedAndNothingLeftQueued()
			throws Exception {
		AtomicInteger failuresLeft = new AtomicInteger(3);
		Application app = application(attempt -> failuresLeft.getAndDecrement() > 0 ? 503 : 200);
		String personId = personWithAuthorization(app);

		deactivate(personId);

		for (int failures = 1; failures <= 3; failures++) {
			int expected = failures;
			await("attempt " + failures, () -> logoutsOf(app, "pending").path("items").size() == 1
					&& logoutsOf(app, "pending").path("items").get(0).path("lastAttemptAt").isString()
					&& logoutsOf(app, "pending").path("items").get(0).path("attempts").asInt() == expected);
			JsonNode row = logoutsOf(app, "pending").path("items").get(0);
			assertThat(row.path("personId").asString()).isEqualTo(personId);
			assertThat(row.path("lastHttpStatus").asInt()).isEqualTo(503);
			assertThat(row.path("failedAt").isNull()).isTrue();
			Duration delay = Duration.between(Instant.parse(row.path("lastAttemptAt").asString()),
					Instant.parse(row.path("nextAttemptAt").asString()));
			assertThat(delay).isBetween(RetrySchedule.step(failures).dividedBy(2), RetrySchedule.step(failures));
			advance(delay.plusSeconds(1));
		}

		await("the logout delivered", () -> app.delivered.size() == 1);
		await("nothing left in the queue", () -> logoutsOf(app, null).path("pending").asInt() == 0);
		Thread.sleep(500);
		assertThat(app.requests.get()).as("three refusals and one delivery").isEqualTo(4);
		assertThat(app.delivered).hasSize(1);
		assertThat(verify(app, app.delivered.getFirst()).getSubject()).isEqualTo(personId);
		assertThat(logoutsOf(app, null).path("failed").asInt()).isZero();
	}

	@Test
	@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
	void logoutWhenEndpointDownPastTheWholeBackOffThenKeptFailedForTheOperatorAndRetryDeliversIt(
			org.springframework.boot.test.system.CapturedOutput output) throws Exception {
		AtomicInteger status = new AtomicInteger(500);
		Application app = application(attempt -> status.get());
		String personId = personWithAuthorization(app);

		deactivate(personId);
		await("the first attempt", () -> app.requests.get() == 1);
		await("its outcome", () -> logoutsOf(app, "pending").path("items").path(0).path("attempts").asInt() == 1);
		advance(RetrySchedule.GIVE_UP_AFTER.plusMinutes(1));

		await("given up", () -> logoutsOf(app, "failed").path("failed").asInt() == 1);
		JsonNode failed = logoutsOf(app, "failed");
		assertThat(failed.path("pending").asInt()).isZero();
		JsonNode row = failed.path("items").get(0);
		assertThat(row.path("personId").asString()).isEqualTo(personId);
		assertThat(row.path("company").asString()).isEqualTo(this.company.slug());
		assertThat(row.path("status").asString()).isEqualTo("failed");
		assertThat(row.path("attempts").asInt()).isEqualTo(2);
		assertThat(row.path("lastHttpStatus").asInt()).isEqualTo(500);
		assertThat(row.path("lastAnswer").asString()).isEqualTo("down for maintenance");
		assertThat(row.path("failedAt").asString()).isNotEmpty();
		assertThat(row.path("queuedAt").asString()).isNotEmpty();
		assertThat(row.path("nextAttemptAt").isNull()).isTrue();
		assertThat(output.getOut()
			.lines()
			.filter(line -> line.contains("WARN") && line.contains(app.id)
					&& line.contains("given up")))
			.as("the give-up, logged once")
			.hasSize(1);
		assertThat(this.client.operator("GET", "/api/v1/applications/" + app.id + "/logouts?status=gone", null).body())
			.contains("'status' must be 'pending' or 'failed'");
		assertThat(this.client.operator("GET", "/api/v1/applications/nope/logouts", null).status()).isEqualTo(404);

		// A failed row is not tried again by itself, however long it waits.
		advance(Duration.ofDays(1));
		Thread.sleep(500);
		assertThat(app.requests.get()).isEqualTo(2);

		status.set(204);
		Response retried = this.client.operator("POST", "/api/v1/applications/" + app.id + "/logouts/retry", null);
		assertThat(retried.status()).as(retried.body()).isEqualTo(200);
		assertThat(retried.json().path("requeued").asInt()).isEqualTo(1);
		await("delivered after the retry", () -> app.delivered.size() == 1);
		assertThat(verify(app, app.delivered.getFirst()).getSubject()).isEqualTo(personId);
		await("nothing left", () -> logoutsOf(app, null).path("failed").asInt() == 0
				&& logoutsOf(app, null).path("pending").asInt() == 0);
		assertThat(this.client.operator("POST", "/api/v1/applications/" + app.id + "/logouts/retry", null)
			.json()
			.path("requeued")
			.asInt()).isZero();
	}

	@Test
	void failedLogoutWhenThirtyDaysOldThenDeletedAndNotBefore() throws Exception {
		Application app = application(attempt -> 503);
		String personId = personWithAuthorization(app);
		deactivate(personId);
		await("the first attempt", () -> logoutsOf(app, "pending").path("items").path(0).path("attempts").asInt() == 1);
		advance(RetrySchedule.GIVE_UP_AFTER.plusMinutes(1));
		await("given up", () -> logoutsOf(app, "failed").path("failed").asInt() == 1);

		this.clock.advance(BackChannelLogouts.FAILED_RETENTION.minusDays(1));
		this.retention.forgetFailedLogouts();
		assertThat(logoutsOf(app, "failed").path("failed").asInt()).as("kept for 30 days").isEqualTo(1);

		this.clock.advance(Duration.ofDays(2));
		assertThat(this.retention.forgetFailedLogouts()).isPositive();
		assertThat(logoutsOf(app, "failed").path("failed").asInt()).isZero();
	}

	@Test
	void logoutWhenReceiverRedirectsThenFailureAndRedirectNotFollowed() throws Exception {
		Application target = application(attempt -> 200);
		Application app = application(attempt -> 302);
		app.location = "http://" + this.company.slug() + ".learn.localhost:" + target.port() + "/logout";
		String personId = personWithAuthorization(app);

		deactivate(personId);

		await("the attempt", () -> logoutsOf(app, "pending").path("items").path(0).path("attempts").asInt() == 1
				&& logoutsOf(app, "pending").path("items").path(0).path("lastHttpStatus").asInt() == 302);
		JsonNode row = logoutsOf(app, "pending").path("items").get(0);
		assertThat(row.path("lastAnswer").asString()).contains("not followed").contains(app.location);
		Thread.sleep(300);
		assertThat(target.requests.get()).as("the redirect's target").isZero();
	}

	@Test
	void logoutWhenReceiverNeverAnswersThenCutAtTheDeadlineAndKept() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		Application app = application(attempt -> {
			try {
				release.await(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return 200;
		});
		try {
			String personId = personWithAuthorization(app);
			deactivate(personId);
			await("the attempt cut", Duration.ofSeconds(30),
					() -> logoutsOf(app, "pending").path("items").path(0).path("lastAttemptAt").isString());
			JsonNode row = logoutsOf(app, "pending").path("items").get(0);
			assertThat(row.path("lastAnswer").asString()).isEqualTo("No answer within 15 s");
			assertThat(row.path("lastHttpStatus").isNull()).isTrue();
			assertThat(row.path("lastLatencyMs").asLong()).isBetween(OutboundHttp.ANSWER_TIMEOUT.toMillis() - 500,
					OutboundHttp.ANSWER_TIMEOUT.toMillis() + 5_000);
			assertThat(app.delivered).isEmpty();
		}
		finally {
			release.countDown();
		}
	}

	@Test
	void logoutWhenApplicationMayUsePublicAddressesOnlyThenNotSentToLoopbackAndWhyRecorded() throws Exception {
		Application app = application(attempt -> 200);
		RegisteredClient client = this.stores.registeredClients().findById(app.id);
		this.stores.registeredClients()
			.save(RegisteredClient.from(client)
				.clientSettings(ClientSettings.withSettings(client.getClientSettings().getSettings())
					.setting(BackChannelLogouts.PUBLIC_ADDRESSES_ONLY, true)
					.build())
				.build());
		String personId = personWithAuthorization(app);

		deactivate(personId);

		await("the refused attempt", () -> logoutsOf(app, "pending").path("items").path(0).path("attempts").asInt() == 1
				&& logoutsOf(app, "pending").path("items").path(0).path("lastAttemptAt").isString());
		JsonNode row = logoutsOf(app, "pending").path("items").get(0);
		assertThat(row.path("lastAnswer").asString()).startsWith("Not sent")
			.contains(this.company.slug() + ".learn.localhost")
			.contains("loopback");
		assertThat(app.requests.get()).isZero();
	}

	@Test
	void departureWhenThousandPeopleWithLiveAuthorizationsLeaveAtOnceThenThousandValidLogoutTokensAndEveryRefreshRefused()
			throws Exception {
		Application app = application(attempt -> 200);
		int leaving = 1_000;
		List<DirectorySeed.Seeded> people = new ArrayList<>();
		for (int i = 0; i <= leaving; i++) {
			String email = "p" + i + "@" + this.company.slug() + ".example";
			people.add(new DirectorySeed.Seeded(email, email, "First" + i));
		}
		DirectorySeed.people(this.jdbc, this.company.id(), "csv", people);
		List<String> leavers = this.jdbc.sql("""
				select id::text from person where company_id = :c and email <> :stays and id <> :owner
				""")
			.param("c", this.company.id())
			.param("owner", this.company.ownerId())
			.param("stays", people.getFirst().email())
			.query(String.class)
			.list();
		assertThat(leavers).hasSize(leaving);
		long saving = System.nanoTime();
		List<String> refreshTokens = new ArrayList<>();
		for (String personId : leavers) {
			refreshTokens.add(authorize(app, personId));
		}
		System.out.printf("Back-channel logout at scale: %d authorizations saved in %d ms%n", leaving,
				(System.nanoTime() - saving) / 1_000_000);
		HttpResponse<String> live = refresh(app, refreshTokens.getFirst());
		assertThat(live.statusCode()).as("a saved authorization is live: " + live.body()).isEqualTo(200);
		refreshTokens.set(0, tools.jackson.databind.json.JsonMapper.builder()
			.build()
			.readTree(live.body())
			.path("refresh_token")
			.asString());

		Syncs syncs = new Syncs(this.client, this.port);
		Response upload = syncs.upload(this.company, "email,first name\n" + people.getFirst().email() + ",First0\n");
		assertThat(upload.status()).as(upload.body()).isEqualTo(201);
		Response started = this.client.api(this.company, "POST", "/api/v1/integrations/csv/sync-runs",
				Map.of("uploadId", upload.json().path("id").asString(), "deactivateMissing", true));
		assertThat(started.status()).as(started.body()).isEqualTo(202);
		String runId = started.json().path("id").asString();
		JsonNode held = syncs.await(this.company, runId);
		assertThat(held.path("status").asString()).as(held.toString()).isEqualTo("held");
		assertThat(app.requests.get()).as("nobody logged out while the run is held").isZero();

		long start = System.nanoTime();
		Response approved = this.client.api(this.company, "POST", "/api/v1/sync-runs/" + runId + "/approval",
				Map.of("decision", "approve"));
		assertThat(approved.status()).as(approved.body()).isEqualTo(200);
		assertThat(syncs.await(this.company, runId, Duration.ofSeconds(120)).path("status").asString())
			.isEqualTo("succeeded");
		long applied = (System.nanoTime() - start) / 1_000_000;
		await("a thousand logout tokens", Duration.ofSeconds(120), () -> app.delivered.size() >= leaving);
		long millis = (System.nanoTime() - start) / 1_000_000;
		System.out.printf("Back-channel logout at scale: %d people deactivated at once (run applied in %d ms), the "
				+ "application had every logout token %d ms after the approval%n", leaving, applied, millis);

		Thread.sleep(1_000);
		assertThat(app.delivered).as("exactly one logout per person").hasSize(leaving);
		JWKSet keys = JWKSet.parse(get(app, "/oauth2/jwks").body());
		Set<String> subjects = new HashSet<>();
		for (String token : app.delivered) {
			JWTClaimsSet claims = verify(keys, token);
			assertThat(claims.getAudience()).containsExactly(app.clientId);
			assertThat(claims.getIssuer()).isEqualTo("http://" + this.company.slug() + ".localhost:" + this.port);
			assertThat(claims.getExpirationTime().toInstant()).isAfter(Instant.now());
			subjects.add(claims.getSubject());
		}
		assertThat(subjects).isEqualTo(new HashSet<>(leavers));
		assertThat(this.jdbc.sql("select count(*) from oauth2_authorization where principal_name = any(:p)")
			.param("p", leavers.toArray(String[]::new))
			.query(Integer.class)
			.single()).as("every authorization of the leavers revoked").isZero();
		for (String refreshToken : refreshTokens) {
			HttpResponse<String> refused = refresh(app, refreshToken);
			assertThat(refused.statusCode()).isEqualTo(400);
			assertThat(refused.body()).contains("invalid_grant");
		}
		JsonNode queue = logoutsOf(app, null);
		assertThat(queue.path("pending").asInt() + queue.path("failed").asInt()).isZero();
	}

	@Test
	void logoutWhenQueuedWhileItsNodeIsStoppedThenSentByTheNextNodeToStart() throws Exception {
		Application app = application(attempt -> 200);
		String personId = personWithAuthorization(app);
		this.logouts.stop();
		try {
			deactivate(personId);
			Thread.sleep(1_000);
			assertThat(app.requests.get()).as("no node sends it").isZero();
			assertThat(this.jdbc.sql("select count(*) from backchannel_logout where person_id = cast(:p as uuid)")
				.param("p", personId)
				.query(Integer.class)
				.single()).as("kept in the queue").isEqualTo(1);

			try (SecondNode next = startSecondNode(this.dataSource)) {
				await("sent by the next node", Duration.ofSeconds(30), () -> app.delivered.size() == 1);
				assertThat(next.port()).isNotEqualTo(this.port);
			}
			assertThat(verify(app, app.delivered.getFirst()).getSubject()).isEqualTo(personId);
			assertThat(logoutsOf(app, null).path("pending").asInt()).isZero();
		}
		finally {
			this.logouts.start();
		}
	}

	// --- the application

	/** The application's back-channel logout endpoint, answering {@code answer(n)} to its n-th request. */
	private final class Application implements AutoCloseable {

		final HttpServer server;

		final AtomicInteger requests = new AtomicInteger();

		/** The logout tokens answered with 2xx. */
		final List<String> delivered = new CopyOnWriteArrayList<>();

		volatile String location;

		String id;

		String clientId;

		String secret;

		Application(IntFunction<Integer> answer) throws java.io.IOException {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
			this.server.createContext("/logout", exchange -> {
				String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
				int status = answer.apply(this.requests.incrementAndGet());
				if (status / 100 == 2) {
					this.delivered
						.add(java.net.URLDecoder.decode(body.substring(body.indexOf('=') + 1), StandardCharsets.UTF_8));
				}
				if (status / 100 == 3) {
					exchange.getResponseHeaders().add("Location", this.location);
				}
				byte[] text = status == 500 ? "down for maintenance".getBytes(StandardCharsets.UTF_8) : new byte[0];
				exchange.sendResponseHeaders(status, text.length == 0 ? -1 : text.length);
				if (text.length > 0) {
					exchange.getResponseBody().write(text);
				}
				exchange.close();
			});
			this.server.start();
		}

		int port() {
			return this.server.getAddress().getPort();
		}

		@Override
		public void close() {
			this.server.stop(0);
		}

	}

	/** Starts an application and registers it, by the operator, with its back-channel logout URI. */
	private Application application(IntFunction<Integer> answer) throws java.io.IOException {
		Application app = new Application(answer);
		this.applications.add(app);
		Response registered = this.client.operator("POST", "/api/v1/applications", Map.of("name", "Learning platform",
				"redirectUris", List.of("http://{slug}.learn.localhost/login/oauth2/code/rollcall"),
				"backChannelLogoutUri",
				"http://{slug}.learn.localhost:" + app.port() + "/logout"));
		assertThat(registered.status()).as(registered.body()).isEqualTo(201);
		app.id = registered.json().path("id").asString();
		app.clientId = registered.json().path("clientId").asString();
		app.secret = registered.json().path("clientSecret").asString();
		return app;
	}

	private String personWithAuthorization(Application app) {
		Response created = this.client.api(this.company, "POST", "/api/v1/people",
				Map.of("email", "leaving-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com", "firstName",
						"Leaving"));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		String personId = created.json().path("id").asString();
		authorize(app, personId);
		return personId;
	}

	/** An authorization as a sign-in at this company leaves it, with a live refresh token; the token. */
	private String authorize(Application app, String personId) {
		RegisteredClient client = this.stores.registeredClients().findById(app.id);
		Instant now = Instant.now();
		String refreshToken = UUID.randomUUID() + "." + UUID.randomUUID();
		this.stores.companyAuthorizations()
			.save(OAuth2Authorization.withRegisteredClient(client)
				.id(UUID.randomUUID().toString())
				.principalName(personId)
				.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
				.authorizedScopes(Set.of("offline_access"))
				.token(new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, UUID.randomUUID().toString(), now,
						now.plus(Duration.ofMinutes(5)), Set.of("offline_access")))
				.refreshToken(new OAuth2RefreshToken(refreshToken, now, now.plus(Duration.ofDays(30))))
				.attribute(Principal.class.getName(),
						UsernamePasswordAuthenticationToken.authenticated(personId, null, List.of()))
				.attribute(CompanyAuthorizations.COMPANY, this.company.id().toString())
				.attribute(CompanyAuthorizations.PERSON, personId)
				.build());
		return refreshToken;
	}

	private void deactivate(String personId) {
		Response deactivated = this.client.api(this.company, "POST", "/api/v1/people/" + personId + "/deactivate");
		assertThat(deactivated.status()).as(deactivated.body()).isEqualTo(200);
	}

	private JsonNode logoutsOf(Application app, String status) {
		Response listed = this.client.operator("GET", "/api/v1/applications/" + app.id + "/logouts"
				+ (status == null ? "" : "?status=" + status), null);
		assertThat(listed.status()).as(listed.body()).isEqualTo(200);
		return listed.json();
	}

	/** Moves the service's clock and has the logouts looked at at once. */
	private void advance(Duration by) {
		this.clock.advance(by);
		this.logouts.wake();
	}

	private HttpResponse<String> refresh(Application app, String refreshToken) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/oauth2/token"))
			.header("Host", this.company.slug() + ".localhost:" + this.port)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString((app.clientId + ":" + app.secret).getBytes(StandardCharsets.UTF_8)))
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token="
					+ java.net.URLEncoder.encode(refreshToken, StandardCharsets.UTF_8)))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(Application app, String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Host", this.company.slug() + ".localhost:" + this.port)
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private JWTClaimsSet verify(Application app, String logoutToken) throws Exception {
		return verify(JWKSet.parse(get(app, "/oauth2/jwks").body()), logoutToken);
	}

	private static JWTClaimsSet verify(JWKSet keys, String logoutToken) throws Exception {
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(keys)));
		processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("logout+jwt")));
		JWTClaimsSet claims = processor.process(logoutToken, null);
		assertThat(claims.getJSONObjectClaim("events")).containsKey(BackChannelLogouts.EVENT);
		assertThat(claims.getClaim("nonce")).isNull();
		assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
			.isEqualTo(BackChannelLogouts.TOKEN_LIFETIME);
		return claims;
	}

	private static void await(String what, BooleanSupplier condition) throws InterruptedException {
		await(what, Duration.ofSeconds(15), condition);
	}

	private static void await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + within.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Waited " + within.toSeconds() + " s for: " + what);
			}
			Thread.sleep(25);
		}
	}

}
