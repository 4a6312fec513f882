package io.rollcall.identityprovider;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jwt.JWTClaimsSet;
import io.rollcall.audit.AuditEntry;
import io.rollcall.audit.AuditLog;
import io.rollcall.identityprovider.Applications.NewApplication;
import io.rollcall.identityprovider.Applications.SignIn;
import io.rollcall.platform.Actor;
import io.rollcall.support.CodeFlow;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.TestOidcProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A company's own applications over real HTTP, as its admins drive the console and as applications use them: one
 * registered in the console works at its company's issuer and is unknown at every other; its secret is shown once,
 * rotation stops the old one at once; a company cannot see, rotate or delete another's application nor the platform's;
 * the operator rotates the platform's secret over the API; sign-ins are recorded per application and company, with how
 * the person signed in; "Try it" shows a verified ID token's claims.
 */
class CompanyApplicationsTests extends IntegrationTest {

	private static final Pattern SECRET = Pattern.compile("id=\"new-secret-value\">([^<]+)<");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String PASSWORD = "correct horse battery";

	private static TestOidcProvider entra;

	@Autowired
	private Applications applications;

	@Autowired
	private IdentityProviderStores stores;

	@Autowired
	private AuditLog audit;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private org.springframework.transaction.PlatformTransactionManager transactionManager;

	@BeforeAll
	static void startEntra() throws Exception {
		entra = new TestOidcProvider();
	}

	@AfterAll
	static void stopEntra() {
		entra.close();
	}

	@Test
	void registerWhenInTheConsoleThenSecretShownOnceAndTheApplicationWorksAtItsCompanyOnly() throws Exception {
		TestCompany acme = this.client.createCompany();
		TestCompany other = this.client.createCompany();
		Console console = new Console(acme);
		String redirect = "http://intranet.localhost/login/oauth2/code/rollcall";

		Response registered = console.post("/console/applications", Map.of("name", "Intranet", "redirectUris",
				redirect + "\n", "postLogoutRedirectUris", "http://intranet.localhost/", "backChannelLogoutUri", "",
				"clientAuthentication", "client_secret_basic"));

		assertThat(registered.status()).as(registered.body()).isEqualTo(302);
		String path = URI.create(registered.header("Location")).getPath();
		assertThat(path).startsWith("/console/applications/");
		String id = path.substring(path.lastIndexOf('/') + 1);
		String page = console.page(path).body();
		String secret = secret(page);
		assertThat(secret).startsWith("rcs_");
		String clientId = this.applications.get(acme.id(), id).clientId();
		assertThat(page).contains(clientId).contains("Intranet").contains(redirect);
		// Shown once: not on the next view of the page.
		assertThat(console.page(path).body()).contains(clientId)
			.doesNotContain("new-secret-value")
			.doesNotContain(secret);
		// Stored as its digest only.
		assertThat(this.jdbc.sql("select client_secret from oauth2_registered_client where id = :id")
			.param("id", id)
			.query(String.class)
			.single()).startsWith("{sha256}").doesNotContain(secret);

		// At its company: a whole code flow, the ID token checked against the JWKS.
		CodeFlow flow = new CodeFlow(this.port, acme, clientId, redirect);
		String email = learner(acme, "Ada", "Lovelace");
		String code = flow.signInAndAuthorize(email, PASSWORD);
		JsonNode tokens = json(flow.redeem(code, secret), 200);
		JWTClaimsSet id1 = flow.verify(tokens.path("id_token").asString());
		assertThat(id1.getIssuer()).isEqualTo(flow.issuer());
		assertThat(id1.getAudience()).containsExactly(clientId);
		assertThat(id1.getStringClaim("email")).isEqualTo(email);

		// At another company the application is unknown: authorize, token and introspection refuse it.
		CodeFlow elsewhere = flow.at(other);
		Response authorize = elsewhere.authorize("openid");
		assertThat(authorize.status()).as("no sign-in page, no redirect to the application").isEqualTo(400);
		assertThat(flow.authorize("openid").status()).as("at its company it is known").isEqualTo(302);
		String anotherCode = flow.authorizeSignedIn("openid email");
		HttpResponse<String> token = elsewhere.redeem(anotherCode, secret);
		assertThat(token.statusCode()).as(token.body()).isEqualTo(401);
		assertThat(token.body()).contains("invalid_client");
		HttpResponse<String> introspection = elsewhere.introspect(tokens.path("access_token").asString(), secret);
		assertThat(introspection.statusCode()).as(introspection.body()).isEqualTo(401);
		assertThat(
				json(flow.introspect(tokens.path("access_token").asString(), secret), 200).path("active").asBoolean())
			.isTrue();
		// The code the other company refused still works at its own.
		assertThat(flow.redeem(anotherCode, secret).statusCode()).isEqualTo(200);
		// Nor does the operator see it among the platform's applications.
		assertThat(this.client.operator("GET", "/api/v1/applications", null).body()).doesNotContain(clientId);
	}

	@Test
	void rotateWhenInTheConsoleThenOldSecretRefusedAtOnceNewOneWorksAndEachChangeAudited() throws Exception {
		TestCompany acme = this.client.createCompany();
		Console console = new Console(acme);
		String redirect = "http://intranet.localhost/callback";
		Registered registered = console.register("Intranet", redirect);
		String id = registered.id();
		String oldSecret = registered.secret();
		String clientId = this.applications.get(acme.id(), id).clientId();
		CodeFlow flow = new CodeFlow(this.port, acme, clientId, redirect);
		String refreshToken = json(flow.redeem(flow.signInAndAuthorize(learner(acme, "Grace", "Hopper"), PASSWORD,
				"openid offline_access"), oldSecret), 200)
			.path("refresh_token")
			.asString();

		Response rotated = console.post("/console/applications/" + id + "/secret", Map.of());

		assertThat(rotated.status()).isEqualTo(302);
		String page = console.page(URI.create(rotated.header("Location")).getPath()).body();
		assertThat(page).contains("the old one stopped working just now");
		String newSecret = secret(page);
		assertThat(newSecret).startsWith("rcs_").isNotEqualTo(oldSecret);
		String code = flow.authorizeSignedIn("openid");
		HttpResponse<String> withOld = flow.redeem(code, oldSecret);
		assertThat(withOld.statusCode()).as(withOld.body()).isEqualTo(401);
		assertThat(withOld.body()).contains("invalid_client");
		assertThat(flow.redeem(code, newSecret).statusCode()).isEqualTo(200);
		// Tokens issued before the rotation stay valid, with the new secret.
		HttpResponse<String> refreshed = flow.refresh(refreshToken, newSecret);
		assertThat(refreshed.statusCode()).isEqualTo(200);
		refreshToken = JSON.readTree(refreshed.body()).path("refresh_token").asString();

		Response deleted = console.post("/console/applications/" + id + "/delete", Map.of());
		assertThat(deleted.status()).isEqualTo(302);
		assertThat(URI.create(deleted.header("Location")).getPath()).isEqualTo("/console/applications");
		assertThat(console.page("/console/applications").body()).contains("Deleted Intranet").doesNotContain(clientId);
		assertThat(console.page("/console/applications/" + id).status()).isEqualTo(404);
		assertThat(flow.authorize("openid").status()).isEqualTo(400);
		assertThat(flow.refresh(refreshToken, newSecret).statusCode()).isEqualTo(401);
		assertThat(this.jdbc.sql("select count(*) from oauth2_authorization where registered_client_id = :id")
			.param("id", id)
			.query(Long.class)
			.single()).isZero();

		List<AuditEntry> entries = this.audit.list(acme.id(), UUID.fromString(id), null, 10);
		assertThat(entries).extracting(AuditEntry::action).containsExactly("deleted", "secret_rotated", "created");
		assertThat(entries).allSatisfy(entry -> {
			assertThat(entry.subjectType()).isEqualTo("application");
			assertThat(entry.actor().label()).isEqualTo(acme.ownerEmail());
		});
		assertThat(entries.getLast().changes().get("name").to()).isEqualTo("Intranet");
		assertThat(entries.toString()).doesNotContain(oldSecret).doesNotContain(newSecret);
	}

	@Test
	void consoleWhenAnotherCompanysOrThePlatformsApplicationThenNeitherShownRotatedNorDeleted() throws Exception {
		TestCompany acme = this.client.createCompany();
		TestCompany other = this.client.createCompany();
		Console acmeConsole = new Console(acme);
		Registered registered = acmeConsole.register("Acme intranet", "http://intranet.localhost/callback");
		String acmeApp = registered.id();
		String acmeSecret = registered.secret();
		String acmeClientId = this.applications.get(acme.id(), acmeApp).clientId();
		JsonNode platform = registerPlatformApplication();
		String platformId = platform.path("id").asString();
		Console otherConsole = new Console(other);

		String list = otherConsole.page("/console/applications").body();
		assertThat(list).doesNotContain(acmeClientId)
			.doesNotContain("Acme intranet")
			.contains(platform.path("clientId").asString())
			.contains("Platform");
		assertThat(otherConsole.page("/console/applications/" + acmeApp).status()).isEqualTo(404);
		Response rotate = otherConsole.post("/console/applications/" + acmeApp + "/secret", Map.of());
		assertThat(otherConsole.page(URI.create(rotate.header("Location")).getPath()).body()).contains("was not found");
		otherConsole.post("/console/applications/" + acmeApp + "/delete", Map.of());
		Response tryIt = otherConsole.post("/console/applications/" + acmeApp + "/try", Map.of());
		assertThat(tryIt.status()).isEqualTo(404);
		// Still there, its secret unchanged.
		assertThat(acmeConsole.page("/console/applications/" + acmeApp).status()).isEqualTo(200);
		CodeFlow flow = new CodeFlow(this.port, acme, acmeClientId, "http://intranet.localhost/callback");
		assertThat(flow.redeem(flow.signInAndAuthorize(learner(acme, "Still", "Works"), PASSWORD), acmeSecret)
			.statusCode()).isEqualTo(200);

		// The platform's application: shown, read-only, not the company's to rotate or delete.
		String platformPage = otherConsole.page("/console/applications/" + platformId).body();
		assertThat(platformPage).contains("id=\"platform-note\"")
			.doesNotContain("id=\"rotate-secret\"")
			.doesNotContain("id=\"delete-application\"");
		Response rotatePlatform = otherConsole.post("/console/applications/" + platformId + "/secret", Map.of());
		assertThat(otherConsole.page(URI.create(rotatePlatform.header("Location")).getPath()).body())
			.contains("only the operator may rotate its secret");
		Response deletePlatform = otherConsole.post("/console/applications/" + platformId + "/delete", Map.of());
		assertThat(otherConsole.page(URI.create(deletePlatform.header("Location")).getPath()).body())
			.contains("only the operator may delete it");
		CodeFlow platformFlow = new CodeFlow(this.port, other, platform.path("clientId").asString(),
				"http://" + other.slug() + ".learn.localhost/login/oauth2/code/rollcall");
		assertThat(platformFlow.redeem(platformFlow.signInAndAuthorize(learner(other, "Plat", "Form"), PASSWORD),
				platform.path("clientSecret").asString())
			.statusCode()).isEqualTo(200);
		assertThat(this.jdbc.sql("select count(*) from oauth2_registered_client where id in (:ids)")
			.param("ids", List.of(acmeApp, platformId))
			.query(Long.class)
			.single()).isEqualTo(2);
	}

	@Test
	void operatorWhenRotatingThePlatformsSecretThenOldRefusedNewWorks() throws Exception {
		TestCompany acme = this.client.createCompany();
		JsonNode platform = registerPlatformApplication();
		String oldSecret = platform.path("clientSecret").asString();
		CodeFlow flow = new CodeFlow(this.port, acme, platform.path("clientId").asString(),
				"http://" + acme.slug() + ".learn.localhost/login/oauth2/code/rollcall");
		String code = flow.signInAndAuthorize(learner(acme, "Operator", "Rotation"), PASSWORD);

		Response rotated = this.client.operator("POST", "/api/v1/applications/" + platform.path("id").asString()
				+ "/secret", null);

		assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
		String newSecret = rotated.json().path("clientSecret").asString();
		assertThat(newSecret).startsWith("rcs_").isNotEqualTo(oldSecret);
		assertThat(rotated.json().path("clientId").asString()).isEqualTo(flow.clientId);
		assertThat(flow.redeem(code, oldSecret).statusCode()).isEqualTo(401);
		assertThat(flow.redeem(code, newSecret).statusCode()).isEqualTo(200);
		// Listed without a secret, as ever.
		JsonNode listed = this.client.operator("GET", "/api/v1/applications", null).json();
		assertThat(listed.toString()).contains(flow.clientId).doesNotContain(newSecret);

		// Only the platform's: a company's own application is not the operator's to rotate; nor is a test client.
		String own = this.applications.register(acme.id(), new NewApplication("Own", List.of("http://own.localhost/cb"),
				null, null, "client_secret_basic"), Actor.system())
			.id();
		assertThat(this.client.operator("POST", "/api/v1/applications/" + own + "/secret", null).status())
			.isEqualTo(404);
		assertThat(this.client.operator("POST", "/api/v1/applications/nope/secret", null).status()).isEqualTo(404);
		// A public client has no secret.
		Response publicClient = this.client.operator("POST", "/api/v1/applications", Map.of("name", "SPA",
				"redirectUris", List.of("http://{slug}.spa.localhost/"), "clientAuthentication", "none"));
		Response noSecret = this.client.operator("POST",
				"/api/v1/applications/" + publicClient.json().path("id").asString()
						+ "/secret",
				null);
		assertThat(noSecret.status()).isEqualTo(400);
		assertThat(noSecret.body()).contains("no secret");
		// A company's API key is not the operator's token.
		assertThat(this.client.api(acme, "POST", "/api/v1/applications/" + platform.path("id").asString() + "/secret")
			.status()).isEqualTo(403);
	}

	@Test
	void signInWhenMadeThenInThatApplicationsRecentSignInsWithHowAndNotInAnothers() throws Exception {
		TestCompany acme = this.client.createCompany();
		TestCompany other = this.client.createCompany();
		String redirect = "http://portal.localhost/callback";
		var first = this.applications.register(acme.id(), new NewApplication("Portal", List.of(redirect), null, null,
				"client_secret_basic"), Actor.system());
		var second = this.applications.register(acme.id(), new NewApplication("Wiki", List.of(redirect), null, null,
				"none"), Actor.system());
		JsonNode platform = registerPlatformApplication();
		String email = learner(acme, "Mary", "Jackson");
		String personId = this.client.personByEmail(acme, email).path("id").asString();

		CodeFlow flow = new CodeFlow(this.port, acme, first.clientId(), redirect);
		assertThat(flow.redeem(flow.signInAndAuthorize(email, PASSWORD), first.clientSecret()).statusCode())
			.isEqualTo(200);

		List<SignIn> signIns = this.applications.recentSignIns(acme.id(), first.id());
		assertThat(signIns).singleElement().satisfies(signIn -> {
			assertThat(signIn.personId().toString()).isEqualTo(personId);
			assertThat(signIn.email()).isEqualTo(email);
			assertThat(signIn.name()).isEqualTo("Mary Jackson");
			assertThat(signIn.signedInWith()).isEqualTo("password");
		});
		assertThat(this.applications.recentSignIns(acme.id(), second.id())).isEmpty();
		// The platform's application at this company, and at another, have none either.
		assertThat(this.applications.recentSignIns(acme.id(), platform.path("id").asString())).isEmpty();
		assertThat(this.applications.recentSignIns(other.id(), platform.path("id").asString())).isEmpty();

		// Through single sign-on, to the public client: recorded as such, for that application.
		configureEntra(acme);
		entra.signInAs(Map.of("oid", UUID.randomUUID().toString(), "preferred_username", email, "name", "M. Jackson"));
		CodeFlow sso = new CodeFlow(this.port, acme, second.clientId(), redirect);
		URI answer = signInWithSsoAndAuthorize(sso, acme);
		assertThat(sso.redeem(CodeFlow.query(answer).get("code"), null).statusCode()).isEqualTo(200);
		assertThat(this.applications.recentSignIns(acme.id(), second.id())).singleElement()
			.satisfies(signIn -> assertThat(signIn.signedInWith()).isEqualTo("sso"));
		assertThat(this.applications.recentSignIns(acme.id(), first.id())).hasSize(1);

		// The platform's application at one company lists that company's sign-ins only.
		CodeFlow atOther = new CodeFlow(this.port, other, platform.path("clientId").asString(),
				"http://" + other.slug() + ".learn.localhost/login/oauth2/code/rollcall");
		atOther.signInAndAuthorize(learner(other, "Other", "Person"), PASSWORD);
		assertThat(this.applications.recentSignIns(other.id(), platform.path("id").asString())).hasSize(1);
		assertThat(this.applications.recentSignIns(acme.id(), platform.path("id").asString())).isEmpty();

		// The console shows them: who, how.
		Console console = new Console(acme);
		String page = console.page("/console/applications/" + first.id()).body();
		assertThat(page).contains(email).contains("Mary Jackson").contains("Password");
		assertThat(console.page("/console/applications/" + second.id()).body()).contains("Single sign-on");
		// No token or code is stored with a sign-in.
		assertThat(this.jdbc
			.sql("select count(*) from information_schema.columns where table_name = 'application_sign_in'"
					+ " and (column_name like '%token%' or column_name like '%code%')")
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void signInsWhenRecordedSideBySideThenNoneFailsAndTheNewestFiftyStay() throws Exception {
		TestCompany acme = this.client.createCompany();
		var app = this.applications.register(acme.id(),
				new NewApplication("Crowded", List.of("http://crowd.localhost/cb"),
						null, null, "client_secret_basic"),
				Actor.system());
		UUID person = acme.ownerId();
		for (int i = 0; i < ApplicationSignIns.KEPT; i++) {
			this.stores.signIns().record(acme.id(), app.id(), person, "password");
		}
		org.springframework.transaction.support.TransactionTemplate transaction = new org.springframework.transaction.support.TransactionTemplate(
				this.transactionManager);
		// As the authorize endpoint records them: each in its authorization's transaction, which stays open a little
		// after the bound's delete. Deleting the same rows in another order, two of them deadlocked.
		try (var threads = java.util.concurrent.Executors.newFixedThreadPool(6)) {
			List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
			for (int t = 0; t < 6; t++) {
				done.add(threads.submit(() -> {
					for (int i = 0; i < 40; i++) {
						transaction.executeWithoutResult(status -> {
							this.stores.signIns().record(acme.id(), app.id(), person, "sso");
							java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
						});
					}
					return null;
				}));
			}
			for (var one : done) {
				one.get(); // a deadlock would fail here
			}
		}
		this.stores.signIns().record(acme.id(), app.id(), person, "password");
		assertThat(this.applications.recentSignIns(acme.id(), app.id())).hasSize(ApplicationSignIns.KEPT);

		// Rows one sign-in left to another (skipped while locked) may outlive it, as many as the timing makes (54 once
		// on a fast machine); later sign-ins take them, each up to 8 while adding one: the 240 side by side can leave
		// at most 240, which 40 more sign-ins one after another clear.
		for (int i = 0; i < 40; i++) {
			this.stores.signIns().record(acme.id(), app.id(), person, "password");
		}
		assertThat(this.jdbc.sql("select count(*) from application_sign_in where registered_client_id = :id")
			.param("id", app.id())
			.query(Long.class)
			.single()).isEqualTo(ApplicationSignIns.KEPT);
	}

	@Test
	void signInsWhenMoreThanKeptThenTheNewestFiftyOfThatApplicationStay() {
		TestCompany acme = this.client.createCompany();
		var app = this.applications.register(acme.id(), new NewApplication("Busy", List.of("http://busy.localhost/cb"),
				null, null, "client_secret_basic"), Actor.system());
		var quiet = this.applications.register(acme.id(), new NewApplication("Quiet", List.of("http://q.localhost/cb"),
				null, null, "client_secret_basic"), Actor.system());
		UUID person = acme.ownerId();
		this.stores.signIns().record(acme.id(), quiet.id(), person, "password");

		for (int i = 0; i < ApplicationSignIns.KEPT + 10; i++) {
			this.stores.signIns().record(acme.id(), app.id(), person, i % 2 == 0 ? "password" : "sso");
		}

		assertThat(this.applications.recentSignIns(acme.id(), app.id())).hasSize(ApplicationSignIns.KEPT);
		assertThat(this.jdbc.sql("select count(*) from application_sign_in where registered_client_id = :id")
			.param("id", app.id())
			.query(Long.class)
			.single()).isEqualTo(ApplicationSignIns.KEPT);
		assertThat(this.applications.recentSignIns(acme.id(), quiet.id())).hasSize(1);
	}

	@Test
	void tryItWhenPressedThenARealFlowShowsTheVerifiedClaimsOfTheSignedInAdmin() throws Exception {
		TestCompany acme = this.client.createCompany();
		Console console = new Console(acme);
		String id = console.register("Intranet", "http://intranet.localhost/callback").id();

		Response started = console.post("/console/applications/" + id + "/try", Map.of());
		assertThat(started.status()).as(started.body()).isEqualTo(302);
		URI authorize = URI.create(started.header("Location"));
		assertThat(authorize.getPath()).isEqualTo("/oauth2/authorize");
		Map<String, String> request = CodeFlow.query(authorize);
		assertThat(request).containsEntry("code_challenge_method", "S256")
			.containsKeys("state", "nonce", "code_challenge");
		Response code = console.page(authorize.getRawPath() + "?" + authorize.getRawQuery());
		assertThat(code.status()).as(code.body()).isEqualTo(302);
		URI callback = URI.create(code.header("Location"));
		assertThat(callback.getPath()).isEqualTo("/console/applications/try/callback");
		Response finished = console.page(callback.getRawPath() + "?" + callback.getRawQuery());
		assertThat(finished.status()).isEqualTo(302);
		assertThat(finished.header("Location")).contains("/console/applications/" + id);
		String page = console.page("/console/applications/" + id).body();

		assertThat(page).contains("data-verified=\"true\"");
		Map<String, String> claims = claims(page);
		assertThat(claims).containsEntry("sub", acme.ownerId().toString())
			.containsEntry("email", acme.ownerEmail())
			.containsEntry("iss", "http://" + acme.slug() + ".localhost:" + this.port)
			.containsEntry("nonce", request.get("nonce"));
		assertThat(claims.get("rollcall")).contains("\"role\":\"owner\"");
		// Shown once; the test client is not an application of the list, and the tokens it got are gone.
		assertThat(console.page("/console/applications/" + id).body()).doesNotContain("try-claims");
		assertThat(console.page("/console/applications").body()).doesNotContain("rollcall_try_");
		assertThat(this.jdbc.sql("select count(*) from oauth2_authorization a join oauth2_registered_client c "
				+ "on c.id = a.registered_client_id where c.client_id like 'rollcall_try_%' and a.attributes like :company")
			.param("company", "%" + acme.id() + "%")
			.query(Long.class)
			.single()).isZero();
		// A second try reuses the company's test client.
		Response again = console.post("/console/applications/" + id + "/try", Map.of());
		assertThat(CodeFlow.query(URI.create(again.header("Location"))))
			.containsEntry("client_id", request.get("client_id"));
		assertThat(this.jdbc.sql("select count(*) from oauth2_registered_client where client_settings like :company")
			.param("company", "%" + acme.id() + "%")
			.query(Long.class)
			.single()).isEqualTo(2);
		// The test client is this company's alone.
		String testClient = request.get("client_id");
		TestCompany other = this.client.createCompany();
		CodeFlow elsewhere = new CodeFlow(this.port, other, testClient, request.get("redirect_uri"));
		assertThat(elsewhere.authorize("openid").status()).isEqualTo(400);
		assertThat(this.applications.list(acme.id())).extracting(Applications.CompanyApplication::clientId)
			.doesNotContain(testClient);
	}

	// --- helpers

	/** A company's owner signed in to its console, over HTTP with a session of their own. */
	private final class Console {

		final RollcallClient browser = new RollcallClient(CompanyApplicationsTests.this.port);

		final String host;

		Console(TestCompany company) {
			this.host = company.slug() + ".localhost";
			CodeFlow.acceptInvitation(CompanyApplicationsTests.this.port, company, company.ownerInvitationUrl(),
					PASSWORD);
			String csrf = CodeFlow.csrf(this.browser.page(this.host, "/login").body());
			Response signedIn = this.browser.form(this.host, "/login",
					Map.of("email", company.ownerEmail(), "password", PASSWORD, "_csrf", csrf));
			assertThat(signedIn.status()).isEqualTo(302);
			assertThat(signedIn.header("Location")).doesNotContain("error");
		}

		Response page(String path) {
			return this.browser.page(this.host, path);
		}

		Response post(String path, Map<String, String> fields) {
			Map<String, String> form = new LinkedHashMap<>(fields);
			form.put("_csrf", CodeFlow.csrf(page("/console/applications").body()));
			return this.browser.form(this.host, path, form);
		}

		/** Registers a confidential application and opens its page, as a browser follows the redirect. */
		Registered register(String name, String redirectUri) {
			Response registered = post("/console/applications", Map.of("name", name, "redirectUris", redirectUri,
					"clientAuthentication", "client_secret_basic"));
			assertThat(registered.status()).isEqualTo(302);
			String path = URI.create(registered.header("Location")).getPath();
			return new Registered(path.substring(path.lastIndexOf('/') + 1), secret(page(path).body()));
		}

	}

	private record Registered(String id, String secret) {

	}

	private JsonNode registerPlatformApplication() {
		Response registered = this.client.operator("POST", "/api/v1/applications", Map.of("name", "Learning platform",
				"redirectUris", List.of("http://{slug}.learn.localhost/login/oauth2/code/rollcall")));
		assertThat(registered.status()).as(registered.body()).isEqualTo(201);
		return registered.json();
	}

	private String learner(TestCompany company, String firstName, String lastName) throws Exception {
		return CodeFlow.learnerWithPassword(this.client, MAIL, this.port, company, firstName, lastName, PASSWORD);
	}

	private void configureEntra(TestCompany company) {
		Response saved = this.client.api(company, "PUT", "/api/v1/integrations/sso",
				Map.of("provider", "entra", "tenantId", UUID.randomUUID().toString(), "authority", entra.authority(),
						"clientId", "client-" + company.slug(), "clientSecret", "s3cret-value"));
		assertThat(saved.status()).as(saved.body()).isEqualTo(200);
	}

	/** Authorize, the sign-in page's button, the company's provider, Rollcall's callback, back to authorize. */
	private URI signInWithSsoAndAuthorize(CodeFlow flow, TestCompany company) throws Exception {
		String host = company.slug() + ".localhost:" + this.port;
		Response toSignIn = flow.authorize("openid email");
		assertThat(URI.create(toSignIn.header("Location")).getPath()).isEqualTo("/login");
		String csrf = CodeFlow.csrf(flow.browser.page(host, "/login").body());
		Response started = flow.browser.form(host, "/sso/start", Map.of("_csrf", csrf));
		Response toProvider = flow.browser.page(host, pathAndQuery(URI.create(started.header("Location"))));
		assertThat(toProvider.status()).as(toProvider.body()).isEqualTo(302);
		HttpResponse<String> atProvider = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(toProvider.header("Location"))).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(atProvider.statusCode()).isEqualTo(302);
		Response callback = flow.browser.page(host,
				pathAndQuery(URI.create(atProvider.headers().firstValue("Location").orElseThrow())));
		assertThat(callback.status()).as(callback.body()).isEqualTo(302);
		URI back = URI.create(callback.header("Location"));
		assertThat(back.getPath()).isEqualTo("/oauth2/authorize");
		Response answer = flow.browser.page(host, pathAndQuery(back));
		assertThat(answer.status()).as(answer.body()).isEqualTo(302);
		URI result = URI.create(answer.header("Location"));
		assertThat(result.toString()).startsWith(flow.redirectUri).doesNotContain("error=");
		return result;
	}

	private static String pathAndQuery(URI uri) {
		return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
	}

	private static String secret(String page) {
		Matcher matcher = SECRET.matcher(page);
		assertThat(matcher.find()).as("the secret shown on the page: %s", page).isTrue();
		return matcher.group(1).strip();
	}

	/** The claims table of a try: name to value, as shown. */
	private static Map<String, String> claims(String page) {
		Map<String, String> claims = new LinkedHashMap<>();
		Matcher matcher = Pattern
			.compile("data-claim=\"([^\"]+)\">\\s*<td><code>[^<]*</code></td><td class=\"value\">([^<]*)</td>")
			.matcher(page);
		while (matcher.find()) {
			claims.put(matcher.group(1), org.springframework.web.util.HtmlUtils.htmlUnescape(matcher.group(2)));
		}
		return claims;
	}

	private static JsonNode json(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		return JSON.readTree(response.body());
	}

}
