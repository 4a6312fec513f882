package io.rollcall.console;

import io.rollcall.support.ConsoleBrowserTest;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SCIM page in a real browser: turn SCIM on, create a token (shown once) that then works, see a failed push
 * with its reason in the request log, revoke the token.
 */
class ScimBrowserTests extends ConsoleBrowserTest {

	@Test
	void scimPageWhenTurnedOnAndTokenCreatedThenProviderGetsInAndFailuresShow() throws Exception {
		TestCompany company = this.client.createCompany();
		signInAsOwner(company);
		this.browser.findElement(By.linkText("SCIM")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("scim-settings")));
		assertThat(this.browser.findElement(By.id("tenant-url")).getText())
			.isEqualTo("http://" + company.slug() + ".localhost:" + this.port + "/scim/v2");

		this.browser.findElement(By.id("scim-enabled")).click();
		submitAndAwait(By.id("scim-save"), By.id("scim-settings"));
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

}
