package io.rollcall.identityprovider;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.example.learning.LearningPlatform;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.rollcall.emulators.entra.EntraEmulator;
import io.rollcall.emulators.entra.EntraTenant;
import io.rollcall.emulators.entra.EntraUser;
import io.rollcall.emulators.okta.OktaEmulator;
import io.rollcall.emulators.okta.OktaOrg;
import io.rollcall.emulators.okta.OktaUser;
import io.rollcall.support.Browser;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.LocalhostSubdomains;
import io.rollcall.support.Mails;
import io.rollcall.support.RollcallClient;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real relying party (Spring Security's OAuth2 client, {@link LearningPlatform}) signs a person in through Rollcall
 * in headless Chromium: the application's sign-in link, the company's sign-in page, the password or the company's
 * Entra ID (the emulator), back to the application with a verified ID token; and out of it when the person leaves.
 */
class OpenIdProviderBrowserTests extends IntegrationTest {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String PASSWORD = "correct horse battery";

	private static EntraEmulator entra;

	private static OktaEmulator okta;

	private ChromeDriver browser;

	private WebDriverWait wait;

	private LearningPlatform platform;

	@BeforeAll
	static void startEmulators() throws Exception {
		entra = EntraEmulator.start(EntraEmulator.Options.defaults().https(false));
		okta = OktaEmulator.start(OktaEmulator.Options.defaults().https(false));
	}

	@AfterAll
	static void stopEmulators() throws Exception {
		entra.close();
		okta.close();
	}

	@BeforeEach
	void startBrowser() throws Exception {
		this.browser = Browser.start();
		this.wait = new WebDriverWait(this.browser, Duration.ofSeconds(30));
	}

	@AfterEach
	void stop() {
		if (this.browser != null) {
			this.browser.quit();
		}
		if (this.platform != null) {
			this.platform.close();
		}
	}

	@Test
	void signInWhenRelyingPartyUsesCodeFlowWithPkceThenItHoldsAVerifiedIdTokenOfThePerson() throws Exception {
		TestCompany company = this.client.createCompany();
		String issuer = "http://" + company.slug() + ".localhost:" + this.port;
		// The relying party reaches the issuer by its name, as it would in production.
		LocalhostSubdomains.resolve(company.slug() + ".localhost");
		int platformPort = freePort();
		Response registered = this.client.operator("POST", "/api/v1/applications", Map.of("name", "Learning platform",
				"redirectUris",
				List.of("http://{slug}.learn.localhost:" + platformPort + "/login/oauth2/code/rollcall"),
				"backChannelLogoutUri",
				"http://{slug}.learn.localhost:" + platformPort + "/logout/connect/back-channel/rollcall"));
		assertThat(registered.status()).as(registered.body()).isEqualTo(201);
		String clientId = registered.json().path("clientId").asString();
		this.platform = LearningPlatform.start(platformPort, issuer, clientId,
				registered.json().path("clientSecret").asString());
		String email = person(company, "Ada", "Lovelace");

		this.browser.get("http://" + company.slug() + ".learn.localhost:" + platformPort + "/");
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("email")));
		assertThat(this.browser.getCurrentUrl()).startsWith(issuer + "/login");
		this.browser.findElement(By.id("email")).sendKeys(email);
		this.browser.findElement(By.id("password")).sendKeys(PASSWORD);
		this.browser.findElement(By.id("sign-in")).click();
		// Back at the application's home page (which it asked for first: "?continue" marks its saved request).
		this.wait.until(ExpectedConditions.urlMatches(
				"^http://" + company.slug() + "\\.learn\\.localhost:" + platformPort + "/(\\?continue)?$"));

		JsonNode home = JSON.readTree(this.browser.findElement(By.tagName("body")).getText());
		JWTClaimsSet id = verify(issuer, home.path("idToken").asString());
		assertThat(id.getIssuer()).isEqualTo(issuer);
		assertThat(id.getAudience()).containsExactly(clientId);
		assertThat(id.getStringClaim("nonce")).isNotBlank();
		assertThat(id.getSubject()).isEqualTo(this.client.personByEmail(company, email).path("id").asString());
		assertThat(id.getStringClaim("email")).isEqualTo(email);
		assertThat(id.getStringClaim("name")).isEqualTo("Ada Lovelace");
		assertThat(id.getJSONObjectClaim("rollcall")).containsEntry("role", "learner");
	}

	@Test
	void signInWhenThroughTheEntraEmulatorThenTheRelyingPartyHoldsThePersonsRollcallSubject() throws Exception {
		EntraTenant tenant = entra.createTenant();
		EntraUser user = tenant
			.createUser(Map.of("userPrincipalName", "lin@" + tenant.domain(), "displayName", "Lin Entra"));
		TestCompany company = this.client.createCompany();
		Response sso = this.client.api(company, "PUT", "/api/v1/integrations/sso",
				Map.of("provider", "entra", "tenantId", tenant.tenantId(), "authority", entra.authority(), "clientId",
						tenant.clientId(), "clientSecret", tenant.clientSecret()));
		assertThat(sso.status()).as(sso.body()).isEqualTo(200);
		String personId = this.client.api(company, "POST", "/api/v1/people",
				Map.of("email", user.userPrincipalName(), "firstName", "Lin", "lastName", "Entra"))
			.json()
			.path("id")
			.asString();
		Platform platform = startPlatform(company);

		this.browser.get(platform.home());
		// The company's sign-in page, then its Entra ID, then back through Rollcall to the application.
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sso-sign-in")));
		this.browser.findElement(By.id("sso-sign-in")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("login")));
		this.browser.findElement(By.id("login")).sendKeys(user.userPrincipalName());
		this.browser.findElement(By.id("next")).click();
		this.wait.until(ExpectedConditions.urlMatches("^" + Pattern.quote(platform.home()) + "(\\?continue)?$"));

		JWTClaimsSet id = verify(platform.issuer(),
				JSON.readTree(this.browser.findElement(By.tagName("body")).getText())
					.path("idToken")
					.asString());
		assertThat(id.getIssuer()).isEqualTo(platform.issuer());
		assertThat(id.getAudience()).containsExactly(platform.clientId());
		// Rollcall's id for the person, not Entra's object id: the same sub whichever way they sign in.
		assertThat(id.getSubject()).isEqualTo(personId).isNotEqualTo(user.id());
		assertThat(id.getStringClaim("email")).isEqualToIgnoringCase(user.userPrincipalName());
	}

	@Test
	void signInWhenThroughTheOktaEmulatorThenTheRelyingPartyHoldsThePersonsRollcallSubject() throws Exception {
		OktaOrg org = okta.org();
		TestCompany company = this.client.createCompany();
		Response sso = this.client.api(company, "PUT", "/api/v1/integrations/sso", Map.of("provider", "okta",
				"authority", org.orgUrl(), "clientId", org.appClientId(), "clientSecret", org.appClientSecret()));
		assertThat(sso.status()).as(sso.body()).isEqualTo(200);
		String email = "kim-" + company.slug() + "@example.com";
		OktaUser user = org.createUser(Map.of("email", email, "firstName", "Kim", "lastName", "Okta"), true);
		org.assign(user.id());
		String personId = this.client.api(company, "POST", "/api/v1/people",
				Map.of("email", email, "firstName", "Kim", "lastName", "Okta"))
			.json()
			.path("id")
			.asString();
		Platform platform = startPlatform(company);

		this.browser.get(platform.home());
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sso-sign-in")));
		this.browser.findElement(By.id("sso-sign-in")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("okta-signin-username")));
		this.browser.findElement(By.id("okta-signin-username")).sendKeys(email);
		this.browser.findElement(By.id("okta-signin-submit")).click();
		this.wait.until(ExpectedConditions.urlMatches("^" + Pattern.quote(platform.home()) + "(\\?continue)?$"));

		JWTClaimsSet id = verify(platform.issuer(),
				JSON.readTree(this.browser.findElement(By.tagName("body")).getText())
					.path("idToken")
					.asString());
		assertThat(id.getIssuer()).isEqualTo(platform.issuer());
		assertThat(id.getAudience()).containsExactly(platform.clientId());
		assertThat(id.getSubject()).isEqualTo(personId).isNotEqualTo(user.id());
		assertThat(id.getStringClaim("email")).isEqualToIgnoringCase(email);
	}

	/** The relying party running for one company, as registered with Rollcall. */
	private record Platform(String issuer, String home, String clientId) {
	}

	/** Registers the application and starts it, as client of the company's issuer. */
	private Platform startPlatform(TestCompany company) throws Exception {
		String issuer = "http://" + company.slug() + ".localhost:" + this.port;
		// The relying party reaches the issuer by its name, as it would in production.
		LocalhostSubdomains.resolve(company.slug() + ".localhost");
		int platformPort = freePort();
		Response registered = this.client.operator("POST", "/api/v1/applications", Map.of("name", "Learning platform",
				"redirectUris",
				List.of("http://{slug}.learn.localhost:" + platformPort + "/login/oauth2/code/rollcall")));
		assertThat(registered.status()).as(registered.body()).isEqualTo(201);
		String clientId = registered.json().path("clientId").asString();
		this.platform = LearningPlatform.start(platformPort, issuer, clientId,
				registered.json().path("clientSecret").asString());
		return new Platform(issuer, "http://" + company.slug() + ".learn.localhost:" + platformPort + "/", clientId);
	}

	@Test
	void deactivateWhenSignedInToTheRelyingPartyThenItsSessionEndsByBackChannelLogout() throws Exception {
		TestCompany company = this.client.createCompany();
		String issuer = "http://" + company.slug() + ".localhost:" + this.port;
		LocalhostSubdomains.resolve(company.slug() + ".localhost");
		// Rollcall reaches the application's back-channel logout URI by its name.
		LocalhostSubdomains.resolve(company.slug() + ".learn.localhost");
		int platformPort = freePort();
		String home = "http://" + company.slug() + ".learn.localhost:" + platformPort + "/";
		Response registered = this.client.operator("POST", "/api/v1/applications", Map.of("name", "Learning platform",
				"redirectUris",
				List.of("http://{slug}.learn.localhost:" + platformPort + "/login/oauth2/code/rollcall"),
				"backChannelLogoutUri",
				"http://{slug}.learn.localhost:" + platformPort + "/logout/connect/back-channel/rollcall"));
		assertThat(registered.status()).as(registered.body()).isEqualTo(201);
		this.platform = LearningPlatform.start(platformPort, issuer, registered.json().path("clientId").asString(),
				registered.json().path("clientSecret").asString());
		String email = person(company, "Grace", "Hopper");
		this.browser.get(home);
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("email")));
		this.browser.findElement(By.id("email")).sendKeys(email);
		this.browser.findElement(By.id("password")).sendKeys(PASSWORD);
		this.browser.findElement(By.id("sign-in")).click();
		this.wait.until(ExpectedConditions.urlMatches("^" + java.util.regex.Pattern.quote(home) + "(\\?continue)?$"));
		this.browser.get(home);
		assertThat(this.browser.findElement(By.tagName("body")).getText()).contains("idToken");

		String personId = this.client.personByEmail(company, email).path("id").asString();
		assertThat(this.client.api(company, "POST", "/api/v1/people/" + personId + "/deactivate").status())
			.isEqualTo(200);

		// Within seconds the application no longer knows them: its home page sends them to sign in at Rollcall again.
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (true) {
			this.browser.get(home);
			if (this.browser.getCurrentUrl().startsWith(issuer + "/login")) {
				break;
			}
			assertThat(System.nanoTime()).as("the application's session ended within 10 s").isLessThan(deadline);
			Thread.sleep(250);
		}
	}

	private static JWTClaimsSet verify(String issuer, String idToken) throws Exception {
		HttpResponse<String> jwks = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(issuer + "/oauth2/jwks")).build(),
					HttpResponse.BodyHandlers.ofString());
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
				new ImmutableJWKSet<>(JWKSet.parse(jwks.body()))));
		return processor.process(idToken, null);
	}

	/** A learner with a password set through their invitation. */
	private String person(TestCompany company, String firstName, String lastName) throws Exception {
		String email = firstName.toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
		Response created = this.client.api(company, "POST", "/api/v1/people",
				Map.of("email", email, "firstName", firstName, "lastName", lastName, "role", "learner", "invite",
						true));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		String path = URI.create(Mails.invitationLink(Mails.awaitTo(MAIL, email))).getPath();
		String host = company.slug() + ".localhost";
		RollcallClient invitee = new RollcallClient(this.port);
		String csrf = csrf(invitee.page(host, path).body());
		Response accepted = invitee.form(host, path,
				Map.of("password", PASSWORD, "confirmation", PASSWORD, "_csrf", csrf));
		assertThat(accepted.header("Location")).endsWith("/login?welcome");
		return email;
	}

	private static String csrf(String html) {
		Matcher matcher = CSRF.matcher(html);
		assertThat(matcher.find()).as("a CSRF token in the page").isTrue();
		return matcher.group(1);
	}

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
