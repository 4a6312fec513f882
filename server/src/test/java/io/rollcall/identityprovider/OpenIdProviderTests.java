package io.rollcall.identityprovider;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.rollcall.emulators.entra.DirectorySpec;
import io.rollcall.emulators.entra.EntraEmulator;
import io.rollcall.emulators.entra.EntraTenant;
import io.rollcall.emulators.entra.EntraUser;
import io.rollcall.emulators.entra.GeneratedDirectory;
import io.rollcall.support.EntraSettings;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.LocalhostSubdomains;
import io.rollcall.support.Mails;
import io.rollcall.support.RollcallClient;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.TestOidcProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.rollcall.support.CodeFlow.challenge;
import static io.rollcall.support.CodeFlow.csrf;
import static io.rollcall.support.CodeFlow.form;
import static io.rollcall.support.CodeFlow.query;
import static io.rollcall.support.CodeFlow.random;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rollcall as the host application's OpenID Provider, over real HTTP as an application and a browser go through it:
 * the authorize request, the company's sign-in page, the code, the token endpoint, the ID token checked against the
 * JWKS, userinfo; and the requests each refused.
 */
class OpenIdProviderTests extends IntegrationTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String PASSWORD = "correct horse battery";

	private static final String REDIRECT = "http://{slug}.learn.localhost/login/oauth2/code/rollcall";

	private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	@org.springframework.beans.factory.annotation.Autowired
	private SigningKeys signingKeys;

	@org.springframework.beans.factory.annotation.Autowired
	private AuthorizationRetention retention;

	@org.springframework.beans.factory.annotation.Autowired
	private IdentityProviderStores stores;

	@org.springframework.beans.factory.annotation.Autowired
	private javax.sql.DataSource dataSource;

	@org.springframework.beans.factory.annotation.Autowired
	private io.rollcall.support.TestClock clock;

	/** The company's own identity provider, Entra-shaped, for sign-ins through single sign-on. */
	private static TestOidcProvider entra;

	private TestCompany company;

	private String host;

	private String issuer;

	@BeforeAll
	static void startEntra() throws Exception {
		entra = new TestOidcProvider();
	}

	@AfterAll
	static void stopEntra() {
		entra.close();
	}

	@BeforeEach
	void company() {
		this.company = this.client.createCompany();
		// The host a browser names, port and all: the issuer is the company's address as people reach it.
		this.host = this.company.slug() + ".localhost:" + this.port;
		this.issuer = "http://" + this.host;
	}

	@Test
	void codeFlowWhenPasswordSignInThenIdTokenSignedByJwksWithPersonClaims() throws Exception {
		JsonNode app = register("client_secret_basic");
		String email = person("Ada", "Lovelace");
		String personId = this.client.personByEmail(this.company, email).path("id").asString();
		Response profile = this.client.api(this.company, "PATCH", "/api/v1/people/" + personId, Map.of("avatarUrl",
				"https://cdn.example.com/ada.png", "language", "en-GB", "timeZone", "Europe/London"));
		assertThat(profile.status()).as(profile.body()).isEqualTo(200);
		Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));

		String code = flow.signInAndAuthorize(this.host, email, PASSWORD);
		JsonNode tokens = flow.redeem(this.host, code, app.path("clientSecret").asString());

		assertThat(tokens.path("token_type").asString()).isEqualTo("Bearer");
		// RS256 ID tokens unless the application asked otherwise; access tokens are Rollcall's own, in ES256.
		assertThat(algorithm(tokens.path("id_token").asString())).isEqualTo(JWSAlgorithm.RS256);
		assertThat(algorithm(tokens.path("access_token").asString())).isEqualTo(JWSAlgorithm.ES256);
		assertThat(verify(this.host, tokens.path("access_token").asString()).getSubject()).isEqualTo(
				this.client.personByEmail(this.company, email).path("id").asString());
		JWTClaimsSet id = verify(this.host, tokens.path("id_token").asString());
		assertThat(id.getIssuer()).isEqualTo(this.issuer);
		assertThat(id.getAudience()).containsExactly(flow.clientId);
		assertThat(id.getStringClaim("nonce")).isEqualTo(flow.nonce);
		JsonNode person = this.client.personByEmail(this.company, email);
		assertThat(id.getSubject()).isEqualTo(person.path("id").asString());
		assertThat(id.getStringClaim("email")).isEqualTo(email);
		assertThat(id.getBooleanClaim("email_verified")).isTrue();
		assertThat(id.getStringClaim("name")).isEqualTo("Ada Lovelace");
		assertThat(id.getStringClaim("given_name")).isEqualTo("Ada");
		assertThat(id.getStringClaim("family_name")).isEqualTo("Lovelace");
		assertThat(id.getLongClaim("updated_at")).isPositive();
		assertThat(id.getStringClaim("picture")).isEqualTo("https://cdn.example.com/ada.png");
		assertThat(id.getStringClaim("locale")).isEqualTo("en-GB");
		assertThat(id.getStringClaim("zoneinfo")).isEqualTo("Europe/London");
		Map<String, Object> place = id.getJSONObjectClaim("rollcall");
		assertThat(place).containsEntry("role", "learner");
		assertThat(place.get("company"))
			.isEqualTo(Map.of("id", this.company.id().toString(), "slug", this.company.slug()));
		// The same claims from userinfo, with the access token.
		JsonNode userInfo = json(get(this.host, "/userinfo", "Bearer " + tokens.path("access_token").asString()), 200);
		assertThat(userInfo.path("sub").asString()).isEqualTo(id.getSubject());
		assertThat(userInfo.path("email").asString()).isEqualTo(email);
		assertThat(userInfo.path("rollcall").path("company").path("slug").asString()).isEqualTo(this.company.slug());
	}

	@Test
	void codeFlowWhenSingleSignOnThenBackToTheApplicationWithTheSameSubject() throws Exception {
		JsonNode app = register("client_secret_basic");
		String email = person("Katherine", "Johnson");
		String sub = this.client.personByEmail(this.company, email).path("id").asString();
		configureEntra();
		entra.signInAs(Map.of("oid", UUID.randomUUID().toString(), "preferred_username", email, "name", "K. Johnson"));
		Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));

		URI answer = flow.signInWithSsoAndAuthorize(this.host);

		Map<String, String> params = query(answer);
		assertThat(params).containsEntry("state", flow.state).doesNotContainKey("error");
		JWTClaimsSet id = verify(this.host,
				flow.redeem(this.host, params.get("code"), app.path("clientSecret").asString())
					.path("id_token")
					.asString());
		// The same person whichever way they signed in: the same sub as for a password sign-in.
		assertThat(id.getSubject()).isEqualTo(sub);
		assertThat(id.getStringClaim("email")).isEqualTo(email);
		assertThat(id.getStringClaim("nonce")).isEqualTo(flow.nonce);
	}

	@Test
	void codeFlowWhenSingleSignOnOfUnknownPersonThenAccessDeniedToTheApplication() throws Exception {
		JsonNode app = register("client_secret_basic");
		configureEntra();
		entra.signInAs(Map.of("oid", UUID.randomUUID().toString(), "preferred_username", "stranger@example.com"));
		Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));

		URI answer = flow.signInWithSsoAndAuthorize(this.host);

		assertThat(answer.toString()).startsWith(redirect(this.company));
		Map<String, String> params = query(answer);
		assertThat(params).containsEntry("error", "access_denied")
			.containsEntry("state", flow.state)
			.doesNotContainKey("code");
		assertThat(params.get("error_description")).contains("does not exist in Rollcall");
	}

	@Test
	void codeFlowWhenSingleSignOnOfDeactivatedPersonThenAccessDeniedToTheApplication() throws Exception {
		JsonNode app = register("client_secret_basic");
		String email = person("Former", "Employee");
		String id = this.client.personByEmail(this.company, email).path("id").asString();
		assertThat(this.client.api(this.company, "POST", "/api/v1/people/" + id + "/deactivate").status())
			.isEqualTo(200);
		configureEntra();
		entra.signInAs(Map.of("oid", UUID.randomUUID().toString(), "preferred_username", email));
		Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));

		Map<String, String> params = query(flow.signInWithSsoAndAuthorize(this.host));

		assertThat(params).containsEntry("error", "access_denied").doesNotContainKey("code");
		assertThat(params.get("error_description")).contains("deactivated");
	}

	@Test
	void codeFlowWhenDeactivatedPersonGivesTheRightPasswordThenAccessDeniedToTheApplication() throws Exception {
		JsonNode app = register("client_secret_basic");
		String email = person("Gone", "Away");
		String id = this.client.personByEmail(this.company, email).path("id").asString();
		assertThat(this.client.api(this.company, "POST", "/api/v1/people/" + id + "/deactivate").status())
			.isEqualTo(200);
		Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));

		Response signedIn = flow.signIn(this.host, email, PASSWORD);

		URI back = URI.create(signedIn.header("Location"));
		assertThat(back.getPath()).as("back to the authorize request").isEqualTo("/oauth2/authorize");
		Response answer = flow.browser.page(this.host, pathAndQuery(back));
		assertThat(answer.status()).as(answer.body()).isEqualTo(302);
		assertThat(answer.header("Location")).startsWith(redirect(this.company));
		Map<String, String> params = query(URI.create(answer.header("Location")));
		assertThat(params).containsEntry("error", "access_denied")
			.containsEntry("state", flow.state)
			.doesNotContainKey("code");
		assertThat(params.get("error_description")).contains("deactivated");
	}

	@Test
	void codeFlowWhenDeactivatedPersonGivesAWrongPasswordThenWrongEmailOrPasswordAsForAnUnknownOne() throws Exception {
		JsonNode app = register("client_secret_basic");
		String email = person("Gone", "Quietly");
		String id = this.client.personByEmail(this.company, email).path("id").asString();
		assertThat(this.client.api(this.company, "POST", "/api/v1/people/" + id + "/deactivate").status())
			.isEqualTo(200);
		Flow deactivated = new Flow(app.path("clientId").asString(), redirect(this.company));
		Flow unknown = new Flow(app.path("clientId").asString(), redirect(this.company));

		Response wrong = deactivated.signIn(this.host, email, "not the password");
		Response nobody = unknown.signIn(this.host, "nobody-" + UUID.randomUUID() + "@example.com", "not the password");

		// Nothing tells the two apart: the same page, and the application hears nothing.
		assertThat(wrong.header("Location")).endsWith("/login?error").isEqualTo(nobody.header("Location"));
		assertThat(deactivated.browser.page(this.host, "/login?error").body()).contains("Wrong e-mail or password")
			.doesNotContain("deactivated");
		Response again = deactivated.browser.page(this.host, deactivated.authorizePath(true));
		assertThat(URI.create(again.header("Location")).getPath()).isEqualTo("/login");
	}

	@Test
	void tokensWhenStoredThenNoColumnHoldsTheirValuesOnlyDigests() throws Exception {
		JsonNode app = register("client_secret_basic");
		String secret = app.path("clientSecret").asString();
		Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));
		String code = flow.signInAndAuthorize(this.host, person("Kept", "Hashed"), PASSWORD,
				"openid email offline_access");
		JsonNode tokens = flow.redeem(this.host, code, secret);
		JsonNode refreshed = json(flow.refresh(this.host, tokens.path("refresh_token").asString(), secret), 200);

		List<String> values = List.of(code, tokens.path("access_token").asString(),
				tokens.path("refresh_token").asString(),
				tokens.path("id_token").asString(), refreshed.path("access_token").asString(),
				refreshed.path("refresh_token").asString(), refreshed.path("id_token").asString());
		for (String value : values) {
			assertThat(value).isNotBlank();
			assertThat(
					this.jdbc
						.sql("""
								select (select count(*) from oauth2_authorization a where strpos(cast(a as text), :v) > 0)
								     + (select count(*) from oauth2_authorization_token t where strpos(cast(t as text), :v) > 0)
								     + (select count(*) from oauth2_refresh_token r where strpos(cast(r as text), :v) > 0)""")
						.param("v", value)
						.query(Long.class)
						.single())
				.as("rows holding a token in clear")
				.isZero();
		}
		// Found by digest: the current refresh token's is stored; and what was issued still works.
		assertThat(this.jdbc.sql("select count(*) from oauth2_authorization_token where refresh_token_value = :digest")
			.param("digest", HashedTokenAuthorizations.digest(refreshed.path("refresh_token").asString()))
			.query(Long.class)
			.single()).isOne();
		// Whoever read the digest from the database cannot present it.
		HttpResponse<String> digestPresented = flow.refresh(this.host,
				HashedTokenAuthorizations.digest(refreshed.path("refresh_token").asString()), secret);
		assertThat(digestPresented.statusCode()).isEqualTo(400);
		assertThat(digestPresented.body()).contains("invalid_grant");
		// V20 hashed the values stored before in SQL: the same digest as Java's, or live tokens would stop working.
		String jwt = refreshed.path("id_token").asString();
		assertThat(this.jdbc.sql("""
				select 'sha256:' || translate(rtrim(encode(sha256(convert_to(:v, 'UTF8')), 'base64'), '='), '+/', '-_')
				""").param("v", jwt).query(String.class).single()).isEqualTo(HashedTokenAuthorizations.digest(jwt));
		assertThat(json(flow.introspect(this.host, refreshed.path("access_token").asString(), secret), 200)
			.path("active")
			.asBoolean()).isTrue();
		assertThat(json(get(this.host, "/userinfo", "Bearer " + refreshed.path("access_token").asString()), 200)
			.path("email")
			.asString()).isNotBlank();
	}

	@Test
	void tokensWhenStoredThenRowInRollcallsCompactFormWithoutThePersonsProfile() throws Exception {
		JsonNode app = register("client_secret_basic");
		String secret = app.path("clientSecret").asString();
		Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));
		String email = person("Kept", "Compact");
		String code = flow.signInAndAuthorize(this.host, email, PASSWORD, "openid email profile offline_access");
		JsonNode tokens = flow.redeem(this.host, code, secret);
		String authorization = authorizationOf(tokens.path("refresh_token").asString());

		Map<String, Object> row = this.jdbc.sql("""
				select attributes, oidc_id_token_metadata, access_token_metadata,
				       pg_column_size(attributes) + pg_column_size(oidc_id_token_metadata)
				       + pg_column_size(access_token_metadata) as stored,
				       octet_length(attributes) + octet_length(oidc_id_token_metadata)
				       + octet_length(access_token_metadata) as written
				from oauth2_authorization a join oauth2_authorization_token t on t.authorization_id = a.id
				where id = :id""").param("id", authorization).query().singleRow();
		assertThat((String) row.get("attributes")).startsWith(AuthorizationColumns.FORMAT);
		assertThat(row.values().stream().map(String::valueOf)).noneMatch(column -> column.contains("@class"));
		// The ID token's profile claims are not kept; what the end-session endpoint and a refresh read back is.
		assertThat((String) row.get("oidc_id_token_metadata")).doesNotContain(email)
			.doesNotContain("Compact")
			.contains("\"aud\"")
			.contains("\"sub\"");
		// The access token's claims are its JWT's payload, not kept again (introspection reads them from the token).
		assertThat((String) row.get("access_token_metadata")).doesNotContain("\"sub\"")
			.doesNotContain("\"aud\"")
			.doesNotContain("\"jti\"")
			.doesNotContain("company_id");
		// Not compressed by PostgreSQL on every save (V23), and half the size the store's own JSON takes (~3 kB).
		assertThat(((Number) row.get("stored")).intValue()).as(row.toString())
			.isGreaterThanOrEqualTo(((Number) row.get("written")).intValue())
			.isLessThan(1_800);

		// Read back, it serves as before: a refresh (sid and auth_time carried over), fresh claims, introspection.
		JsonNode refreshed = json(flow.refresh(this.host, tokens.path("refresh_token").asString(), secret), 200);
		JWTClaimsSet first = verify(this.host, tokens.path("id_token").asString());
		JWTClaimsSet again = verify(this.host, refreshed.path("id_token").asString());
		assertThat(again.getStringClaim("email")).isEqualTo(first.getStringClaim("email")).isNotBlank();
		assertThat(again.getStringClaim("family_name")).isEqualTo("Compact");
		assertThat(again.getClaim("sid")).isEqualTo(first.getClaim("sid"));
		assertThat(again.getDateClaim("auth_time")).isEqualTo(first.getDateClaim("auth_time"));
		JsonNode introspected = json(flow.introspect(this.host, refreshed.path("access_token").asString(), secret),
				200);
		assertThat(introspected.path("active").asBoolean()).isTrue();
		assertThat(introspected.path("sub").asString()).isEqualTo(first.getSubject());
		assertThat(introspected.path("scope").asString()).contains("email");
		assertThat(introspected.path("iss").asString()).isEqualTo(this.issuer);
		JWTClaimsSet access = com.nimbusds.jwt.SignedJWT.parse(refreshed.path("access_token").asString())
			.getJWTClaimsSet();
		assertThat(introspected.path("jti").asString()).isEqualTo(access.getJWTID()).isNotBlank();
		assertThat(introspected.path("aud").get(0).asString()).isEqualTo(app.path("clientId").asString());
		assertThat(introspected.path("exp").asLong()).isEqualTo(access.getExpirationTime().getTime() / 1000);
		assertThat(introspected.path("iat").asLong()).isEqualTo(access.getIssueTime().getTime() / 1000);
		assertThat(introspected.path("company_id").asString()).isEqualTo(access.getStringClaim("company_id"))
			.isNotBlank();
		assertThat(introspected.path("client_id").asString()).isEqualTo(app.path("clientId").asString());
		// Access tokens are found by their subject (no index of their own), with a type hint as without one.
		JsonNode hinted = json(flow.post(this.host, "/oauth2/introspect",
				Map.of("token", refreshed.path("access_token").asString(), "token_type_hint", "access_token"), secret),
				200);
		assertThat(hinted.path("active").asBoolean()).isTrue();
		assertThat(flow.post(this.host, "/oauth2/revoke",
				Map.of("token", refreshed.path("access_token").asString(), "token_type_hint", "access_token"), secret)
			.statusCode()).isEqualTo(200);
		assertThat(json(flow.introspect(this.host, refreshed.path("access_token").asString(), secret), 200)
			.path("active")
			.asBoolean()).as("revoked").isFalse();
		assertThat(get(this.host, "/userinfo", "Bearer " + refreshed.path("access_token").asString()).statusCode())
			.isEqualTo(401);
	}

	@Test
	void refreshWhenAuthorizationStoredInTheStoresOwnJsonThenStillServedAndRewrittenCompact() throws Exception {
		JsonNode app = register("client_secret_basic");
		String secret = app.path("clientSecret").asString();
		Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));
		String code = flow.signInAndAuthorize(this.host, person("Kept", "Before"), PASSWORD,
				"openid email offline_access");
		JsonNode tokens = flow.redeem(this.host, code, secret);
		String id = authorizationOf(tokens.path("refresh_token").asString());
		// Saved again as before the compact format: Spring Authorization Server's own polymorphic JSON.
		var before = new AuthorizationRows(new org.springframework.jdbc.core.JdbcTemplate(this.dataSource),
				this.stores.registeredClients());
		before.setAuthorizationRowMapper(this.stores.columns().rows());
		before.setAuthorizationParametersMapper(
				new org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService.JsonMapperOAuth2AuthorizationParametersMapper(
						IdentityProviderStores.storeJson()));
		before.save(before.findById(id));
		assertThat(this.jdbc
			.sql("select access_token_metadata from oauth2_authorization_token where authorization_id = :id")
			.param("id", id)
			.query(String.class)
			.single()).contains("@class");
		assertThat(this.jdbc.sql("select attributes from oauth2_authorization where id = :id")
			.param("id", id)
			.query(String.class)
			.single()).startsWith("{\"@class\"");

		JsonNode refreshed = json(flow.refresh(this.host, tokens.path("refresh_token").asString(), secret), 200);
		assertThat(verify(this.host, refreshed.path("id_token").asString()).getSubject())
			.isEqualTo(verify(this.host, tokens.path("id_token").asString()).getSubject());
		assertThat(this.jdbc.sql("select attributes from oauth2_authorization where id = :id")
			.param("id", id)
			.query(String.class)
			.single()).startsWith(AuthorizationColumns.FORMAT);
		// The replaced refresh token is still known as such: presented again, it revokes the sign-in.
		assertThat(flow.refresh(this.host, tokens.path("refresh_token").asString(), secret).statusCode())
			.isEqualTo(400);
		assertThat(flow.refresh(this.host, refreshed.path("refresh_token").asString(), secret).statusCode())
			.isEqualTo(400);
	}

	@Test
	void authorizationWhenHoldingWhatTheCompactFormCannotSayThenKeptInTheStoresJsonAndServed() throws Exception {
		JsonNode app = register("client_secret_basic");
		String secret = app.path("clientSecret").asString();
		Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));
		String code = flow.signInAndAuthorize(this.host, person("Kept", "Unusual"), PASSWORD,
				"openid email offline_access");
		JsonNode tokens = flow.redeem(this.host, code, secret);
		String id = authorizationOf(tokens.path("refresh_token").asString());
		var rows = new AuthorizationRows(new org.springframework.jdbc.core.JdbcTemplate(this.dataSource),
				this.stores.registeredClients());
		rows.setAuthorizationRowMapper(this.stores.columns().rows());
		rows.setAuthorizationParametersMapper(this.stores.columns().parameters());
		// An attribute Rollcall's format has no word for (as a later Spring Authorization Server might add).
		rows.save(org.springframework.security.oauth2.server.authorization.OAuth2Authorization.from(rows.findById(id))
			.attribute("org.example.unusual", "kept")
			.build());

		assertThat(this.jdbc.sql("select attributes from oauth2_authorization where id = :id")
			.param("id", id)
			.query(String.class)
			.single()).startsWith("{\"@class\"").contains("org.example.unusual");
		assertThat(rows.findById(id).<String>getAttribute("org.example.unusual")).isEqualTo("kept");
		JsonNode refreshed = json(flow.refresh(this.host, tokens.path("refresh_token").asString(), secret), 200);
		assertThat(verify(this.host, refreshed.path("id_token").asString()).getSubject())
			.isEqualTo(verify(this.host, tokens.path("id_token").asString()).getSubject());
		// Saved again by the refresh, still with it, still in the store's JSON.
		assertThat(this.jdbc.sql("select attributes from oauth2_authorization where id = :id")
			.param("id", id)
			.query(String.class)
			.single()).startsWith("{\"@class\"").contains("org.example.unusual");
	}

	private String authorizationOf(String refreshToken) {
		return this.jdbc
			.sql("select authorization_id from oauth2_authorization_token where refresh_token_value = :digest")
			.param("digest", HashedTokenAuthorizations.digest(refreshToken))
			.query(String.class)
			.single();
	}

	@Test
	void tokenWhenRefreshedThenTheOnceWrittenRowStaysAndTheTokenRowIsRewrittenInPlace() throws Exception {
		JsonNode app = register("client_secret_basic");
		String secret = app.path("clientSecret").asString();
		Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));
		JsonNode tokens = flow.redeem(this.host,
				flow.signInAndAuthorize(this.host, person("Written", "Once"), PASSWORD, "openid offline_access"),
				secret);
		String id = authorizationOf(tokens.path("refresh_token").asString());
		Map<String, Object> before = rowVersions(id);

		JsonNode refreshed = json(flow.refresh(this.host, tokens.path("refresh_token").asString(), secret), 200);

		assertThat(authorizationOf(refreshed.path("refresh_token").asString())).isEqualTo(id);
		Map<String, Object> after = rowVersions(id);
		// V29: the request, principal and code are not written again by a token request, only its tokens.
		assertThat(after.get("authorization")).as("the authorization's row version")
			.isEqualTo(before.get("authorization"));
		assertThat(after.get("tokens")).as("the token row's version").isNotEqualTo(before.get("tokens"));
		// On the same page (a HOT update: no index entry), which the fill factor leaves room for.
		assertThat(after.get("page")).isEqualTo(before.get("page"));
		assertThat(this.jdbc.sql("select count(*) from oauth2_refresh_token where authorization_id = :id")
			.param("id", id)
			.query(Long.class)
			.single()).as("the first refresh token and its replacement").isEqualTo(2);
	}

	@Test
	void tokenWhenItsAuthorizationWasDeletedWhileTheRequestRanThenNothingIsWrittenBack() throws Exception {
		JsonNode app = register("client_secret_basic");
		String secret = app.path("clientSecret").asString();
		Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));
		JsonNode tokens = flow.redeem(this.host,
				flow.signInAndAuthorize(this.host, person("Gone", "Meanwhile"), PASSWORD, "openid offline_access"),
				secret);
		String id = authorizationOf(tokens.path("refresh_token").asString());
		var rows = new AuthorizationRows(new org.springframework.jdbc.core.JdbcTemplate(this.dataSource),
				this.stores.registeredClients());
		rows.setAuthorizationRowMapper(this.stores.columns().rows());
		rows.setAuthorizationParametersMapper(this.stores.columns().parameters());
		org.springframework.web.context.request.RequestContextHolder.setRequestAttributes(
				new org.springframework.web.context.request.ServletRequestAttributes(
						new org.springframework.mock.web.MockHttpServletRequest()));
		try {
			// A token request read the authorization; then the person left (Departures deletes it).
			var read = rows.findById(id);
			this.jdbc.sql("delete from oauth2_authorization where id = :id").param("id", id).update();
			String replacement = HashedTokenAuthorizations.digest("a refresh token issued too late");
			rows.save(org.springframework.security.oauth2.server.authorization.OAuth2Authorization.from(read)
				.refreshToken(new org.springframework.security.oauth2.core.OAuth2RefreshToken(replacement,
						Instant.now(), Instant.now().plus(Duration.ofHours(1))))
				.build());

			assertThat(this.jdbc.sql("""
					select (select count(*) from oauth2_authorization where id = :id)
					     + (select count(*) from oauth2_authorization_token where authorization_id = :id)
					     + (select count(*) from oauth2_refresh_token where token_value = :token)""")
				.param("id", id)
				.param("token", replacement)
				.query(Long.class)
				.single()).as("nothing written back for a departed person").isZero();
		}
		finally {
			org.springframework.web.context.request.RequestContextHolder.resetRequestAttributes();
		}
		assertThat(flow.refresh(this.host, tokens.path("refresh_token").asString(), secret).statusCode())
			.isEqualTo(400);
	}

	private Map<String, Object> rowVersions(String id) {
		return this.jdbc.sql("""
				select a.xmin::text as authorization, t.xmin::text as tokens, (t.ctid::text::point)[0] as page
				from oauth2_authorization a join oauth2_authorization_token t on t.authorization_id = a.id
				where a.id = :id""").param("id", id).query().singleRow();
	}

	@Test
	void tokenWhenCodeRedeemedOrRefreshedThenStatementsWithinBudget() throws Exception {
		JsonNode app = register("client_secret_basic");
		String secret = app.path("clientSecret").asString();
		String email = person("Counted", "Statements");
		// Once before counting: the first token of a fresh database also makes the signing key.
		Flow first = new Flow(app.path("clientId").asString(), redirect(this.company));
		first.redeem(this.host, first.signInAndAuthorize(this.host, email, PASSWORD, "openid email offline_access"),
				secret);
		Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));
		String code = flow.signInAndAuthorize(this.host, email, PASSWORD, "openid email offline_access");

		List<String> redeemed = new java.util.ArrayList<>();
		JsonNode tokens = statements(redeemed, () -> flow.redeem(this.host, code, secret));
		List<String> refreshed = new java.util.ArrayList<>();
		statements(refreshed,
				() -> json(flow.refresh(this.host, tokens.path("refresh_token").asString(), secret), 200));

		System.out.printf("Token request statements: code redeemed %d, refreshed %d%n  %s%n  %s%n", redeemed.size(),
				refreshed.size(), String.join("\n  ", redeemed), String.join("\n  ", refreshed));
		// Hashing the tokens costs a SHA-256 per lookup and no statement: a round trip more would show here.
		assertThat(redeemed).filteredOn(sql -> !COMMIT.equals(sql)).hasSizeLessThanOrEqualTo(REDEEM_STATEMENTS);
		assertThat(refreshed).filteredOn(sql -> !COMMIT.equals(sql)).hasSizeLessThanOrEqualTo(REFRESH_STATEMENTS);
		// A transaction is a round trip more (its COMMIT) and two statements more for PostgreSQL: both run in
		// autocommit (the token row and the new refresh token are written by one statement, V29).
		assertThat(redeemed).filteredOn(COMMIT::equals).isEmpty();
		assertThat(refreshed).filteredOn(COMMIT::equals).isEmpty();
	}

	/**
	 * Statements a token request costs (measured with this test), one more allowed for the company's lookup when its
	 * short cache expired. Redeeming a code: the code's authorization 1 (read once, though the PKCE check and the grant
	 * both ask; its client and the authenticating client come from a 5 s cache), the person's profile 1 (read once for
	 * the access and the ID token; the rollcall scope would add their teams, tags and manager), the write 1 (the token
	 * row and the new refresh token in one statement, V29; known to exist: it was read). Refreshing: the same. It was
	 * 20 and 19, then 9 and 9, then 3 and 4 with a transaction around the refresh's.
	 */
	private static final int REDEEM_STATEMENTS = 4;

	private static final int REFRESH_STATEMENTS = 4;

	/** Stands in {@link #statements}' list for each transaction committed. */
	private static final String COMMIT = "COMMIT";

	/**
	 * The SQL the server's request threads run while {@code request} runs, as JdbcTemplate logs it, and a
	 * {@link #COMMIT} for each transaction the transaction manager commits.
	 */
	private static <T> T statements(List<String> sql, java.util.concurrent.Callable<T> request) throws Exception {
		ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
			.getLogger("org.springframework.jdbc");
		ch.qos.logback.classic.Level level = log.getLevel();
		List<String> kept = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
		ch.qos.logback.core.AppenderBase<ch.qos.logback.classic.spi.ILoggingEvent> appender = new ch.qos.logback.core.AppenderBase<>() {
			@Override
			protected void append(ch.qos.logback.classic.spi.ILoggingEvent event) {
				// The thread is named as it logs (the event would name it lazily, on the reading thread).
				String message = event.getFormattedMessage();
				if (!Thread.currentThread().getName().contains("handler")) {
					return;
				}
				if (message.startsWith("Executing prepared SQL statement")) {
					kept.add(message.replaceAll("\\s+", " "));
				}
				if (message.startsWith("Initiating transaction commit")) {
					kept.add(COMMIT);
				}
			}
		};
		appender.start();
		log.addAppender(appender);
		log.setAdditive(false);
		log.setLevel(ch.qos.logback.classic.Level.DEBUG);
		try {
			return request.call();
		}
		finally {
			log.setLevel(level);
			log.setAdditive(true);
			log.detachAppender(appender);
			sql.addAll(kept);
		}
	}

	@Test
	void revokeWhenRefreshTokenRevokedThenRefreshRefusedAndAccessTokenInactive() throws Exception {
		JsonNode app = register("client_secret_basic");
		String secret = app.path("clientSecret").asString();
		Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));
		JsonNode tokens = flow.redeem(this.host,
				flow.signInAndAuthorize(this.host, person("Signed", "Out"), PASSWORD, "openid offline_access"), secret);

		HttpResponse<String> revoked = flow.revoke(this.host, tokens.path("refresh_token").asString(), secret);

		assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
		HttpResponse<String> refused = flow.refresh(this.host, tokens.path("refresh_token").asString(), secret);
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("invalid_grant");
		assertThat(json(flow.introspect(this.host, tokens.path("access_token").asString(), secret), 200)
			.path("active")
			.asBoolean()).isFalse();
	}

	@Test
	void tokenWhenCodeExpiredThenRefused() throws Exception {
		JsonNode app = register("client_secret_basic");
		// Spring Authorization Server times codes by the system clock, not Rollcall's: a one-second lifetime.
		RegisteredClient registered = this.stores.registeredClients().findByClientId(app.path("clientId").asString());
		this.stores.registeredClients()
			.save(RegisteredClient.from(registered)
				.tokenSettings(TokenSettings.withSettings(registered.getTokenSettings().getSettings())
					.authorizationCodeTimeToLive(Duration.ofSeconds(1))
					.build())
				.build());
		Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));
		String code = flow.signInAndAuthorize(this.host, person("Too", "Late"), PASSWORD);

		Thread.sleep(1_500);
		HttpResponse<String> late = flow.redeemResponse(this.host, code, app.path("clientSecret").asString(),
				redirect(this.company));

		assertThat(late.statusCode()).isEqualTo(400);
		assertThat(late.body()).contains("invalid_grant");
	}

	@Test
	void codeFlowWhenPrivateKeyJwtWithPublishedKeysThenTokensAndEveryOtherAssertionRefused() throws Exception {
		RSAKey key = new RSAKeyGenerator(2048).keyID("app-key-1").generate();
		HttpServer published = jwksServer(new JWKSet(key.toPublicJWK()));
		try {
			JsonNode app = registerPrivateKeyJwt("jwksUri",
					"http://127.0.0.1:" + published.getAddress().getPort() + "/.well-known/jwks.json");
			assertThat(app.path("clientAuthentication").asString()).isEqualTo("private_key_jwt");
			assertThat(app.path("clientSecret").isNull() || app.path("clientSecret").isMissingNode()).isTrue();
			String clientId = app.path("clientId").asString();
			Flow flow = new Flow(clientId, redirect(this.company));
			String code = flow.signInAndAuthorize(this.host, person("Key", "Holder"), PASSWORD);
			String tokenEndpoint = this.issuer + "/oauth2/token";
			Instant soon = Instant.now().plusSeconds(60);
			String otherIssuer = "http://" + this.client.createCompany().slug() + ".localhost:" + this.port;
			// Same kid, another key: what a thief without the application's private key would make.
			RSAKey stranger = new RSAKeyGenerator(2048).keyID("app-key-1").generate();

			refusedClient(
					flow.redeemWithAssertion(this.host, code, assertion(stranger, clientId, tokenEndpoint, soon)));
			refusedClient(flow.redeemWithAssertion(this.host, code,
					assertion(key, clientId, tokenEndpoint, Instant.now().minus(Duration.ofMinutes(5)))));
			refusedClient(flow.redeemWithAssertion(this.host, code, assertion(key, clientId, otherIssuer, soon)));
			refusedClient(flow.redeemWithAssertion(this.host, code,
					assertion(key, clientId, otherIssuer + "/oauth2/token", soon)));
			refusedClient(flow.redeemResponse(this.host, code, "rcs_not-a-secret-it-has", redirect(this.company)));

			// None of those used the code up: with the right assertion it is redeemed.
			JsonNode tokens = json(
					flow.redeemWithAssertion(this.host, code, assertion(key, clientId, tokenEndpoint, soon)),
					200);
			JWTClaimsSet id = verify(this.host, tokens.path("id_token").asString());
			assertThat(id.getIssuer()).isEqualTo(this.issuer);
			assertThat(id.getAudience()).containsExactly(clientId);
		}
		finally {
			published.stop(0);
		}
	}

	@Test
	void codeFlowWhenPrivateKeyJwtWithInlineKeysThenTokensForAnAssertionToTheIssuerAndAnotherKeyRefused()
			throws Exception {
		RSAKey key = new RSAKeyGenerator(2048).keyID("inline-1").generate();
		JsonNode app = registerPrivateKeyJwt("jwks",
				JSON.readValue(new JWKSet(key.toPublicJWK()).toString(), Map.class));
		assertThat(app.path("jwks").path("keys").get(0).path("kid").asString()).isEqualTo("inline-1");
		assertThat(app.path("jwks").path("keys").get(0).has("d")).isFalse();
		String clientId = app.path("clientId").asString();
		Flow flow = new Flow(clientId, redirect(this.company));
		String code = flow.signInAndAuthorize(this.host, person("Inline", "Keys"), PASSWORD);
		Instant soon = Instant.now().plusSeconds(60);

		refusedClient(flow.redeemWithAssertion(this.host, code,
				assertion(new RSAKeyGenerator(2048).keyID("inline-1").generate(), clientId, this.issuer, soon)));
		JsonNode tokens = json(flow.redeemWithAssertion(this.host, code, assertion(key, clientId, this.issuer, soon)),
				200);

		assertThat(verify(this.host, tokens.path("id_token").asString()).getAudience()).containsExactly(clientId);
	}

	@Test
	void registerWhenPrivateKeyJwtGivenAPrivateKeyOrNoKeysThenRefusedWithReason() throws Exception {
		RSAKey key = new RSAKeyGenerator(2048).keyID("leaked").generate();

		Response privateKey = this.client.operator("POST", "/api/v1/applications", Map.of("name", "Learning",
				"redirectUris", List.of(REDIRECT), "clientAuthentication", "private_key_jwt", "jwks",
				JSON.readValue(new JWKSet(key).toString(false), Map.class)));
		Response noKeys = this.client.operator("POST", "/api/v1/applications", Map.of("name", "Learning",
				"redirectUris", List.of(REDIRECT), "clientAuthentication", "private_key_jwt"));
		Response keysForASecret = this.client.operator("POST", "/api/v1/applications", Map.of("name", "Learning",
				"redirectUris", List.of(REDIRECT), "jwksUri", "https://learn.example.com/jwks.json"));

		assertThat(privateKey.status()).isEqualTo(400);
		assertThat(privateKey.body()).contains("private key material")
			.contains("leaked")
			.doesNotContain(
					key.getPrivateExponent().toString());
		assertThat(noKeys.status()).isEqualTo(400);
		assertThat(noKeys.body()).contains("jwksUri").contains("jwks");
		assertThat(keysForASecret.status()).isEqualTo(400);
		assertThat(keysForASecret.body()).contains("private_key_jwt");
	}

	@Test
	void refreshWhenPersonDeactivatedSinceThenRefused() throws Exception {
		JsonNode app = register("client_secret_basic");
		String email = person("Leaving", "Soon");
		Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));
		JsonNode tokens = flow.redeem(this.host,
				flow.signInAndAuthorize(this.host, email, PASSWORD, "openid email offline_access"),
				app.path("clientSecret").asString());
		String refreshToken = tokens.path("refresh_token").asString();
		assertThat(refreshToken).isNotBlank();
		JsonNode refreshed = json(flow.refresh(this.host, refreshToken, app.path("clientSecret").asString()), 200);
		// Rotated: the new refresh token replaces the old one, which no longer works.
		assertThat(refreshed.path("refresh_token").asString()).isNotBlank().isNotEqualTo(refreshToken);
		assertThat(flow.refresh(this.host, refreshToken, app.path("clientSecret").asString()).statusCode())
			.isEqualTo(400);

		String id = this.client.personByEmail(this.company, email).path("id").asString();
		this.client.api(this.company, "POST", "/api/v1/people/" + id + "/deactivate");
		HttpResponse<String> refused = flow.refresh(this.host, refreshed.path("refresh_token").asString(),
				app.path("clientSecret").asString());

		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("invalid_grant");
	}

	@Test
	void refreshWhenRotatedTokenUsedAgainThenEveryTokenOfTheSignInRevoked() throws Exception {
		JsonNode app = register("client_secret_basic");
		String secret = app.path("clientSecret").asString();
		Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));
		JsonNode tokens = flow.redeem(this.host,
				flow.signInAndAuthorize(this.host, person("Stolen", "Token"), PASSWORD, "openid offline_access"),
				secret);
		String first = tokens.path("refresh_token").asString();
		JsonNode rotated = json(flow.refresh(this.host, first, secret), 200);

		HttpResponse<String> reused = flow.refresh(this.host, first, secret);

		assertThat(reused.statusCode()).isEqualTo(400);
		assertThat(reused.body()).contains("invalid_grant");
		// The legitimate holder's newer tokens are revoked too: nobody can tell which copy is the thief's.
		HttpResponse<String> next = flow.refresh(this.host, rotated.path("refresh_token").asString(), secret);
		assertThat(next.statusCode()).isEqualTo(400);
		JsonNode introspected = json(flow.introspect(this.host, rotated.path("access_token").asString(), secret), 200);
		assertThat(introspected.path("active").asBoolean()).isFalse();
	}

	@Test
	void deactivateWhenPersonHoldsTokensThenApplicationGetsBackChannelLogoutAndTokensStopWorking() throws Exception {
		BlockingQueue<String> logoutTokens = new LinkedBlockingQueue<>();
		HttpServer application = logoutReceiver(logoutTokens);
		try {
			JsonNode app = registerWithLogout(application);
			String secret = app.path("clientSecret").asString();
			String email = person("Leaving", "Today");
			Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));
			JsonNode tokens = flow.redeem(this.host,
					flow.signInAndAuthorize(this.host, email, PASSWORD, "openid email offline_access"), secret);
			String personId = this.client.personByEmail(this.company, email).path("id").asString();

			Response deactivated = this.client.api(this.company, "POST", "/api/v1/people/" + personId + "/deactivate");
			assertThat(deactivated.status()).isEqualTo(200);

			String logoutToken = logoutTokens.poll(10, java.util.concurrent.TimeUnit.SECONDS);
			assertThat(logoutToken).as("a logout token within seconds").isNotNull();
			JWTClaimsSet logout = verify(this.host, logoutToken);
			assertThat(com.nimbusds.jwt.SignedJWT.parse(logoutToken).getHeader().getType().toString())
				.isEqualTo("logout+jwt");
			assertThat(logout.getIssuer()).isEqualTo(this.issuer);
			assertThat(logout.getAudience()).containsExactly(flow.clientId);
			assertThat(logout.getSubject()).isEqualTo(personId);
			assertThat(logout.getJSONObjectClaim("events")).containsKey(BackChannelLogouts.EVENT);
			assertThat(logout.getClaim("nonce")).isNull();
			assertThat(flow.refresh(this.host, tokens.path("refresh_token").asString(), secret).statusCode())
				.isEqualTo(400);
			assertThat(json(flow.introspect(this.host, tokens.path("access_token").asString(), secret), 200)
				.path("active")
				.asBoolean()).isFalse();
		}
		finally {
			application.stop(0);
		}
	}

	@Test
	void introspectionWhenAccessTokenFromAnotherCompanyThenInactive() throws Exception {
		JsonNode app = register("client_secret_basic");
		Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));
		String accessToken = flow
			.redeem(this.host, flow.signInAndAuthorize(this.host, person("Hedy", "Lamarr"), PASSWORD),
					app.path("clientSecret").asString())
			.path("access_token")
			.asString();
		TestCompany other = this.client.createCompany();

		JsonNode here = json(flow.introspect(this.host, accessToken, app.path("clientSecret").asString()), 200);
		JsonNode there = json(flow.introspect(other.slug() + ".localhost:" + this.port, accessToken,
				app.path("clientSecret").asString()), 200);

		assertThat(here.path("active").asBoolean()).isTrue();
		assertThat(there.path("active").asBoolean()).isFalse();
	}

	@Test
	void endSessionWhenIdTokenHintOfThisSessionThenSignedOutAndBackToTheApplication() throws Exception {
		JsonNode app = register("client_secret_basic");
		Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));
		String idToken = flow
			.redeem(this.host, flow.signInAndAuthorize(this.host, person("Frances", "Allen"), PASSWORD),
					app.path("clientSecret").asString())
			.path("id_token")
			.asString();
		String postLogout = "http://" + this.company.slug() + ".learn.localhost/";

		Response out = flow.browser.page(this.host, "/connect/logout?" + form(Map.of("id_token_hint", idToken,
				"post_logout_redirect_uri", postLogout, "state", "bye")));

		assertThat(out.status()).as(out.body()).isEqualTo(302);
		assertThat(out.header("Location")).isEqualTo(postLogout + "?state=bye");
		// The Rollcall session is over: the next authorize request asks for a sign-in again.
		Response again = flow.browser.page(this.host, flow.authorizePath(true));
		assertThat(URI.create(again.header("Location")).getPath()).isEqualTo("/login");
	}

	@Test
	void rotateWhenTokensSignedBeforeThenBothKeysInJwksAndNewTokensSignedWithTheNewKey() throws Exception {
		JsonNode app = register("client_secret_basic");
		String secret = app.path("clientSecret").asString();
		Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));
		String before = flow
			.redeem(this.host, flow.signInAndAuthorize(this.host, person("Old", "Key"), PASSWORD), secret)
			.path("id_token")
			.asString();

		this.signingKeys.rotate();

		Flow next = new Flow(app.path("clientId").asString(), redirect(this.company));
		String after = next
			.redeem(this.host, next.signInAndAuthorize(this.host, person("New", "Key"), PASSWORD), secret)
			.path("id_token")
			.asString();
		String oldKid = com.nimbusds.jwt.SignedJWT.parse(before).getHeader().getKeyID();
		String newKid = com.nimbusds.jwt.SignedJWT.parse(after).getHeader().getKeyID();
		assertThat(newKid).isNotEqualTo(oldKid);
		JWKSet published = JWKSet.parse(get(this.host, "/oauth2/jwks", null).body());
		assertThat(published.getKeyByKeyId(oldKid)).as("the old key, for tokens it signed").isNotNull();
		assertThat(published.getKeyByKeyId(newKid)).isNotNull();
		assertThat(verify(this.host, before).getSubject()).isNotBlank();
		assertThat(verify(this.host, after).getSubject()).isNotBlank();
	}

	@Test
	void forgetExpiredWhenEveryTokenOfAnAuthorizationExpiredThenItIsDeleted() throws Exception {
		JsonNode app = register("client_secret_basic");
		String secret = app.path("clientSecret").asString();
		Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));
		JsonNode tokens = flow.redeem(this.host,
				flow.signInAndAuthorize(this.host, person("Long", "Gone"), PASSWORD, "openid offline_access"), secret);
		String id = authorizationOf(tokens.path("refresh_token").asString());
		this.retention.forgetExpired();
		assertThat(json(flow.introspect(this.host, tokens.path("access_token").asString(), secret), 200)
			.path("active")
			.asBoolean()).as("kept while its tokens live").isTrue();

		try {
			this.clock.advance(Duration.ofDays(3));
			assertThat(this.retention.forgetExpired()).isPositive();
			assertThat(this.retention.forgetExpiredRefreshTokens()).isPositive();
		}
		finally {
			this.clock.reset();
		}

		assertThat(flow.refresh(this.host, tokens.path("refresh_token").asString(), secret).statusCode())
			.isEqualTo(400);
		// Its tokens went with it, and its refresh tokens, expired, from their list.
		assertThat(this.jdbc.sql("""
				select (select count(*) from oauth2_authorization_token where authorization_id = :id)
				     + (select count(*) from oauth2_refresh_token where authorization_id = :id)""")
			.param("id", id)
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void discoveryWhenAskedAtTwoCompaniesThenEachIsItsOwnIssuer() throws Exception {
		TestCompany other = this.client.createCompany();
		String otherHost = other.slug() + ".localhost:" + this.port;

		JsonNode here = json(get(this.host, "/.well-known/openid-configuration", null), 200);
		JsonNode there = json(get(otherHost, "/.well-known/openid-configuration", null), 200);

		assertThat(here.path("issuer").asString()).isEqualTo(this.issuer);
		assertThat(there.path("issuer").asString()).isEqualTo("http://" + otherHost);
		assertThat(here.path("authorization_endpoint").asString()).isEqualTo(this.issuer + "/oauth2/authorize");
		assertThat(here.path("token_endpoint").asString()).isEqualTo(this.issuer + "/oauth2/token");
		assertThat(here.path("jwks_uri").asString()).isEqualTo(this.issuer + "/oauth2/jwks");
		assertThat(here.path("userinfo_endpoint").asString()).isEqualTo(this.issuer + "/userinfo");
		assertThat(here.path("end_session_endpoint").asString()).isEqualTo(this.issuer + "/connect/logout");
		assertThat(here.path("revocation_endpoint").asString()).isEqualTo(this.issuer + "/oauth2/revoke");
		assertThat(here.path("introspection_endpoint").asString()).isEqualTo(this.issuer + "/oauth2/introspect");
		// The signing keys are public only: no private exponent ever leaves the database.
		JsonNode jwks = json(get(this.host, "/oauth2/jwks", null), 200);
		assertThat(jwks.path("keys").size()).isPositive();
		assertThat(jwks.path("keys").get(0).has("d")).isFalse();
	}

	@Test
	void tokenWhenCodeFromAnotherCompanyThenRefused() throws Exception {
		JsonNode app = register("client_secret_basic");
		String email = person("Grace", "Hopper");
		Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));
		String code = flow.signInAndAuthorize(this.host, email, PASSWORD);
		TestCompany other = this.client.createCompany();

		HttpResponse<String> elsewhere = flow.redeemResponse(other.slug() + ".localhost:" + this.port, code,
				app.path("clientSecret").asString(), redirect(this.company));

		assertThat(elsewhere.statusCode()).isEqualTo(400);
		assertThat(elsewhere.body()).contains("invalid_grant");
		// Not used up by the attempt elsewhere: at its own company the code still works once.
		assertThat(flow.redeem(this.host, code, app.path("clientSecret").asString()).has("id_token")).isTrue();
	}

	@Test
	void userInfoWhenAccessTokenFromAnotherCompanyThenRefused() throws Exception {
		JsonNode app = register("client_secret_basic");
		String email = person("Alan", "Turing");
		Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));
		JsonNode tokens = flow.redeem(this.host, flow.signInAndAuthorize(this.host, email, PASSWORD),
				app.path("clientSecret").asString());
		TestCompany other = this.client.createCompany();

		HttpResponse<String> elsewhere = get(other.slug() + ".localhost:" + this.port, "/userinfo",
				"Bearer " + tokens.path("access_token").asString());

		assertThat(elsewhere.statusCode()).isEqualTo(401);
	}

	@Test
	void tokenWhenCodeReplayedThenRefused() throws Exception {
		JsonNode app = register("client_secret_basic");
		Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));
		String code = flow.signInAndAuthorize(this.host, person("Edsger", "Dijkstra"), PASSWORD);
		flow.redeem(this.host, code, app.path("clientSecret").asString());

		HttpResponse<String> again = flow.redeemResponse(this.host, code, app.path("clientSecret").asString(),
				redirect(this.company));

		assertThat(again.statusCode()).isEqualTo(400);
		assertThat(again.body()).contains("invalid_grant");
	}

	@Test
	void tokenWhenClientSecretWrongThenRefused() throws Exception {
		JsonNode app = register("client_secret_basic");
		Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));
		String code = flow.signInAndAuthorize(this.host, person("Barbara", "Liskov"), PASSWORD);

		HttpResponse<String> refused = flow.redeemResponse(this.host, code, "rcs_not-the-secret",
				redirect(this.company));

		assertThat(refused.statusCode()).isEqualTo(401);
		assertThat(refused.body()).contains("invalid_client");
	}

	@Test
	void authorizeWhenRedirectUriNotRegisteredThenRefusedWithoutRedirecting() throws Exception {
		JsonNode app = register("client_secret_basic");
		Flow flow = new Flow(app.path("clientId").asString(), "http://evil.localhost/callback");

		HttpResponse<String> refused = get(this.host, flow.authorizePath(true), null);

		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.headers().firstValue("Location")).isEmpty();
	}

	@Test
	void authorizeWhenAnotherCompanysRedirectUriThenRefused() throws Exception {
		JsonNode app = register("client_secret_basic");
		TestCompany other = this.client.createCompany();
		// Registered for every company, but each company's issuer redirects only to that company's address.
		Flow flow = new Flow(app.path("clientId").asString(), redirect(other));

		HttpResponse<String> refused = get(this.host, flow.authorizePath(true), null);

		assertThat(refused.statusCode()).isEqualTo(400);
	}

	@Test
	void authorizeWhenPublicClientWithoutPkceThenRefused() throws Exception {
		JsonNode app = register("none");
		assertThat(app.path("clientSecret").isNull() || app.path("clientSecret").isMissingNode()).isTrue();
		Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));

		HttpResponse<String> refused = get(this.host, flow.authorizePath(false), null);

		assertThat(refused.statusCode()).isEqualTo(302);
		assertThat(refused.headers().firstValue("Location").orElseThrow()).startsWith(redirect(this.company))
			.contains("error=invalid_request");
	}

	@Test
	void codeFlowWhenPublicClientWithPkceThenTokensWithoutSecret() throws Exception {
		JsonNode app = register("none");
		Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));
		String code = flow.signInAndAuthorize(this.host, person("Donald", "Knuth"), PASSWORD);

		JsonNode tokens = flow.redeem(this.host, code, null);

		assertThat(verify(this.host, tokens.path("id_token").asString()).getIssuer()).isEqualTo(this.issuer);
	}

	@Test
	void registerWhenNotOperatorThenRefused() {
		Response refused = this.client.api(this.company, "POST", "/api/v1/applications",
				Map.of("name", "Sneaky", "redirectUris", List.of("https://sneaky.example/cb")));

		assertThat(refused.status()).isEqualTo(403);
	}

	@Test
	void codeFlowWhenApplicationAsksForEs256ThenIdTokenSignedWithTheJwksEcKey() throws Exception {
		Response registered = this.client.operator("POST", "/api/v1/applications", Map.of("name", "Learning platform",
				"redirectUris", List.of(REDIRECT), "idTokenSigningAlgorithm", "ES256"));
		assertThat(registered.status()).as(registered.body()).isEqualTo(201);
		assertThat(registered.json().path("idTokenSigningAlgorithm").asString()).isEqualTo("ES256");
		Flow flow = new Flow(registered.json().path("clientId").asString(), redirect(this.company));

		JsonNode tokens = flow.redeem(this.host,
				flow.signInAndAuthorize(this.host, person("Elliptic", "Curve"), PASSWORD),
				registered.json().path("clientSecret").asString());

		String idToken = tokens.path("id_token").asString();
		assertThat(algorithm(idToken)).isEqualTo(JWSAlgorithm.ES256);
		JWKSet published = JWKSet.parse(get(this.host, "/oauth2/jwks", null).body());
		assertThat(published.getKeyByKeyId(com.nimbusds.jwt.SignedJWT.parse(idToken).getHeader().getKeyID()))
			.isInstanceOf(com.nimbusds.jose.jwk.ECKey.class);
		assertThat(verify(this.host, idToken).getStringClaim("nonce")).isEqualTo(flow.nonce);
		JsonNode discovery = json(get(this.host, "/.well-known/openid-configuration", null), 200);
		assertThat(discovery.path("id_token_signing_alg_values_supported").toString()).contains("\"RS256\"",
				"\"ES256\"");
	}

	@Test
	void registerWhenIdTokenAlgorithmUnsupportedThenRefusedWithTheChoices() {
		Response refused = this.client.operator("POST", "/api/v1/applications", Map.of("name", "Learning",
				"redirectUris", List.of(REDIRECT), "idTokenSigningAlgorithm", "HS256"));

		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.body()).contains("idTokenSigningAlgorithm", "RS256", "ES256");
	}

	@Test
	void registerWhenRedirectUriHasFragmentThenRefusedWithReason() {
		Response refused = this.client.operator("POST", "/api/v1/applications",
				Map.of("name", "Learning", "redirectUris", List.of("https://{slug}.learn.example/cb#x")));

		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.body()).contains("fragment");
	}

	@org.springframework.beans.factory.annotation.Autowired
	private org.springframework.jdbc.core.simple.JdbcClient jdbc;

	@org.springframework.beans.factory.annotation.Autowired
	private io.rollcall.entra.EntraIntegration entraIntegration;

	@Test
	void departureWhenRemovedFromTheEntraGroupThenApplicationGetsBackChannelLogoutWithinSecondsAndRefreshRefused()
			throws Exception {
		BlockingQueue<String> logoutTokens = new LinkedBlockingQueue<>();
		HttpServer application = logoutReceiver(logoutTokens);
		// The company's directory, with change notifications: a departure there reaches Rollcall within a second.
		EntraEmulator directory = EntraEmulator.start(EntraEmulator.Options.defaults()
			.notificationBatchWindow(Duration.ofMillis(10))
			.notificationRetryBackoff(Duration.ofMillis(200)));
		io.rollcall.support.Syncs syncs = new io.rollcall.support.Syncs(this.client, this.port);
		try {
			EntraTenant tenant = directory.createTenant(this.company.slug() + ".example");
			GeneratedDirectory people = tenant.generate(DirectorySpec.people(4)
				.withOutsiders(0)
				.withDepartments(1)
				.withNesting(1, 1)
				.withPhotoShare(0)
				.withDisabledShare(0)
				.withDomain(this.company.slug() + ".example"));
			Response connected = this.client.api(this.company, "PUT", "/api/v1/integrations/entra", EntraSettings.of(
					directory, tenant, people.topGroupId(), tenant.clientSecret(), false, "never"));
			assertThat(connected.status()).as(connected.body()).isEqualTo(200);
			this.entraIntegration.authorised(this.company.id());
			Response started = this.client.api(this.company, "POST", "/api/v1/integrations/entra/sync-runs", Map.of());
			assertThat(started.status()).as(started.body()).isEqualTo(202);
			assertThat(syncs.await(this.company, started.json().path("id").asString()).path("status").asString())
				.isEqualTo("succeeded");
			EntraUser leaver = tenant.transitiveUserIds(people.topGroupId())
				.stream()
				.map(id -> tenant.user(id).orElseThrow())
				.filter(EntraUser::accountEnabled)
				.findFirst()
				.orElseThrow();
			String personId = this.jdbc.sql("""
					select cast(person_id as text) from person_identity
					where company_id = :company and source = 'entra' and external_id = :id
					""").param("company", this.company.id()).param("id", leaver.id()).query(String.class).single();
			String email = this.client.api(this.company, "GET", "/api/v1/people/" + personId)
				.json()
				.path("email")
				.asString();

			// They sign in to the application through the company's Entra ID, with a refresh token.
			JsonNode app = registerWithLogout(application);
			String secret = app.path("clientSecret").asString();
			configureEntra();
			entra.signInAs(Map.of("oid", leaver.id(), "preferred_username", email, "name", "Leaving Soon"));
			Flow flow = new Flow(app.path("clientId").asString(), redirect(this.company));
			URI answer = flow.signInWithSsoAndAuthorize(this.host, "openid email offline_access");
			assertThat(query(answer)).doesNotContainKey("error");
			JsonNode tokens = flow.redeem(this.host, query(answer).get("code"), secret);
			assertThat(tokens.path("refresh_token").asString()).isNotBlank();

			// The company's admin takes them out of the group Rollcall syncs.
			long removed = System.nanoTime();
			tenant.groups()
				.stream()
				.filter(group -> group.memberIds().contains(leaver.id()))
				.forEach(group -> tenant.removeMember(group.id(), leaver.id()));

			String logoutToken = logoutTokens.poll(20, java.util.concurrent.TimeUnit.SECONDS);
			long millis = Duration.ofNanos(System.nanoTime() - removed).toMillis();
			assertThat(logoutToken).as("a logout token within seconds of the removal").isNotNull();
			JWTClaimsSet logout = verify(this.host, logoutToken);
			assertThat(logout.getIssuer()).isEqualTo(this.issuer);
			assertThat(logout.getAudience()).containsExactly(flow.clientId);
			assertThat(logout.getSubject()).isEqualTo(personId);
			assertThat(logout.getJSONObjectClaim("events")).containsKey(BackChannelLogouts.EVENT);
			assertThat(
					this.client.api(this.company, "GET", "/api/v1/people/" + personId).json().path("status").asString())
				.isEqualTo("deactivated");
			assertThat(flow.refresh(this.host, tokens.path("refresh_token").asString(), secret).statusCode())
				.isEqualTo(400);
			System.out.printf("Removed from the Entra group: the application's back-channel logout %d ms later%n",
					millis);
		}
		finally {
			application.stop(0);
			syncs.discardRetrying(this.company, "entra");
			// Other tests' runs must not try this tenant's subscriptions once its emulator is gone.
			this.jdbc.sql("delete from entra_subscription where company_id = :c")
				.param("c", this.company.id())
				.update();
			this.jdbc.sql("delete from entra_connection where company_id = :c").param("c", this.company.id()).update();
			directory.close();
		}
	}

	/** The application's back-channel logout endpoint: keeps each logout token it is sent. */
	private HttpServer logoutReceiver(BlockingQueue<String> logoutTokens) throws java.io.IOException {
		HttpServer application = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		application.createContext("/logout/back-channel", exchange -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			logoutTokens.add(query(URI.create("http://x/?" + body)).get("logout_token"));
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		application.start();
		// Rollcall reaches the application's back-channel logout URI by its name, as it would in production.
		LocalhostSubdomains.resolve(this.company.slug() + ".learn.localhost");
		return application;
	}

	/** The application, registered with its back-channel logout URI at {@code application}. */
	private JsonNode registerWithLogout(HttpServer application) {
		Response registered = this.client.operator("POST", "/api/v1/applications", Map.of("name", "Learning platform",
				"redirectUris", List.of(REDIRECT), "backChannelLogoutUri",
				"http://{slug}.learn.localhost:" + application.getAddress().getPort() + "/logout/back-channel"));
		assertThat(registered.status()).as(registered.body()).isEqualTo(201);
		return registered.json();
	}

	// --- the application's side of the flow

	/** One authorization request as the application makes it: state, nonce, PKCE verifier. */
	private final class Flow {

		final String clientId;

		final String redirectUri;

		final String state = random();

		final String nonce = random();

		final String verifier = random() + random();

		final RollcallClient browser = new RollcallClient(OpenIdProviderTests.this.port);

		Flow(String clientId, String redirectUri) {
			this.clientId = clientId;
			this.redirectUri = redirectUri;
		}

		String authorizePath(boolean pkce) {
			return authorizePath(pkce, "openid profile email rollcall");
		}

		String authorizePath(boolean pkce, String scope) {
			Map<String, String> query = new LinkedHashMap<>();
			query.put("response_type", "code");
			query.put("client_id", this.clientId);
			query.put("redirect_uri", this.redirectUri);
			query.put("scope", scope);
			query.put("state", this.state);
			query.put("nonce", this.nonce);
			if (pkce) {
				query.put("code_challenge", challenge(this.verifier));
				query.put("code_challenge_method", "S256");
			}
			return "/oauth2/authorize?" + form(query);
		}

		/** The browser's way: authorize, the sign-in page, back to authorize, the redirect with the code. */
		String signInAndAuthorize(String host, String email, String password) {
			return signInAndAuthorize(host, email, password, "openid profile email rollcall");
		}

		String signInAndAuthorize(String host, String email, String password, String scope) {
			Response signedIn = signIn(host, email, password, scope);
			URI back = URI.create(signedIn.header("Location"));
			assertThat(back.getPath()).as("back to the authorize request").isEqualTo("/oauth2/authorize");
			Response answer = this.browser.page(host, back.getRawPath() + "?" + back.getRawQuery());
			assertThat(answer.status()).as(answer.body()).isEqualTo(302);
			URI callback = URI.create(answer.header("Location"));
			assertThat(callback.toString()).startsWith(this.redirectUri).doesNotContain("error=");
			Map<String, String> params = query(callback);
			assertThat(params).containsEntry("state", this.state);
			return params.get("code");
		}

		/** The authorize request, sent to the sign-in page, and the password form posted: the form's answer. */
		Response signIn(String host, String email, String password) {
			return signIn(host, email, password, "openid profile email rollcall");
		}

		Response signIn(String host, String email, String password, String scope) {
			Response toSignIn = this.browser.page(host, authorizePath(true, scope));
			assertThat(toSignIn.status()).as(toSignIn.body()).isEqualTo(302);
			assertThat(URI.create(toSignIn.header("Location")).getPath()).isEqualTo("/login");
			String csrf = csrf(this.browser.page(host, "/login").body());
			Response signedIn = this.browser.form(host, "/login",
					Map.of("email", email, "password", password, "_csrf", csrf));
			assertThat(signedIn.status()).isEqualTo(302);
			return signedIn;
		}

		/**
		 * The browser's way through single sign-on: authorize, the sign-in page's button, the company's provider,
		 * Rollcall's callback, back to authorize; returns where Rollcall sends the browser then.
		 */
		URI signInWithSsoAndAuthorize(String host) throws Exception {
			return signInWithSsoAndAuthorize(host, "openid profile email rollcall");
		}

		URI signInWithSsoAndAuthorize(String host, String scope) throws Exception {
			Response toSignIn = this.browser.page(host, authorizePath(true, scope));
			assertThat(URI.create(toSignIn.header("Location")).getPath()).isEqualTo("/login");
			String csrf = csrf(this.browser.page(host, "/login").body());
			Response started = this.browser.form(host, "/sso/start", Map.of("_csrf", csrf));
			Response toProvider = this.browser.page(host, pathAndQuery(URI.create(started.header("Location"))));
			assertThat(toProvider.status()).as(toProvider.body()).isEqualTo(302);
			HttpResponse<String> atProvider = OpenIdProviderTests.this.http.send(
					HttpRequest.newBuilder(URI.create(toProvider.header("Location"))).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(atProvider.statusCode()).isEqualTo(302);
			Response callback = this.browser.page(host,
					pathAndQuery(URI.create(atProvider.headers().firstValue("Location").orElseThrow())));
			assertThat(callback.status()).as(callback.body()).isEqualTo(302);
			URI back = URI.create(callback.header("Location"));
			assertThat(back.getPath()).as("back to the authorize request").isEqualTo("/oauth2/authorize");
			Response answer = this.browser.page(host, pathAndQuery(back));
			assertThat(answer.status()).as(answer.body()).isEqualTo(302);
			return URI.create(answer.header("Location"));
		}

		HttpResponse<String> refresh(String host, String refreshToken, String secret) throws Exception {
			return post(host, "/oauth2/token", Map.of("grant_type", "refresh_token", "refresh_token", refreshToken),
					secret);
		}

		HttpResponse<String> revoke(String host, String token, String secret) throws Exception {
			return post(host, "/oauth2/revoke", Map.of("token", token), secret);
		}

		HttpResponse<String> introspect(String host, String token, String secret) throws Exception {
			return post(host, "/oauth2/introspect", Map.of("token", token), secret);
		}

		private HttpResponse<String> post(String host, String path, Map<String, String> fields, String secret)
				throws Exception {
			return OpenIdProviderTests.this.http.send(request(host, path)
				.header("Content-Type", "application/x-www-form-urlencoded")
				.header("Authorization", "Basic " + Base64.getEncoder()
					.encodeToString((this.clientId + ":" + secret).getBytes(StandardCharsets.UTF_8)))
				.POST(HttpRequest.BodyPublishers.ofString(form(fields)))
				.build(), HttpResponse.BodyHandlers.ofString());
		}

		HttpResponse<String> redeemWithAssertion(String host, String code, String assertion) throws Exception {
			Map<String, String> fields = new LinkedHashMap<>();
			fields.put("grant_type", "authorization_code");
			fields.put("code", code);
			fields.put("redirect_uri", this.redirectUri);
			fields.put("code_verifier", this.verifier);
			fields.put("client_id", this.clientId);
			fields.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
			fields.put("client_assertion", assertion);
			return OpenIdProviderTests.this.http.send(request(host, "/oauth2/token")
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form(fields)))
				.build(), HttpResponse.BodyHandlers.ofString());
		}

		JsonNode redeem(String host, String code, String secret) throws Exception {
			HttpResponse<String> response = redeemResponse(host, code, secret, this.redirectUri);
			JsonNode tokens = json(response, 200);
			// RFC 6749 §5.1: an answer holding tokens is never stored on its way (TokenResponses writes the body itself;
			// the header comes from the security chain).
			assertThat(response.headers().allValues("Cache-Control")).as("Cache-Control of the token answer")
				.anySatisfy(value -> assertThat(value).contains("no-store"));
			return tokens;
		}

		HttpResponse<String> redeemResponse(String host, String code, String secret, String redirectUri)
				throws Exception {
			Map<String, String> fields = new LinkedHashMap<>();
			fields.put("grant_type", "authorization_code");
			fields.put("code", code);
			fields.put("redirect_uri", redirectUri);
			fields.put("code_verifier", this.verifier);
			HttpRequest.Builder request = request(host, "/oauth2/token")
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form(fields) + (secret == null ? "&client_id="
						+ URLEncoder.encode(this.clientId, StandardCharsets.UTF_8) : "")));
			if (secret != null) {
				request.header("Authorization", "Basic " + Base64.getEncoder()
					.encodeToString((this.clientId + ":" + secret).getBytes(StandardCharsets.UTF_8)));
			}
			return OpenIdProviderTests.this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}

	}

	private JsonNode registerPrivateKeyJwt(String keysField, Object keys) {
		Response registered = this.client.operator("POST", "/api/v1/applications", Map.of("name", "Learning platform",
				"redirectUris", List.of(REDIRECT), "clientAuthentication", "private_key_jwt", keysField, keys));
		assertThat(registered.status()).as(registered.body()).isEqualTo(201);
		return registered.json();
	}

	/** The application's JWK Set, published as it would be at its own address. */
	private static HttpServer jwksServer(JWKSet keys) throws java.io.IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/.well-known/jwks.json", exchange -> {
			byte[] body = keys.toString(true).getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		server.start();
		return server;
	}

	/** A client assertion (RFC 7523) as a private_key_jwt application signs it. */
	private static String assertion(RSAKey key, String clientId, String audience, Instant expiresAt) throws Exception {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId)
			.subject(clientId)
			.audience(audience)
			.jwtID(UUID.randomUUID().toString())
			.issueTime(Date.from(expiresAt.minusSeconds(120)))
			.expirationTime(Date.from(expiresAt))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
		jwt.sign(new RSASSASigner(key));
		return jwt.serialize();
	}

	private static void refusedClient(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
		assertThat(response.body()).contains("invalid_client");
	}

	private JsonNode register(String clientAuthentication) {
		Response registered = this.client.operator("POST", "/api/v1/applications",
				Map.of("name", "Learning platform", "redirectUris", List.of(REDIRECT), "clientAuthentication",
						clientAuthentication, "postLogoutRedirectUris", List.of("http://{slug}.learn.localhost/"),
						"backChannelLogoutUri", "http://{slug}.learn.localhost/logout/connect/back-channel/rollcall"));
		assertThat(registered.status()).as(registered.body()).isEqualTo(201);
		JsonNode body = registered.json();
		assertThat(body.path("redirectUris").get(0).asString()).isEqualTo(REDIRECT);
		return body;
	}

	/** The company signs in with the test's Entra-shaped provider (password stays allowed). */
	private void configureEntra() {
		Response saved = this.client.api(this.company, "PUT", "/api/v1/integrations/sso",
				Map.of("provider", "entra", "tenantId", UUID.randomUUID().toString(), "authority", entra.authority(),
						"clientId", "client-" + this.company.slug(), "clientSecret", "s3cret-value"));
		assertThat(saved.status()).as(saved.body()).isEqualTo(200);
	}

	private static String pathAndQuery(URI uri) {
		return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
	}

	private static String redirect(TestCompany company) {
		return REDIRECT.replace("{slug}", company.slug());
	}

	/** A learner with a password set through their invitation. */
	private String person(String firstName, String lastName) throws Exception {
		String email = firstName.toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
		Response created = this.client.api(this.company, "POST", "/api/v1/people",
				Map.of("email", email, "firstName", firstName, "lastName", lastName, "role", "learner", "invite",
						true));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		String path = URI.create(Mails.invitationLink(Mails.awaitTo(MAIL, email))).getPath();
		String slugHost = this.company.slug() + ".localhost";
		RollcallClient invitee = new RollcallClient(this.port);
		String csrf = csrf(invitee.page(slugHost, path).body());
		Response accepted = invitee.form(slugHost, path,
				Map.of("password", PASSWORD, "confirmation", PASSWORD, "_csrf", csrf));
		assertThat(accepted.header("Location")).endsWith("/login?welcome");
		return email;
	}

	private static JWSAlgorithm algorithm(String token) throws java.text.ParseException {
		return com.nimbusds.jwt.SignedJWT.parse(token).getHeader().getAlgorithm();
	}

	private JWTClaimsSet verify(String host, String idToken) throws Exception {
		JWKSet keys = JWKSet.parse(get(host, "/oauth2/jwks", null).body());
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(java.util.Set.of(JWSAlgorithm.RS256,
				JWSAlgorithm.ES256), new ImmutableJWKSet<>(keys)));
		// ID tokens are typed JWT (or untyped); logout tokens logout+jwt, as the back-channel logout spec asks.
		processor.setJWSTypeVerifier(new com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier<>(
				com.nimbusds.jose.JOSEObjectType.JWT, null, new com.nimbusds.jose.JOSEObjectType("logout+jwt")));
		return processor.process(idToken, null);
	}

	private HttpResponse<String> get(String host, String path, String authorization) throws Exception {
		HttpRequest.Builder request = request(host, path).header("Accept", "application/json").GET();
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest.Builder request(String host, String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.header("Host", host);
	}

	private static JsonNode json(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		return JSON.readTree(response.body());
	}

}
