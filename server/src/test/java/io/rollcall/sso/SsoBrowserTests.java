package io.rollcall.sso;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rollcall.support.Browser;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.Mails;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
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
 * Single sign-on in headless Chromium, from the company's home page, against a second, independent OpenID Connect
 * provider (NAV's mock-oauth2-server) configured as a generic OIDC provider.
 */
class SsoBrowserTests extends IntegrationTest {

	private static final String ISSUER = "rollcall-test";

	private static final String PASSWORD = "a long enough password";

	private static MockOAuth2Server provider;

	@org.springframework.beans.factory.annotation.Autowired
	private SingleSignOn singleSignOn;

	private ChromeDriver browser;

	private WebDriverWait wait;

	private TestCompany company;

	private String base;

	private String clientId;

	@BeforeAll
	static void startProvider() {
		provider = new MockOAuth2Server();
		provider.start();
	}

	@AfterAll
	static void stopProvider() {
		provider.shutdown();
	}

	@BeforeEach
	void setUp() throws Exception {
		this.browser = Browser.start();
		this.wait = new WebDriverWait(this.browser, Duration.ofSeconds(15));
		this.company = this.client.createCompany();
		this.base = "http://" + this.company.slug() + ".localhost:" + this.port;
		this.clientId = "rollcall-" + this.company.slug();
		String issuer = provider.issuerUrl(ISSUER).toString().replaceAll("/$", "");
		Response saved = this.client.api(this.company, "PUT", "/api/v1/integrations/sso",
				Map.of("provider", "oidc", "authority", issuer, "clientId", this.clientId, "clientSecret", "secret",
						"buttonLabel", "Sign in with Mock IdP"));
		assertThat(saved.status()).as(saved.body()).isEqualTo(200);
	}

	@AfterEach
	void close() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void signInWhenButtonPressedOnHomePageThenLinkedByEmailAndNextTimeBySubject() {
		UUID person = createPerson("grace@example.com", "Grace");
		String subject = "sub-" + UUID.randomUUID();
		nextSignIn(subject, "Grace@Example.com");

		signInWithButton();

		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("signed-in-as")));
		assertThat(this.browser.findElement(By.id("signed-in-as")).getText()).contains("grace@example.com");
		assertThat(this.client.api(this.company, "GET", "/api/v1/people/" + person)
			.json()
			.path("externalIds")
			.path("oidc")
			.asString()).isEqualTo(subject);

		this.browser.findElement(By.cssSelector("form[action$='/logout'] button")).click();
		this.wait.until(ExpectedConditions.urlContains("/login"));
		// The provider now sends another e-mail address: the stored subject still finds Grace.
		nextSignIn(subject, "someone.else@example.com");
		signInWithButton();

		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("signed-in-as")));
		assertThat(this.browser.findElement(By.id("signed-in-as")).getText()).contains("grace@example.com");
	}

	@Test
	void signInWhenPersonDeactivatedThenRefusedPage() {
		UUID person = createPerson("ex@example.com", "Ex");
		this.client.api(this.company, "POST", "/api/v1/people/" + person + "/deactivate");
		nextSignIn("sub-" + UUID.randomUUID(), "ex@example.com");

		signInWithButton();

		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("refused")));
		assertThat(this.browser.findElement(By.id("refused")).getAttribute("data-reason")).isEqualTo("deactivated");
		this.browser.get(this.base + "/");
		this.wait.until(ExpectedConditions.urlContains("/login"));
	}

	@Test
	void deepLinkWhenOpenedThenPageSendsPersonToHomePage() {
		this.browser.get(this.base + "/oauth2/authorization/" + this.company.slug());

		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("start-from-home")));
		this.browser.findElement(By.id("home-link")).click();

		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sso-sign-in")));
		assertThat(this.browser.getCurrentUrl()).startsWith(this.base + "/login");
	}

	@Test
	void testSignInWhenAdminPressesItThenClaimsAndMatchShownAndAdminStaysSignedIn() throws Exception {
		createPerson("match@example.com", "Mat");
		this.browser.get(Mails.invitationLink(Mails.awaitTo(MAIL, this.company.ownerEmail())));
		this.browser.findElement(By.id("password")).sendKeys(PASSWORD);
		this.browser.findElement(By.id("confirmation")).sendKeys(PASSWORD);
		this.browser.findElement(By.id("set-password")).click();
		this.wait.until(ExpectedConditions.urlContains("/login?welcome"));
		this.browser.findElement(By.id("email")).sendKeys(this.company.ownerEmail());
		this.browser.findElement(By.id("password")).sendKeys(PASSWORD);
		this.browser.findElement(By.id("sign-in")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("signed-in-as")));
		this.browser.get(this.base + "/console/sso");
		String subject = "sub-" + UUID.randomUUID();
		nextSignIn(subject, "match@example.com");

		this.browser.findElement(By.id("sso-test")).click();

		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("test-result")));
		assertThat(this.browser.findElement(By.id("test-result")).getAttribute("data-outcome")).isEqualTo("by_email");
		assertThat(this.browser.findElement(By.id("test-person")).getText()).contains("match@example.com");
		assertThat(this.browser.findElement(By.cssSelector("tr[data-claim='sub']")).getText()).contains(subject);
		// Still the admin, and nothing was linked by the test.
		assertThat(this.browser.findElement(By.cssSelector(".signout span")).getText())
			.isEqualTo(this.company.ownerEmail());
		var match = this.client.api(this.company, "GET", "/api/v1/people?q=match@example.com")
			.json()
			.path("items")
			.get(0);
		assertThat(match.path("externalIds").has("oidc")).isFalse();
	}

	@Test
	void consoleWhenEntraTenantSavedThenFormShowsItMaskedAndSavingWithoutRetypingKeepsIt() throws Exception {
		String tenantId = UUID.randomUUID().toString();
		Response saved = this.client.api(this.company, "PUT", "/api/v1/integrations/sso",
				Map.of("provider", "entra", "tenantId", tenantId, "clientId", this.clientId, "buttonLabel",
						"Sign in with Entra"));
		assertThat(saved.status()).as(saved.body()).isEqualTo(200);
		signInAsOwner();
		this.browser.get(this.base + "/console/sso");

		assertThat(this.browser.findElement(By.id("sso-tenant")).getAttribute("value"))
			.isEqualTo("••••••••-…-" + tenantId.substring(tenantId.length() - 4));
		assertThat(this.browser.getPageSource()).doesNotContain(tenantId);

		this.browser.findElement(By.id("sso-button-label")).clear();
		this.browser.findElement(By.id("sso-button-label")).sendKeys("Sign in with Contoso");
		this.browser.findElement(By.id("save-sso")).click();

		this.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Single sign-on saved"));
		SsoSettings stored = this.singleSignOn.find(this.company.id()).orElseThrow();
		assertThat(stored.tenantId()).isEqualTo(tenantId);
		assertThat(stored.buttonLabel()).isEqualTo("Sign in with Contoso");
	}

	private void signInAsOwner() throws Exception {
		this.browser.get(Mails.invitationLink(Mails.awaitTo(MAIL, this.company.ownerEmail())));
		this.browser.findElement(By.id("password")).sendKeys(PASSWORD);
		this.browser.findElement(By.id("confirmation")).sendKeys(PASSWORD);
		this.browser.findElement(By.id("set-password")).click();
		this.wait.until(ExpectedConditions.urlContains("/login?welcome"));
		this.browser.findElement(By.id("email")).sendKeys(this.company.ownerEmail());
		this.browser.findElement(By.id("password")).sendKeys(PASSWORD);
		this.browser.findElement(By.id("sign-in")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("signed-in-as")));
	}

	private void signInWithButton() {
		this.browser.get(this.base + "/");
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sso-sign-in")));
		assertThat(this.browser.findElement(By.id("sso-sign-in")).getText()).isEqualTo("Sign in with Mock IdP");
		this.browser.findElement(By.id("sso-sign-in")).click();
	}

	private void nextSignIn(String subject, String email) {
		provider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER, subject, "JWT", List.of(this.clientId),
				Map.of("email", email, "email_verified", true, "name", "From Mock"), 3600));
	}

	private UUID createPerson(String email, String firstName) {
		Response created = this.client.api(this.company, "POST", "/api/v1/people",
				Map.of("email", email, "firstName", firstName));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return UUID.fromString(created.json().path("id").asString());
	}

}
