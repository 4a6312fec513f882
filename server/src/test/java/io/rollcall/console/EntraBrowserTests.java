package io.rollcall.console;

import io.rollcall.emulators.entra.DirectorySpec;
import io.rollcall.emulators.entra.EntraEmulator;
import io.rollcall.emulators.entra.EntraTenant;
import io.rollcall.emulators.entra.GeneratedDirectory;
import io.rollcall.support.ConsoleBrowserTest;
import io.rollcall.support.RollcallClient.TestCompany;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integrations → Entra ID in a real browser: the set-up form, Authorise through the (emulated) admin-consent page
 * and back, then Sync users until the people are in.
 */
class EntraBrowserTests extends ConsoleBrowserTest {

	private static final EntraEmulator ENTRA = EntraEmulator.start(EntraEmulator.Options.defaults());

	@AfterAll
	static void stop() {
		ENTRA.close();
	}

	@Test
	void setupWhenSavedAuthorisedAndSyncedThenPeopleArriveAndSubscriptionsShowAndAnOutageIsShownUntilItEnds()
			throws Exception {
		TestCompany company = this.client.createCompany();
		EntraTenant tenant = ENTRA.createTenant(company.slug() + ".example");
		GeneratedDirectory directory = tenant.generate(DirectorySpec.people(25)
			.withDisabledShare(0)
			.withOutsiders(0)
			.withDepartments(2)
			.withNesting(1, 2)
			.withDomain(company.slug() + ".example"));
		signInAsOwner(company);

		this.browser.findElement(By.linkText("Integrations")).click();
		this.browser.findElement(By.linkText("Entra ID")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("entra-setup")));
		assertThat(this.browser.findElement(By.id("entra-state")).getText()).contains("Not set up");
		this.browser.findElement(By.id("entra-tenant")).sendKeys(tenant.tenantId());
		this.browser.findElement(By.id("entra-group")).sendKeys(directory.topGroupId());
		this.browser.findElement(By.id("entra-client")).sendKeys(tenant.clientId());
		this.browser.findElement(By.id("entra-secret")).sendKeys(tenant.clientSecret());
		new Select(this.browser.findElement(By.id("entra-cloud"))).selectByValue("custom");
		this.browser.findElement(By.id("entra-authority")).sendKeys(ENTRA.authority());
		this.browser.findElement(By.id("entra-graph")).sendKeys(ENTRA.graphUrl());
		this.browser.findElement(By.id("entra-save")).click();
		this.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "press Authorise"));
		assertThat(this.browser.findElement(By.id("entra-secret")).getAttribute("value")).isEmpty();
		assertThat(this.browser.getPageSource()).doesNotContain(tenant.clientSecret())
			.doesNotContain(tenant.tenantId());
		assertThat(this.browser.findElement(By.id("entra-tenant")).getAttribute("value"))
			.as("the tenant ID is shown masked once saved")
			.isEqualTo("••••••••-…-" + tenant.tenantId().substring(tenant.tenantId().length() - 4));

		this.browser.findElement(By.id("entra-authorise")).click();

		this.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "authorised"));
		assertThat(this.browser.getCurrentUrl()).endsWith("/console/integrations/entra");
		assertThat(this.browser.findElement(By.id("entra-state")).getText()).contains("Authorised");
		// Users, and the members of the chosen group and of each group nested under it.
		assertThat(this.browser.findElements(By.cssSelector("#entra-subscriptions tbody tr")))
			.hasSize(1 + directory.groupIds().size());
		assertThat(tenant.subscriptions()).hasSize(1 + directory.groupIds().size());
		// Saved again as shown, without retyping the tenant ID: the stored one is kept, and so is the consent.
		this.browser.findElement(By.id("entra-save")).click();
		this.wait
			.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Saved the Entra ID settings."));
		assertThat(this.browser.findElement(By.id("entra-state")).getText()).contains("Authorised");

		this.browser.findElement(By.id("entra-sync")).click();

		this.wait.until(ExpectedConditions.urlMatches("/console/sync-runs/[0-9a-f-]{36}$"));
		this.wait.until(d -> "succeeded".equals(d.findElement(By.id("run-status")).getDomAttribute("data-status")));
		assertThat(this.browser.findElement(By.cssSelector("#run-counts dd[data-count=create]")).getText())
			.isEqualTo(String.valueOf(directory.memberUserIds().size()));
		this.browser.findElement(By.linkText("Integrations")).click();
		assertThat(this.browser.findElement(By.cssSelector("#sources [data-source=entra]")).getText())
			.contains("Succeeded");

		// Graph fails for longer than the client's retries: the run waits to retry, and the page says so until it is back.
		ENTRA.faults().serverErrorShare(1.0);
		this.browser.findElement(By.linkText("Entra ID")).click();
		this.browser.findElement(By.id("entra-sync")).click();
		this.wait.until(ExpectedConditions.urlMatches("/console/sync-runs/[0-9a-f-]{36}$"));
		this.wait.until(d -> "retrying".equals(d.findElement(By.id("run-status")).getDomAttribute("data-status")));
		// The status and the progress line are refreshed as two parts of the page: wait for the line too.
		this.wait.until(
				ExpectedConditions.textToBePresentInElementLocated(By.id("progress-text"), "tries again on its own"));
		this.browser.findElement(By.linkText("Integrations")).click();
		this.browser.findElement(By.linkText("Entra ID")).click();
		String problem = this.browser.findElement(By.id("sync-problem")).getText();
		assertThat(problem).contains("Changes from Entra ID are not getting through since")
			.contains("Graph")
			.contains("tries again on its own");
		assertThat(this.browser.findElement(By.id("active-run")).getText()).contains("failed and is being tried again");

		ENTRA.faults().reset();

		this.wait.withTimeout(java.time.Duration.ofSeconds(60)).until(d -> {
			d.navigate().refresh();
			return d.findElements(By.id("sync-problem")).isEmpty();
		});
		assertThat(this.browser.findElements(By.id("active-run"))).isEmpty();
	}

}
