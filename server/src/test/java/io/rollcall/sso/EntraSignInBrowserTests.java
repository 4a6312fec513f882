package io.rollcall.sso;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.rollcall.emulators.entra.EntraEmulator;
import io.rollcall.emulators.entra.EntraTenant;
import io.rollcall.emulators.entra.EntraUser;
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

/** Signing in through the Entra ID emulator in headless Chromium, from the company's home page. */
class EntraSignInBrowserTests extends IntegrationTest {

	private static EntraEmulator entra;

	private ChromeDriver browser;

	private WebDriverWait wait;

	@BeforeAll
	static void startEntra() throws Exception {
		entra = EntraEmulator.start(EntraEmulator.Options.defaults().https(false));
	}

	@AfterAll
	static void stopEntra() throws Exception {
		entra.close();
	}

	@BeforeEach
	void browser() throws Exception {
		this.browser = Browser.start();
		this.wait = new WebDriverWait(this.browser, Duration.ofSeconds(15));
	}

	@AfterEach
	void close() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void signInWhenThroughEntraThenLinkedByUpnAndNextTimeByObjectId() {
		EntraTenant tenant = entra.createTenant();
		EntraUser user = tenant
			.createUser(Map.of("userPrincipalName", "lin@" + tenant.domain(), "displayName", "Lin Entra"));
		TestCompany company = this.client.createCompany();
		Response saved = this.client.api(company, "PUT", "/api/v1/integrations/sso",
				Map.of("provider", "entra", "tenantId", tenant.tenantId(), "authority", entra.authority(), "clientId",
						tenant.clientId(), "clientSecret", tenant.clientSecret()));
		assertThat(saved.status()).as(saved.body()).isEqualTo(200);
		Response created = this.client.api(company, "POST", "/api/v1/people",
				Map.of("email", user.userPrincipalName(), "firstName", "Lin"));
		UUID person = UUID.fromString(created.json().path("id").asString());
		String base = "http://" + company.slug() + ".localhost:" + this.port;

		signIn(base, user.userPrincipalName());
		assertThat(this.browser.findElement(By.id("signed-in-as")).getText())
			.containsIgnoringCase(user.userPrincipalName());
		assertThat(this.client.api(company, "GET", "/api/v1/people/" + person)
			.json()
			.path("externalIds")
			.path("entra")
			.asString()).isEqualTo(user.id());

		// Renamed in Entra: the stored object id still finds the person.
		tenant.updateUser(user.id(), Map.of("userPrincipalName", "lin.renamed@" + tenant.domain()));
		this.browser.manage().deleteAllCookies();
		signIn(base, "lin.renamed@" + tenant.domain());
		assertThat(this.browser.findElement(By.id("signed-in-as")).getText())
			.containsIgnoringCase(user.userPrincipalName());
	}

	private void signIn(String base, String upn) {
		this.browser.get(base + "/");
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sso-sign-in")));
		this.browser.findElement(By.id("sso-sign-in")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("login")));
		this.browser.findElement(By.id("login")).sendKeys(upn);
		this.browser.findElement(By.id("next")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("signed-in-as")));
	}

}
