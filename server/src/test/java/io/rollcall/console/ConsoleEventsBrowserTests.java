package io.rollcall.console;

import java.util.List;
import java.util.Map;

import io.rollcall.events.EventTestSupport;
import io.rollcall.support.ConsoleBrowserTest;
import io.rollcall.support.RollcallClient.TestCompany;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.rollcall.events.EventTestSupport.assertActor;
import static io.rollcall.events.EventTestSupport.change;
import static io.rollcall.events.EventTestSupport.types;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console as a writer, in a real browser: an admin's edit and deactivation on the person page are events by the
 * signed-in admin. (EventWritersTests posts the console's forms over HTTP for adding a person.)
 */
class ConsoleEventsBrowserTests extends ConsoleBrowserTest {

	@Autowired
	private JdbcClient jdbc;

	@Test
	void personPageWhenAdminEditsAndDeactivatesThenUpdatedAndDeactivatedByThatAdmin() throws Exception {
		TestCompany company = this.client.createCompany();
		String id = this.client.api(company, "POST", "/api/v1/people",
				Map.of("email", "lia@example.com", "firstName", "Lia"))
			.json()
			.path("id")
			.asString();
		signInAsOwner(company);
		String start = EventTestSupport.cursorAfterEverything(this.jdbc);

		this.browser.get("http://" + company.slug() + ".localhost:" + this.port + "/console/people/" + id);
		this.browser.findElement(By.id("jobTitle")).sendKeys("Midwife");
		this.browser.findElement(By.id("save-person")).click();
		this.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Saved"));
		this.browser.findElement(By.cssSelector("button.deactivate")).click();
		this.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "deactivated"));

		List<JsonNode> events = EventTestSupport.eventsAfter(this.client, this.jdbc, company, start);
		assertThat(types(events)).containsExactly("person.updated", "person.deactivated");
		events.forEach(e -> {
			assertThat(e.path("subjectId").asString()).isEqualTo(id);
			assertActor(e, "person", company.ownerEmail());
			assertThat(e.path("runId").isNull()).isTrue();
		});
		assertThat(events.get(0).path("changes").propertyNames()).containsExactly("jobTitle");
		assertThat(change(events.get(0), "jobTitle")).containsExactly(null, "Midwife");
		assertThat(events.get(0).path("subject").path("jobTitle").asString()).isEqualTo("Midwife");
		assertThat(change(events.get(1), "status")).containsExactly("active", "deactivated");
		EventTestSupport.assertSubjectIsAsApiShows(this.client, company, events.get(1), "/api/v1/people/");
	}

}
