package io.rollcall.console;

import java.time.Duration;

import io.rollcall.support.Browser;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.Mails;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SCIM page in a real browser: turn SCIM on, create a token (shown once) that then works, see a failed push
 * with its reason in the request log, revoke the token.
 */
class ScimBrowserTests extends IntegrationTest {

	private static final String PASSWORD = "a long enough password";

	private ChromeDriver browser;

	private WebDriverWait wait;

	@BeforeEach
	void browser() throws Exception {
		this.browser = Browser.start();
		this.wait = new WebDriverWait(this.browser, Duration.ofSeconds(20));
		this.wait.ignoring(StaleElementReferenceException.class);
	}

	@AfterEach
	void close() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void scimPageWhenTurnedOnAndTokenCreatedThenProviderGetsInAndFailuresShow() throws Exception {
		TestCompany company = this.client.createCompany();
		signInAsOwner(company);
		this.browser.findElement(By.linkText("SCIM")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("scim-settings")));
		assertThat(this.browser.findElement(By.id("tenant-url")).getText())
			.isEqualTo("http://" + company.slug() + ".localhost:" + this.port + "/scim/v2");

		this.browser.findElement(By.id("scim-enabled")).click();
		this.browser.findElement(By.id("scim-save")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("scim-settings")));
		assertThat(this.browser.findElement(By.id("scim-enabled")).isSelected()).isTrue();

		this.browser.findElement(By.id("new-token-name")).sendKeys("entra");
		this.browser.findElement(By.id("create-token-submit")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("new-token-secret")));
		String secret = this.browser.findElement(By.id("new-token-secret")).getText();
		assertThat(secret).startsWith("rcs_");

		String host = company.slug() + ".localhost";
		assertThat(this.client.send("GET", host, "/scim/v2/Users", "Bearer " + secret, null).status()).isEqualTo(200);
		Response failed = this.client.send("POST", host, "/scim/v2/Users", "Bearer " + secret,
				java.util.Map.of("userName", "not-an-email"));
		assertThat(failed.status()).isEqualTo(400);

		this.browser.navigate().refresh();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("scim-requests")));
		assertThat(this.browser.findElements(By.id("new-token-secret"))).isEmpty(); // shown once
		String log = this.browser.findElement(By.id("scim-requests")).getText();
		assertThat(log).contains("POST /scim/v2/Users").contains("400").contains("not-an-email");

		this.browser.findElement(By.cssSelector("#scim-tokens .revoke")).click();
		this.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("scim-tokens"), "Stopped"));
		assertThat(this.client.send("GET", host, "/scim/v2/Users", "Bearer " + secret, null).status()).isEqualTo(401);
	}

	private void signInAsOwner(TestCompany company) throws Exception {
		this.browser.get(Mails.invitationLink(Mails.awaitTo(MAIL, company.ownerEmail())));
		this.browser.findElement(By.id("password")).sendKeys(PASSWORD);
		this.browser.findElement(By.id("confirmation")).sendKeys(PASSWORD);
		this.browser.findElement(By.id("set-password")).click();
		this.wait.until(ExpectedConditions.urlContains("/login?welcome"));
		this.browser.findElement(By.id("email")).sendKeys(company.ownerEmail());
		this.browser.findElement(By.id("password")).sendKeys(PASSWORD);
		this.browser.findElement(By.id("sign-in")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("signed-in-as")));
		this.browser.findElement(By.linkText("Open the console")).click();
		this.wait.until(ExpectedConditions.urlContains("/console/people"));
	}

}
