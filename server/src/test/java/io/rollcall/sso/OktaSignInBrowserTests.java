package io.rollcall.sso;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.rollcall.emulators.okta.OktaEmulator;
import io.rollcall.emulators.okta.OktaOrg;
import io.rollcall.emulators.okta.OktaUser;
import io.rollcall.support.Browser;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signing in through the Okta emulator in headless Chromium, from the company's home page, with the org
 * authorization server (issuer {@code https://{domain}}) and with a custom one ({@code https://{domain}/oauth2/{id}}).
 * The Okta id ({@code sub}) is stored as the {@code okta} external id, the same one the Okta connector keys on.
 */
class OktaSignInBrowserTests extends IntegrationTest {

	private static OktaEmulator okta;

	private static OktaOrg org;

	private ChromeDriver browser;

	private WebDriverWait wait;

	private TestCompany company;

	private String base;

	@BeforeAll
	static void startOkta() {
		okta = OktaEmulator.start(OktaEmulator.Options.defaults().https(false));
		org = okta.org();
	}

	@AfterAll
	static void stopOkta() {
		okta.close();
	}

	@BeforeEach
	void setUp() throws Exception {
		this.browser = Browser.start();
		this.wait = new WebDriverWait(this.browser, Duration.ofSeconds(15));
		this.company = this.client.createCompany();
		this.base = "http://" + this.company.slug() + ".localhost:" + this.port;
	}

	@AfterEach
	void close() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void signInWhenOrgAuthorizationServerThenLinkedByEmailAndNextTimesByOktaId() {
		useOkta(org.orgUrl());
		long tokensBefore = okta.counters().requests("POST", "/oauth2/v1/token");

		signInLinksThenFindsByStoredId("org");

		assertThat(okta.counters().requests("POST", "/oauth2/v1/token") - tokensBefore).isEqualTo(3);
	}

	@Test
	void signInWhenCustomAuthorizationServerThenLinkedByEmailAndNextTimesByOktaId() {
		String serverId = "aus" + this.company.slug().replace("-", "");
		useOkta(org.createAuthorizationServer(serverId));

		signInLinksThenFindsByStoredId("custom");

		// Every code went to the custom server's token endpoint (its ID tokens carry the custom issuer).
		assertThat(okta.counters().requests("POST", "/oauth2/" + serverId + "/v1/token")).isEqualTo(3);
	}

	@Test
	void signInWhenPersonDeactivatedThenRefusedByEmailAndByStoredId() {
		useOkta(org.orgUrl());
		OktaUser never = oktaUser("never");
		UUID neverPerson = createPerson(never.email());
		this.client.api(this.company, "POST", "/api/v1/people/" + neverPerson + "/deactivate");

		signIn(never.login());

		assertRefused("deactivated");
		assertThat(externalIds(neverPerson).has("okta")).as("nothing linked for a refused person").isFalse();

		// Linked at a first sign-in, deactivated later: the stored Okta id finds them, and they are refused.
		OktaUser left = oktaUser("left");
		UUID leftPerson = createPerson(left.email());
		signIn(left.login());
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("signed-in-as")));
		this.browser.manage().deleteAllCookies();
		this.client.api(this.company, "POST", "/api/v1/people/" + leftPerson + "/deactivate");

		signIn(left.login());

		assertRefused("deactivated");
	}

	@Test
	void signInWhenOktaRefusesUnassignedUserThenRefusedPageAndNobodySignedIn() {
		useOkta(org.orgUrl());
		OktaUser outsider = oktaUser("outsider");
		UUID person = createPerson(outsider.email());
		org.unassign(outsider.id());

		signIn(outsider.login());

		assertRefused("access-denied");
		assertThat(externalIds(person).has("okta")).isFalse();
	}

	@Test
	void settingsWhenOktaAuthorityIsAnEndpointNotAnIssuerThenRefusedWithField() {
		for (String authority : new String[] { org.orgUrl() + "/oauth2/v1",
				org.orgUrl() + "/oauth2/default/v1/authorize",
				org.orgUrl() + "/app/rollcall" }) {
			Response refused = this.client.api(this.company, "PUT", "/api/v1/integrations/sso",
					Map.of("provider", "okta", "authority", authority, "clientId", org.appClientId()));

			assertThat(refused.status()).as(authority).isEqualTo(400);
			assertThat(refused.json().path("field").asString()).isEqualTo("authority");
		}
		assertThat(this.client.api(this.company, "GET", "/api/v1/integrations/sso").status()).isEqualTo(404);
	}

	/**
	 * First sign-in: found by e-mail, the Okta id stored. Then the e-mail changes in Rollcall, and then at Okta:
	 * each next sign-in still finds the same person by the stored id.
	 */
	private void signInLinksThenFindsByStoredId(String name) {
		OktaUser user = oktaUser(name);
		UUID person = createPerson(user.email());

		signIn(user.login());

		assertSignedInAs(user.email());
		assertThat(externalIds(person).path("okta").asString()).isEqualTo(user.id());

		String renamedHere = "renamed-" + user.email();
		Response patched = this.client.api(this.company, "PATCH", "/api/v1/people/" + person,
				Map.of("email", renamedHere));
		assertThat(patched.status()).as(patched.body()).isEqualTo(200);
		this.browser.manage().deleteAllCookies();

		signIn(user.login());

		assertSignedInAs(renamedHere);

		String renamedAtOkta = "moved-" + user.email();
		org.updateProfile(user.id(), Map.of("email", renamedAtOkta, "login", renamedAtOkta));
		this.browser.manage().deleteAllCookies();

		signIn(renamedAtOkta);

		assertSignedInAs(renamedHere);
		// Still the one person, linked once.
		assertThat(externalIds(person).path("okta").asString()).isEqualTo(user.id());
		assertThat(
				this.client.api(this.company, "GET", "/api/v1/people?q=" + renamedAtOkta).json().path("items").size())
			.isZero();
	}

	private void useOkta(String authority) {
		Response saved = this.client.api(this.company, "PUT", "/api/v1/integrations/sso",
				Map.of("provider", "okta", "authority", authority, "clientId", org.appClientId(), "clientSecret",
						org.appClientSecret()));
		assertThat(saved.status()).as(saved.body()).isEqualTo(200);
	}

	private OktaUser oktaUser(String name) {
		String email = name + "-" + this.company.slug() + "@example.com";
		OktaUser user = org.createUser(Map.of("email", email, "firstName", name, "lastName", "Okta"), true);
		org.assign(user.id());
		return user;
	}

	private UUID createPerson(String email) {
		Response created = this.client.api(this.company, "POST", "/api/v1/people",
				Map.of("email", email, "firstName", "Person"));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return UUID.fromString(created.json().path("id").asString());
	}

	private tools.jackson.databind.JsonNode externalIds(UUID person) {
		return this.client.api(this.company, "GET", "/api/v1/people/" + person).json().path("externalIds");
	}

	/** From the company's home page: the button, then Okta's sign-in form. */
	private void signIn(String login) {
		this.browser.get(this.base + "/");
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sso-sign-in")));
		assertThat(this.browser.findElement(By.id("sso-sign-in")).getText()).isEqualTo("Sign in with Okta");
		this.browser.findElement(By.id("sso-sign-in")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("okta-signin-username")));
		this.browser.findElement(By.id("okta-signin-username")).sendKeys(login);
		this.browser.findElement(By.id("okta-signin-submit")).click();
		this.wait.until(ExpectedConditions.or(ExpectedConditions.presenceOfElementLocated(By.id("signed-in-as")),
				ExpectedConditions.presenceOfElementLocated(By.id("refused"))));
	}

	private void assertSignedInAs(String email) {
		assertThat(this.browser.findElements(By.id("refused"))).as("refused instead of signed in").isEmpty();
		assertThat(this.browser.findElement(By.id("signed-in-as")).getText()).containsIgnoringCase(email);
	}

	private void assertRefused(String reason) {
		assertThat(this.browser.findElement(By.id("refused")).getAttribute("data-reason")).isEqualTo(reason);
		this.browser.get(this.base + "/");
		this.wait.until(ExpectedConditions.urlContains("/login"));
	}

}
