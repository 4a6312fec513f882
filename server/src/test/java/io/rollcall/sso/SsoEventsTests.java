package io.rollcall.sso;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rollcall.events.EventTestSupport;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.TestOidcProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.rollcall.events.EventTestSupport.assertActor;
import static io.rollcall.events.EventTestSupport.change;
import static io.rollcall.events.EventTestSupport.types;
import static org.assertj.core.api.Assertions.assertThat;

/** The sign-in writer: a person created at their first single sign-on, read back through the event feed. */
class SsoEventsTests extends IntegrationTest {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private static TestOidcProvider provider;

	private final HttpClient plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	@Autowired
	private JdbcClient jdbc;

	@BeforeAll
	static void startProvider() throws Exception {
		provider = new TestOidcProvider();
	}

	@AfterAll
	static void stopProvider() {
		provider.close();
	}

	@Test
	void signInWhenFirstSignInCreatesThePersonThenCreatedAndLinkedBySingleSignOn() throws Exception {
		TestCompany company = this.client.createCompany();
		String host = company.slug() + ".localhost";
		Response saved = this.client.api(company, "PUT", "/api/v1/integrations/sso",
				Map.of("provider", "entra", "tenantId", UUID.randomUUID().toString(), "authority", provider.authority(),
						"clientId", "client-" + company.slug(), "clientSecret", "s3cret-value", "createOnFirstSignIn",
						true));
		assertThat(saved.status()).as(saved.body()).isEqualTo(200);
		provider.signInAs(Map.of("oid", "oid-nia", "preferred_username", "nia@example.com", "given_name", "Nia",
				"family_name", "Okoro"));
		String start = EventTestSupport.cursorAfterEverything(this.jdbc);

		RollcallClient browser = new RollcallClient(this.port);
		Response landed = browser.page(host, atProvider(start(browser, host)));

		assertThat(pathAndQuery(landed.header("Location"))).isEqualTo("/");
		List<JsonNode> events = EventTestSupport.eventsAfter(this.client, this.jdbc, company, start);
		String id = this.client.personByEmail(company, "nia@example.com").path("id").asString();
		assertThat(types(events)).containsExactly("person.created", "person.updated");
		events.forEach(e -> {
			assertThat(e.path("subjectId").asString()).isEqualTo(id);
			assertActor(e, "source", "Single sign-on (entra)");
			assertThat(e.path("runId").isNull()).isTrue();
		});
		assertThat(change(events.get(0), "email")).containsExactly(null, "nia@example.com");
		assertThat(change(events.get(0), "firstName")).containsExactly(null, "Nia");
		assertThat(change(events.get(0), "lastName")).containsExactly(null, "Okoro");
		assertThat(change(events.get(1), "externalIds.entra")).containsExactly(null, "oid-nia");
		assertThat(change(events.get(1), "linkedBy")).containsExactly(null, "sign-in");
		EventTestSupport.assertSubjectIsAsApiShows(this.client, company, events.getLast(), "/api/v1/people/");
	}

	/** Presses the sign-in button; returns the provider's authorization URL Rollcall redirects to. */
	private String start(RollcallClient browser, String host) {
		Matcher csrf = CSRF.matcher(browser.page(host, "/login").body());
		assertThat(csrf.find()).isTrue();
		Response started = browser.form(host, "/sso/start", Map.of("_csrf", csrf.group(1)));
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

	private static String pathAndQuery(String location) {
		URI uri = URI.create(location);
		return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
	}

}
