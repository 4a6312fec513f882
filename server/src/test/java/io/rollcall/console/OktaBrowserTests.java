package io.rollcall.console;

import io.rollcall.emulators.okta.GeneratedOrg;
import io.rollcall.emulators.okta.OktaEmulator;
import io.rollcall.emulators.okta.OktaOrg;
import io.rollcall.emulators.okta.OrgSpec;
import io.rollcall.support.ConsoleBrowserTest;
import io.rollcall.support.RollcallClient.TestCompany;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integrations → Okta in a real browser: the set-up form, the event-hook secret shown once and accepted by the
 * (emulated) Okta's verification, then Sync users until the people are in.
 */
class OktaBrowserTests extends ConsoleBrowserTest {

	private OktaEmulator okta;

	@BeforeEach
	void startOkta() {
		this.okta = OktaEmulator.start(OktaEmulator.Options.defaults());
	}

	@AfterEach
	void stopOkta() {
		// Null when the browser did not start: the base class's set-up runs first and this one never ran.
		if (this.okta != null) {
			this.okta.close();
		}
	}

	@Test
	void setupWhenSavedThenHookSecretShownOnceAndSyncBringsPeopleIn() throws Exception {
		TestCompany company = this.client.createCompany();
		OktaOrg org = this.okta.org();
		GeneratedOrg generated = org.generate(OrgSpec.people(15)
			.withSuspendedShare(0)
			.withPictureShare(0)
			.withDomain(company.slug() + ".example"));
		signInAsOwner(company);

		this.browser.findElement(By.linkText("Integrations")).click();
		this.browser.findElement(By.linkText("Okta")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("okta-setup")));
		assertThat(this.browser.findElement(By.id("okta-state")).getText()).contains("Not set up");
		this.browser.findElement(By.id("okta-org")).sendKeys(org.orgUrl());
		this.browser.findElement(By.id("okta-app")).sendKeys(org.appId());
		this.browser.findElement(By.id("okta-token")).sendKeys(org.apiToken());
		this.browser.findElement(By.id("okta-save")).click();
		this.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Saved"));
		assertThat(this.browser.getPageSource()).doesNotContain(org.apiToken());
		String secret = this.browser.findElement(By.id("okta-hook-secret")).getText();
		String url = this.browser.findElement(By.id("okta-hook-url")).getText();
		assertThat(secret).startsWith("okta_hook_");
		assertThat(org.registerEventHook(url, secret).verificationStatus()).isEqualTo("VERIFIED");

		this.browser.navigate().refresh();
		assertThat(this.browser.findElements(By.id("okta-hook-secret"))).as("shown once").isEmpty();

		this.browser.findElement(By.id("okta-sync")).click();

		this.wait.until(ExpectedConditions.urlMatches("/console/sync-runs/[0-9a-f-]{36}$"));
		this.wait.until(d -> "succeeded".equals(d.findElement(By.id("run-status")).getDomAttribute("data-status")));
		assertThat(this.browser.findElement(By.cssSelector("#run-counts dd[data-count=create]")).getText())
			.isEqualTo(String.valueOf(generated.assignedUserIds().size()));
		this.browser.findElement(By.linkText("Integrations")).click();
		assertThat(this.browser.findElement(By.cssSelector("#sources [data-source=okta]")).getText())
			.contains("Succeeded");
	}

}
