package io.rollcall.console;

import java.util.Map;

import io.rollcall.support.ConsoleBrowserTest;
import io.rollcall.support.RollcallClient.TestCompany;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The person page's profile fields that a source may not send: time zone, full name, secondary e-mail. */
class PersonProfileBrowserTests extends ConsoleBrowserTest {

	@Test
	void editWhenAdminChoosesTimeZoneFullNameAndSecondaryEmailThenShownAndStoredAndDefaultFollowsCompany()
			throws Exception {
		TestCompany company = this.client.createCompany();
		this.client.api(company, "PATCH", "/api/v1/company", Map.of("defaultTimezone", "Europe/Lisbon"));
		String id = this.client.api(company, "POST", "/api/v1/people",
				Map.of("email", "ines@example.com", "firstName", "Inês", "lastName", "Sousa"))
			.json()
			.path("id")
			.asString();
		signInAsOwner(company);

		this.browser.get("http://" + company.slug() + ".localhost:" + this.port + "/console/people/" + id);
		assertThat(field("timeZone")).isEqualTo("Europe/Lisbon (company default)");
		Select zone = new Select(this.browser.findElement(By.id("timeZone")));
		assertThat(zone.getFirstSelectedOption().getText()).isEqualTo("Company default (Europe/Lisbon)");
		zone.selectByValue("America/Sao_Paulo");
		this.browser.findElement(By.id("fullName")).sendKeys("Inês de Sousa");
		this.browser.findElement(By.id("secondaryEmail")).sendKeys("ines.home@example.org");
		this.browser.findElement(By.id("save-person")).click();
		this.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Saved"));

		assertThat(this.browser.findElement(By.id("person-name")).getText()).isEqualTo("Inês de Sousa");
		assertThat(field("timeZone")).isEqualTo("America/Sao_Paulo");
		assertThat(field("secondaryEmail")).isEqualTo("ines.home@example.org");
		assertThat(
				new Select(this.browser.findElement(By.id("timeZone"))).getFirstSelectedOption().getAttribute("value"))
			.isEqualTo("America/Sao_Paulo");
		JsonNode stored = this.client.api(company, "GET", "/api/v1/people/" + id).json();
		assertThat(stored.path("timeZone").asString()).isEqualTo("America/Sao_Paulo");
		assertThat(stored.path("fullName").asString()).isEqualTo("Inês de Sousa");

		// Back to the company's default: the person follows it again, not a copy of today's value.
		new Select(this.browser.findElement(By.id("timeZone"))).selectByValue("");
		this.browser.findElement(By.id("save-person")).click();
		this.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeZone-shown"), "company default"));
		assertThat(this.client.api(company, "GET", "/api/v1/people/" + id).json().path("timeZone").isNull()).isTrue();
	}

	@Test
	void homeWhenSignedInPersonChoosesTheirTimeZoneThenItIsTheirsAndEmptyFollowsCompanyAgain() throws Exception {
		TestCompany company = this.client.createCompany();
		signInAsOwner(company);
		String home = "http://" + company.slug() + ".localhost:" + this.port + "/";

		this.browser.get(home);
		assertThat(new Select(this.browser.findElement(By.id("time-zone"))).getFirstSelectedOption().getText())
			.isEqualTo("Company default (UTC)");
		new Select(this.browser.findElement(By.id("time-zone"))).selectByValue("Pacific/Auckland");
		this.browser.findElement(By.id("save-time-zone")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("time-zone-saved")));

		JsonNode owner = this.client.api(company, "GET", "/api/v1/people/" + company.ownerId()).json();
		assertThat(owner.path("timeZone").asString()).isEqualTo("Pacific/Auckland");
		assertThat(
				new Select(this.browser.findElement(By.id("time-zone"))).getFirstSelectedOption().getAttribute("value"))
			.isEqualTo("Pacific/Auckland");
		JsonNode audit = this.client.api(company, "GET", "/api/v1/audit?subject=" + company.ownerId())
			.json()
			.path("items")
			.get(0);
		assertThat(audit.path("actor").path("type").asString()).isEqualTo("person");
		assertThat(audit.path("changes").path("timeZone").path("to").asString()).isEqualTo("Pacific/Auckland");
	}

	private String field(String name) {
		return this.browser.findElement(By.cssSelector("#profile dd[data-field='" + name + "']")).getText();
	}

}
