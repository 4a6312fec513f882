package io.rollcall.sso;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.TestOidcProvider;
import io.rollcall.support.TestOidcProvider.Forgery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single sign-on of people whose sign-in name is not their e-mail (seed 004: the SCIM userName is the SSO identifier,
 * and both it and the e-mail keep working when they differ), through real HTTP against an Entra-shaped provider.
 */
class SsoSignInNameTests extends IntegrationTest {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private static TestOidcProvider provider;

	private final HttpClient plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	private TestCompany company;

	private String host;

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
		Response saved = this.client.api(this.company, "PUT", "/api/v1/integrations/sso",
				Map.of("provider", "entra", "tenantId", UUID.randomUUID().toString(), "authority", provider.authority(),
						"clientId", "client-" + this.company.slug(), "clientSecret", "s3cret-value"));
		assertThat(saved.status()).as(saved.body()).isEqualTo(200);
	}

	@Test
	void signInWhenPreferredUsernameIsTheSignInNameNotAnEmailThenFoundAndLinked() {
		String id = scimUser("jdoe", "john.doe@mail.example");
		String oid = UUID.randomUUID().toString();
		provider.signInAs(Map.of("oid", oid, "preferred_username", "JDoe"));

		RollcallClient browser = new RollcallClient(this.port);
		assertThat(pathAndQuery(signIn(browser).header("Location"))).isEqualTo("/");
		assertThat(browser.page(this.host, "/").body()).contains("john.doe@mail.example");
		assertThat(externalIds(id).path("entra").asString()).isEqualTo(oid);
	}

	@Test
	void signInWhenUpnIsTheSignInNameAndNoEmailMatchesThenFound() {
		// Entra's usual split: the UPN is the userName (sign-in name and, seed 004, the e-mail), mail the secondary
		// e-mail; the token's preferred_username names neither.
		String id = scimUser("j.smith@corp.example", "jane.smith@mail.example");
		provider.signInAs(Map.of("oid", UUID.randomUUID().toString(), "preferred_username", "someone@elsewhere.example",
				"upn", "J.Smith@Corp.example"));

		RollcallClient browser = new RollcallClient(this.port);
		assertThat(pathAndQuery(signIn(browser).header("Location"))).isEqualTo("/");
		assertThat(browser.page(this.host, "/").body()).contains("j.smith@corp.example");
		assertThat(externalIds(id).has("entra")).isTrue();

		// The e-mail still signs the person in too.
		String other = scimUser("kim", "kim@mail.example");
		provider.signInAs(Map.of("oid", UUID.randomUUID().toString(), "preferred_username", "Kim@Mail.example"));
		RollcallClient second = new RollcallClient(this.port);
		assertThat(pathAndQuery(signIn(second).header("Location"))).isEqualTo("/");
		assertThat(externalIds(other).has("entra")).isTrue();
	}

	@Test
	void signInWhenSignInNameMatchesNobodyThenStillRefused() {
		scimUser("jdoe", "john.doe@mail.example");
		provider.signInAs(Map.of("oid", UUID.randomUUID().toString(), "preferred_username", "jdoe2"));
		RollcallClient browser = new RollcallClient(this.port);
		assertThat(signIn(browser).header("Location")).contains("/sso/refused");
		Response home = browser.page(this.host, "/");
		assertThat(home.status()).isEqualTo(302);
	}

	/** A person provisioned by a generic SCIM client, whose userName is not their e-mail. */
	private String scimUser(String userName, String email) {
		Response settings = this.client.api(this.company, "PUT", "/api/v1/integrations/scim", Map.of("enabled", true));
		assertThat(settings.status()).as(settings.body()).isEqualTo(200);
		String token = this.client.api(this.company, "POST", "/api/v1/integrations/scim/tokens", Map.of("name", "hr"))
			.json()
			.path("secret")
			.asString();
		Response created = this.client.send("POST", this.host, "/scim/v2/Users", "Bearer " + token,
				Map.of("userName", userName, "emails", java.util.List.of(Map.of("value", email, "primary", true))));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return created.json().path("id").asString();
	}

	private tools.jackson.databind.JsonNode externalIds(String person) {
		return this.client.api(this.company, "GET", "/api/v1/people/" + person).json().path("externalIds");
	}

	/** The whole flow: sign-in page, button, provider, callback; returns Rollcall's answer to the callback. */
	private Response signIn(RollcallClient browser) {
		try {
			String csrf = csrf(browser.page(this.host, "/login").body());
			Response started = browser.form(this.host, "/sso/start", Map.of("_csrf", csrf));
			Response redirect = browser.page(this.host, pathAndQuery(started.header("Location")));
			assertThat(redirect.status()).as(redirect.body()).isEqualTo(302);
			HttpResponse<String> answer = this.plain.send(
					HttpRequest.newBuilder(URI.create(redirect.header("Location"))).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).isEqualTo(302);
			return browser.page(this.host, pathAndQuery(answer.headers().firstValue("Location").orElseThrow()));
		}
		catch (Exception ex) {
			throw new AssertionError(ex);
		}
	}

	private static String pathAndQuery(String location) {
		URI uri = URI.create(location);
		return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
	}

	private static String csrf(String html) {
		Matcher matcher = CSRF.matcher(html);
		assertThat(matcher.find()).as("a CSRF token in the page").isTrue();
		return matcher.group(1);
	}

}
