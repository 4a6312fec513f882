package io.rollcall.sso;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.SsoFlow;
import io.rollcall.support.TestOidcProvider;
import io.rollcall.support.TestOidcProvider.Forgery;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single sign-on through real HTTP against an Entra-shaped provider the test controls, so that every check of the
 * provider's answer can be proven to refuse a forged one, with nothing stored.
 */
class SsoSignInTests extends IntegrationTest {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private static TestOidcProvider provider;

	private final HttpClient plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private Passwords passwords;

	@Autowired
	private SingleSignOn singleSignOn;

	private TestCompany company;

	private String host;

	private String tenant;

	@BeforeAll
	static void startProvider() throws Exception {
		provider = new TestOidcProvider();
	}

	@AfterAll
	static void stopProvider() {
		provider.close();
	}

	@BeforeEach
	void company() {
		provider.forge(Forgery.NONE);
		this.company = this.client.createCompany();
		this.host = this.company.slug() + ".localhost";
		this.tenant = UUID.randomUUID().toString();
		configure(this.company, this.tenant, "client-" + this.company.slug());
	}

	@Test
	void signInWhenFirstTimeThenLinkedByUpnAndNextTimeByStoredOid() {
		UUID person = createPerson("ada@example.com");
		String oid = UUID.randomUUID().toString();
		provider.signInAs(Map.of("oid", oid, "preferred_username", "Ada@Example.com", "name", "Ada"));

		RollcallClient browser = new RollcallClient(this.port);
		Response landed = signIn(browser, this.host);

		assertThat(pathAndQuery(landed.header("Location"))).isEqualTo("/");
		assertThat(browser.page(this.host, "/").body()).contains("ada@example.com");
		assertThat(externalId(person, "entra")).isEqualTo(oid);
		assertThat(auditActions(person)).contains("identity_linked");
		// Linked by the sign-in, not by provisioning: never the Entra sync's to deactivate (see EntraSyncTests).
		assertThat(SsoFlow.linkedBy(this.jdbc, person, "entra")).isEqualTo("sign-in");
		assertThat(SsoFlow.linkHistory(this.jdbc, person)).containsExactly("identity_linked: - -> sign-in");

		// The UPN changed at the provider (a rename): the stored object id still finds the same person.
		provider.signInAs(Map.of("oid", oid, "preferred_username", "ada.lovelace@example.com"));
		RollcallClient again = new RollcallClient(this.port);
		assertThat(pathAndQuery(signIn(again, this.host).header("Location"))).isEqualTo("/");
		assertThat(again.page(this.host, "/").body()).contains("ada@example.com");
	}

	@Test
	void signInWhenConfidentialClientThenPkceStateAndNonceSent() {
		createPerson("pk@example.com");
		provider.signInAs(Map.of("oid", UUID.randomUUID().toString(), "preferred_username", "pk@example.com"));

		signIn(new RollcallClient(this.port), this.host);

		TestOidcProvider.AuthorizationRequest request = provider.authorizations().getLast();
		assertThat(request.get("code_challenge_method")).isEqualTo("S256");
		assertThat(request.get("code_challenge")).isNotBlank();
		assertThat(request.get("state")).isNotBlank();
		assertThat(request.get("nonce")).isNotBlank();
		assertThat(request.get("client_id")).isEqualTo("client-" + this.company.slug());
	}

	@ParameterizedTest
	@EnumSource(value = Forgery.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
	void signInWhenIdTokenForgedThenRefusedAndNothingStored(Forgery forgery) {
		UUID person = createPerson("eve-" + forgery.name().toLowerCase() + "@example.com");
		provider.signInAs(Map.of("oid", UUID.randomUUID().toString(), "preferred_username",
				"eve-" + forgery.name().toLowerCase() + "@example.com"));
		provider.forge(forgery);

		RollcallClient browser = new RollcallClient(this.port);
		Response landed = signIn(browser, this.host);

		assertThat(landed.header("Location")).as(forgery.name()).contains("/sso/refused");
		assertNotSignedIn(browser, this.host);
		assertThat(externalId(person, "entra")).isNull();
		assertThat(auditActions(person)).doesNotContain("identity_linked");
	}

	@Test
	void callbackWhenStateDoesNotMatchThenRefusedAndNothingStored() throws Exception {
		UUID person = createPerson("state@example.com");
		provider.signInAs(Map.of("oid", UUID.randomUUID().toString(), "preferred_username", "state@example.com"));
		RollcallClient browser = new RollcallClient(this.port);
		String callback = atProvider(start(browser, this.host));

		Response landed = browser.page(this.host, callback.replaceAll("state=[^&]+", "state=forged-state"));

		assertThat(landed.header("Location")).contains("/sso/refused");
		assertNotSignedIn(browser, this.host);
		assertThat(externalId(person, "entra")).isNull();
	}

	@Test
	void callbackWhenCodeReplayedThenRefusedAndNothingStored() throws Exception {
		createPerson("first@example.com");
		UUID second = createPerson("second@example.com");
		provider.signInAs(Map.of("oid", UUID.randomUUID().toString(), "preferred_username", "first@example.com"));
		RollcallClient victim = new RollcallClient(this.port);
		String used = atProvider(start(victim, this.host));
		assertThat(pathAndQuery(victim.page(this.host, used).header("Location"))).isEqualTo("/");

		// Replayed as it was: the flow it belonged to is over.
		assertThat(victim.page(this.host, used).header("Location")).contains("/sso/start-from-home");
		// Replayed inside a new flow of another browser, with that flow's own state: the provider refuses the code.
		provider.signInAs(Map.of("oid", UUID.randomUUID().toString(), "preferred_username", "second@example.com"));
		RollcallClient attacker = new RollcallClient(this.port);
		String fresh = atProvider(start(attacker, this.host));
		String replay = fresh.replaceAll("code=[^&]+", "code=" + param(used, "code"));
		int refusedBefore = provider.tokenErrors().size();

		Response landed = attacker.page(this.host, replay);

		assertThat(landed.header("Location")).contains("/sso/refused");
		assertThat(provider.tokenErrors()).hasSize(refusedBefore + 1);
		assertNotSignedIn(attacker, this.host);
		assertThat(externalId(second, "entra")).isNull();
	}

	@Test
	void callbackWhenProviderOfCompanyAUsedOnCompanyBThenRefused() throws Exception {
		TestCompany other = this.client.createCompany();
		String otherHost = other.slug() + ".localhost";
		configure(other, UUID.randomUUID().toString(), "client-" + other.slug());
		UUID inB = createPerson(other, "both@example.com");
		createPerson("both@example.com");
		provider.signInAs(Map.of("oid", UUID.randomUUID().toString(), "preferred_username", "both@example.com"));
		String callbackOfA = atProvider(start(new RollcallClient(this.port), this.host));

		// A's callback, as it is, on B's host: B's sign-in was never started there.
		RollcallClient onB = new RollcallClient(this.port);
		assertThat(onB.page(otherHost, callbackOfA).header("Location")).contains("/sso/start-from-home");
		// A's code inside a flow started on B: B's registration only accepts ID tokens issued to B's client.
		String callbackOfB = atProvider(start(onB, otherHost));
		Response landed = onB.page(otherHost,
				callbackOfB.replaceAll("code=[^&]+", "code=" + param(callbackOfA, "code")));

		assertThat(landed.header("Location")).contains("/sso/refused");
		assertNotSignedIn(onB, otherHost);
		assertThat(externalIdIn(other, inB, "entra")).isNull();
	}

	@Test
	void authorizationWhenDeepLinkedThenSentToStartFromHome() {
		RollcallClient browser = new RollcallClient(this.port);

		Response authorization = browser.page(this.host, "/oauth2/authorization/" + this.company.slug());
		Response callback = browser.page(this.host,
				"/login/oauth2/code/" + this.company.slug() + "?code=abc&state=xyz");

		assertThat(authorization.header("Location")).endsWith("/sso/start-from-home");
		assertThat(callback.header("Location")).endsWith("/sso/start-from-home");
		assertThat(browser.page(this.host, "/sso/start-from-home").body()).contains("home page");
		assertThat(provider.authorizations()
			.stream()
			.filter(a -> a.get("client_id").equals("client-" + this.company.slug())))
			.isEmpty();
	}

	@Test
	void signInWhenPersonDeactivatedThenRefused() {
		UUID person = createPerson("gone@example.com");
		assertThat(this.client.api(this.company, "POST", "/api/v1/people/" + person + "/deactivate").status())
			.isEqualTo(200);
		provider.signInAs(Map.of("oid", UUID.randomUUID().toString(), "preferred_username", "gone@example.com"));

		RollcallClient browser = new RollcallClient(this.port);
		Response landed = signIn(browser, this.host);

		assertThat(landed.header("Location")).endsWith("/sso/refused?reason=deactivated");
		assertNotSignedIn(browser, this.host);
		assertThat(externalId(person, "entra")).isNull();
	}

	@Test
	void signInWhenPersonUnknownThenClearPageOrCreatedWhenEnabled() {
		provider.signInAs(Map.of("oid", "oid-new", "preferred_username", "new@example.com", "given_name", "Nia"));
		RollcallClient browser = new RollcallClient(this.port);

		assertThat(signIn(browser, this.host).header("Location")).endsWith("/sso/refused?reason=unknown");
		assertThat(browser.page(this.host, "/sso/refused?reason=unknown").body())
			.contains("does not exist in Rollcall yet");

		this.client.api(this.company, "PUT", "/api/v1/integrations/sso", Map.of("createOnFirstSignIn", true));
		assertThat(pathAndQuery(signIn(browser, this.host).header("Location"))).isEqualTo("/");
		var created = this.client.api(this.company, "GET", "/api/v1/people?q=new@example.com")
			.json()
			.path("items")
			.get(0);
		assertThat(created.path("firstName").asString()).isEqualTo("Nia");
		assertThat(created.path("externalIds").path("entra").asString()).isEqualTo("oid-new");
		assertThat(SsoFlow.linkedBy(this.jdbc, UUID.fromString(created.path("id").asString()), "entra"))
			.as("created by the sign-in, not provisioned")
			.isEqualTo("sign-in");
	}

	/**
	 * A generic OpenID Connect provider signs people in and never provisions (no source named oidc syncs): its link is
	 * a sign-in's, like Entra's and Okta's, so that no sync could ever count the person as its own.
	 */
	@Test
	void signInWhenGenericOidcProviderThenSubjectLinkedBySignIn() {
		MockOAuth2Server oidc = new MockOAuth2Server();
		oidc.start();
		try {
			String clientId = "rollcall-" + this.company.slug();
			Response saved = this.client.api(this.company, "PUT", "/api/v1/integrations/sso", Map.of("provider", "oidc",
					"authority", oidc.issuerUrl("generic").toString().replaceAll("/$", ""), "clientId", clientId,
					"clientSecret", "secret"));
			assertThat(saved.status()).as(saved.body()).isEqualTo(200);
			UUID person = createPerson("grace@example.com");
			String subject = "sub-" + UUID.randomUUID();
			oidc.enqueueCallback(new DefaultOAuth2TokenCallback("generic", subject, "JWT", java.util.List.of(clientId),
					Map.of("email", "Grace@Example.com", "email_verified", true), 3600));

			SsoFlow.signIn(this.port, this.company, "grace@example.com");

			assertThat(externalId(person, "oidc")).isEqualTo(subject);
			assertThat(SsoFlow.linkedBy(this.jdbc, person, "oidc")).isEqualTo("sign-in");
			assertThat(SsoFlow.linkHistory(this.jdbc, person)).containsExactly("identity_linked: - -> sign-in");
		}
		finally {
			oidc.shutdown();
		}
	}

	@Test
	void signInWhenProviderRotatesKeyThenNewKeyAccepted() throws Exception {
		createPerson("rot@example.com");
		provider.signInAs(Map.of("oid", UUID.randomUUID().toString(), "preferred_username", "rot@example.com"));
		assertThat(pathAndQuery(signIn(new RollcallClient(this.port), this.host).header("Location"))).isEqualTo("/");

		provider.rotateKey();

		assertThat(pathAndQuery(signIn(new RollcallClient(this.port), this.host).header("Location"))).isEqualTo("/");
	}

	@Test
	void passwordWhenSsoReplacesItThenRefusedExceptForOwner() {
		this.client.api(this.company, "PUT", "/api/v1/integrations/sso", Map.of("allowPassword", false));
		RollcallClient browser = new RollcallClient(this.port);

		String login = browser.page(this.host, "/login").body();
		assertThat(login).contains("sso-sign-in").doesNotContain("id=\"password\"").contains("owner-sign-in");
		assertThat(browser.page(this.host, "/login?owner").body()).contains("id=\"password\"");
	}

	@Test
	void passwordSignInWhenSsoReplacesItThenLearnerRefusedAndOwnerStillIn() {
		UUID learner = createPerson("learner@example.com");
		this.passwords.set(this.company.id(), learner, "a long enough password", io.rollcall.platform.Actor.system());
		this.passwords.set(this.company.id(), this.company.ownerId(), "a long enough password",
				io.rollcall.platform.Actor.system());
		this.client.api(this.company, "PUT", "/api/v1/integrations/sso", Map.of("allowPassword", false));

		Response learnerTry = passwordSignIn(new RollcallClient(this.port), "learner@example.com");
		Response ownerTry = passwordSignIn(new RollcallClient(this.port), this.company.ownerEmail());

		assertThat(learnerTry.header("Location")).endsWith("/login?ssoOnly");
		assertThat(pathAndQuery(ownerTry.header("Location"))).isEqualTo("/");
	}

	private Response passwordSignIn(RollcallClient browser, String email) {
		String csrf = csrf(browser.page(this.host, "/login?owner").body());
		return browser.form(this.host, "/login",
				Map.of("email", email, "password", "a long enough password", "_csrf", csrf));
	}

	@Test
	void signOutWhenSignedInWithSsoThenSentToProviderEndSession() {
		createPerson("out@example.com");
		provider.signInAs(Map.of("oid", UUID.randomUUID().toString(), "preferred_username", "out@example.com"));
		RollcallClient browser = new RollcallClient(this.port);
		signIn(browser, this.host);
		String csrf = csrf(browser.page(this.host, "/").body());

		Response out = browser.form(this.host, "/logout", Map.of("_csrf", csrf));

		assertThat(out.header("Location")).startsWith(provider.authority() + "/" + this.tenant + "/oauth2/v2.0/logout?")
			.contains("id_token_hint=")
			.contains("post_logout_redirect_uri=");
		assertNotSignedIn(browser, this.host);
	}

	@Test
	void settingsWhenSavedThenSecretSealedAndNeverShown() {
		Response shown = this.client.api(this.company, "GET", "/api/v1/integrations/sso");

		assertThat(shown.status()).isEqualTo(200);
		assertThat(shown.body()).doesNotContain("s3cret-value").contains("\"clientSecretSet\":true");
		String stored = this.jdbc
			.sql("select client_secret_sealed || tenant_id_sealed from sso_settings where company_id = :c")
			.param("c", this.company.id())
			.query(String.class)
			.single();
		assertThat(stored).doesNotContain("s3cret-value").doesNotContain(this.tenant);
	}

	@Test
	void settingsWhenReadThenTenantIdMaskedAndSavingItBackMaskedKeepsTheStoredTenant() {
		Response shown = this.client.api(this.company, "GET", "/api/v1/integrations/sso");

		assertThat(shown.body()).doesNotContain(this.tenant);
		String masked = shown.json().path("tenantId").asString();
		assertThat(masked).isEqualTo("••••••••-…-" + this.tenant.substring(this.tenant.length() - 4));

		Response saved = this.client.api(this.company, "PUT", "/api/v1/integrations/sso",
				Map.of("provider", "entra", "tenantId", masked, "clientId", "rollcall-test", "buttonLabel",
						"Sign in with Entra"));

		assertThat(saved.status()).as(saved.body()).isEqualTo(200);
		assertThat(saved.body()).doesNotContain(this.tenant);
		assertThat(this.singleSignOn.find(this.company.id()).orElseThrow().tenantId()).isEqualTo(this.tenant);
	}

	@Test
	void settingsWhenTenantIsCommonThenRefusedWithField() {
		Response refused = this.client.api(this.company, "PUT", "/api/v1/integrations/sso",
				Map.of("provider", "entra", "tenantId", "common", "clientId", "x"));

		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.json().path("field").asString()).isEqualTo("tenantId");
	}

	private void configure(TestCompany company, String tenantId, String clientId) {
		Response saved = this.client.api(company, "PUT", "/api/v1/integrations/sso",
				Map.of("provider", "entra", "tenantId", tenantId, "authority", provider.authority(), "clientId",
						clientId,
						"clientSecret", "s3cret-value", "buttonLabel", "Sign in with Test Entra"));
		assertThat(saved.status()).as(saved.body()).isEqualTo(200);
	}

	/** The whole flow: sign-in page, button, provider, callback; returns Rollcall's answer to the callback. */
	private Response signIn(RollcallClient browser, String host) {
		try {
			return browser.page(host, atProvider(start(browser, host)));
		}
		catch (Exception ex) {
			throw new AssertionError(ex);
		}
	}

	/** Presses the sign-in button; returns the provider's authorization URL Rollcall redirects to. */
	private String start(RollcallClient browser, String host) {
		String csrf = csrf(browser.page(host, "/login").body());
		Response started = browser.form(host, "/sso/start", Map.of("_csrf", csrf));
		assertThat(started.header("Location")).endsWith("/oauth2/authorization/" + host.replace(".localhost", ""));
		Response redirect = browser.page(host, pathAndQuery(started.header("Location")));
		assertThat(redirect.status()).as(redirect.body()).isEqualTo(302);
		return redirect.header("Location");
	}

	/** The provider signs the person in at once; returns the path and query of Rollcall's callback. */
	private String atProvider(String authorizationUrl) throws Exception {
		HttpResponse<String> answer = this.plain.send(HttpRequest.newBuilder(URI.create(authorizationUrl)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(answer.statusCode()).isEqualTo(302);
		return pathAndQuery(answer.headers().firstValue("Location").orElseThrow());
	}

	private void assertNotSignedIn(RollcallClient browser, String host) {
		Response home = browser.page(host, "/");
		assertThat(home.status()).isEqualTo(302);
		assertThat(home.header("Location")).endsWith("/login");
	}

	private UUID createPerson(String email) {
		return createPerson(this.company, email);
	}

	private UUID createPerson(TestCompany company, String email) {
		Response created = this.client.api(company, "POST", "/api/v1/people", Map.of("email", email, "firstName", "P"));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return UUID.fromString(created.json().path("id").asString());
	}

	private String externalId(UUID person, String source) {
		return externalIdIn(this.company, person, source);
	}

	private String externalIdIn(TestCompany company, UUID person, String source) {
		var ids = this.client.api(company, "GET", "/api/v1/people/" + person).json().path("externalIds");
		return ids.has(source) ? ids.path(source).asString() : null;
	}

	private java.util.List<String> auditActions(UUID person) {
		return this.jdbc.sql("select action from audit_entry where subject_id = :id")
			.param("id", person)
			.query(String.class)
			.list();
	}

	private static String pathAndQuery(String location) {
		URI uri = URI.create(location);
		return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
	}

	private static String param(String pathAndQuery, String name) {
		Map<String, String> values = new HashMap<>();
		for (String pair : URI.create(pathAndQuery).getRawQuery().split("&")) {
			String[] kv = pair.split("=", 2);
			values.put(kv[0], kv.length > 1 ? kv[1] : "");
		}
		return values.get(name);
	}

	private static String csrf(String html) {
		Matcher matcher = CSRF.matcher(html);
		assertThat(matcher.find()).as("a CSRF token in the page").isTrue();
		return matcher.group(1);
	}

}
