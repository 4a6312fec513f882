package io.rollcall.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.rollcall.support.ConsoleBrowserTest;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.Syncs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CSV import in a real browser: upload a file, read the preview, apply it while the progress bar fills, find
 * both runs in the history; a broken file; a run the safety hold stops, discarded and then approved.
 */
class CsvImportBrowserTests extends ConsoleBrowserTest {

	private static final int PEOPLE = 300;

	private final List<Path> files = new ArrayList<>();

	@AfterEach
	void deleteFiles() throws IOException {
		for (Path file : this.files) {
			Files.deleteIfExists(file);
		}
	}

	@Test
	void importWhenPreviewedThenAppliedThenPeopleExistAndBothRunsAreInHistory() throws Exception {
		TestCompany company = this.client.createCompany();
		signInAsOwner(company);

		this.browser.findElement(By.linkText("Integrations")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("run-history")));
		assertThat(this.browser.findElement(By.cssSelector("#sources [data-source=scim]")).getText())
			.contains("Coming");
		this.browser.findElement(By.linkText("CSV import")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("csv-upload")));

		this.browser.findElement(By.id("csv-file")).sendKeys(csvFile(people(PEOPLE)).toString());
		this.browser.findElement(By.id("csv-preview")).click();
		this.wait.until(ExpectedConditions.urlMatches("/console/sync-runs/[0-9a-f-]{36}$"));
		String previewUrl = this.browser.getCurrentUrl();
		awaitStatus("previewed");

		assertThat(count("create")).isEqualTo(PEOPLE);
		assertThat(count("team")).isEqualTo(5);
		assertThat(count("error")).isZero();
		this.wait.until(d -> !d.findElements(By.cssSelector("#plan tr.plan-item[data-kind=create]")).isEmpty());
		assertThat(this.browser.findElements(By.cssSelector("#plan tr.plan-item")).size()).isEqualTo(200);
		assertThat(this.browser.findElement(By.cssSelector("#plan tr.plan-item[data-kind=create]")).getText())
			.contains("@csv.example");
		assertThat(this.browser.findElement(By.cssSelector("tr.column[data-column='first name']")).getText())
			.contains("firstName");
		assertThat(this.browser.findElement(By.cssSelector("tr.column[data-column='manager email']")).getText())
			.contains("manager");
		assertThat(this.browser.findElements(By.id("progress-bar"))).isEmpty();
		screenshot("csv-preview");

		this.browser.findElement(By.id("apply-plan")).click();
		this.wait
			.until(d -> !d.getCurrentUrl().equals(previewUrl) && d.getCurrentUrl().contains("/console/sync-runs/"));
		String appliedUrl = this.browser.getCurrentUrl();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("progress-bar")));
		awaitStatus("succeeded");
		this.wait.until(d -> {
			WebElement bar = d.findElement(By.id("progress-bar"));
			return bar.getDomAttribute("max") != null
					&& bar.getDomAttribute("max").equals(bar.getDomAttribute("value"));
		});
		String total = this.browser.findElement(By.id("progress-bar")).getDomAttribute("max");
		assertThat(Integer.parseInt(total)).isGreaterThanOrEqualTo(PEOPLE);
		assertThat(this.browser.findElement(By.id("progress-text")).getText())
			.isEqualTo(total + " / " + total + " applied");
		assertThat(count("create")).isEqualTo(PEOPLE);
		this.wait
			.until(d -> !d.findElements(By.cssSelector("#plan tr.plan-item[data-kind=create] td.applied")).isEmpty());
		assertThat(
				this.browser.findElement(By.cssSelector("#plan tr.plan-item[data-kind=create] td.applied")).getText())
			.isEqualTo("Yes");
		screenshot("csv-applied");

		this.browser.findElement(By.linkText("Integrations")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("run-history")));
		List<WebElement> runs = this.browser.findElements(By.cssSelector("#run-history tr.run[data-run-id]"));
		assertThat(runs).hasSize(2);
		assertThat(runs.get(0).getDomAttribute("data-run-id")).isEqualTo(runId(appliedUrl));
		assertThat(runs.get(0).getDomAttribute("data-status")).isEqualTo("succeeded");
		assertThat(runs.get(1).getDomAttribute("data-run-id")).isEqualTo(runId(previewUrl));
		assertThat(runs.get(1).getDomAttribute("data-status")).isEqualTo("previewed");
		assertThat(runs.get(1).getText()).contains("300 new people");
		assertThat(this.browser.findElement(By.cssSelector("#sources [data-source=csv]")).getText())
			.contains("Succeeded");
		screenshot("integrations");

		assertThat(countPeople(company, "active")).isEqualTo(PEOPLE + 1);
		JsonNode member = this.client.api(company, "GET", "/api/v1/people?q=person042@csv.example")
			.json()
			.path("items");
		assertThat(member).hasSize(1);
		assertThat(member.get(0).path("firstName").asString()).isEqualTo("First42");
		assertThat(member.get(0).path("primaryTeamId").isNull()).isFalse();
		String lead = this.client.api(company, "GET", "/api/v1/people?q=person002@csv.example")
			.json()
			.path("items")
			.get(0)
			.path("id")
			.asString();
		assertThat(member.get(0).path("managerId").asString()).isEqualTo(lead);
	}

	@Test
	void uploadWhenFileHasUnterminatedQuoteThenFlashNamesTheLine() throws Exception {
		TestCompany company = this.client.createCompany();
		signInAsOwner(company);
		this.browser.get(base(company) + "/console/integrations/csv");

		String broken = "email,first name,last name\nada@csv.example,Ada,Lovelace\n\"bob@csv.example,Bob,Builder\n";
		this.browser.findElement(By.id("csv-file")).sendKeys(csvFile(broken).toString());
		this.browser.findElement(By.id("csv-preview")).click();

		this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".flash.bad")));
		assertThat(this.browser.getCurrentUrl()).endsWith("/console/integrations/csv");
		assertThat(this.browser.findElement(By.cssSelector(".flash.bad")).getText()).contains("line 3")
			.contains("never closed");
		assertThat(this.browser.findElements(By.cssSelector("#csv-history tr.run"))).isEmpty();
		screenshot("csv-broken");
	}

	@Test
	void applyWhenRunWouldDeactivateTooManyThenHeldUntilDiscardedOrApproved() throws Exception {
		TestCompany company = this.client.createCompany();
		JsonNode first = new Syncs(this.client, this.port).importCsv(company, people(PEOPLE));
		assertThat(first.path("status").asString()).isEqualTo("succeeded");
		signInAsOwner(company);
		String few = people(20);

		String held = previewAndApply(company, few);
		assertThat(this.browser.findElement(By.id("hold-reason")).getText()).contains("280");
		assertThat(count("deactivate")).isEqualTo(PEOPLE - 20);
		screenshot("csv-held");
		this.browser.findElement(By.id("discard-run")).click();
		awaitStatus("discarded");
		assertThat(this.browser.getCurrentUrl()).endsWith(held);
		assertThat(this.browser.findElement(By.id("flash")).getText()).contains("Discarded");
		assertThat(countPeople(company, "deactivated")).isZero();

		previewAndApply(company, few);
		this.browser.findElement(By.id("approve-run")).click();
		awaitStatus("succeeded");
		assertThat(countPeople(company, "deactivated")).isEqualTo(PEOPLE - 20);
		assertThat(countPeople(company, "active")).isEqualTo(21);
	}

	/** Previews the file with "deactivate missing" ticked, applies it, and waits for the hold; the run's path. */
	private String previewAndApply(TestCompany company, String csv) throws IOException {
		this.browser.get(base(company) + "/console/integrations/csv");
		this.browser.findElement(By.id("csv-file")).sendKeys(csvFile(csv).toString());
		WebElement deactivate = this.browser.findElement(By.id("csv-deactivate-missing"));
		if (!deactivate.isSelected()) {
			deactivate.click();
		}
		this.browser.findElement(By.id("csv-preview")).click();
		awaitStatus("previewed");
		String preview = this.browser.getCurrentUrl();
		this.browser.findElement(By.id("apply-plan")).click();
		this.wait.until(d -> !d.getCurrentUrl().equals(preview));
		awaitStatus("held");
		return "/console/sync-runs/" + runId(this.browser.getCurrentUrl());
	}

	private void awaitStatus(String status) {
		this.wait.until(d -> status.equals(d.findElement(By.id("run-status")).getDomAttribute("data-status")));
	}

	private int count(String kind) {
		return Integer
			.parseInt(this.browser.findElement(By.cssSelector("#run-counts dd[data-count=" + kind + "]")).getText());
	}

	private int countPeople(TestCompany company, String status) {
		int count = 0;
		String cursor = null;
		do {
			JsonNode page = this.client
				.api(company, "GET",
						"/api/v1/people?limit=200&status=" + status + (cursor == null ? "" : "&cursor=" + cursor))
				.json();
			count += page.path("items").size();
			cursor = page.path("nextCursor").isNull() || page.path("nextCursor").isMissingNode() ? null
					: page.path("nextCursor").asString();
		}
		while (cursor != null);
		return count;
	}

	/**
	 * Five teams of sixty, led by person001 to person005; each lead reports to person001 (who reports to nobody)
	 * and everyone else to their team's lead.
	 */
	private static String people(int count) {
		StringBuilder csv = new StringBuilder("email,first name,last name,team,manager email\n");
		for (int i = 1; i <= count; i++) {
			int team = (i - 1) % 5 + 1;
			String manager = i == 1 ? "" : (i <= 5 ? person(1) : person(team));
			csv.append(person(i))
				.append(",First")
				.append(i)
				.append(",Last")
				.append(i)
				.append(",Team ")
				.append(team)
				.append(',')
				.append(manager)
				.append('\n');
		}
		return csv.toString();
	}

	private static String person(int i) {
		return String.format("person%03d@csv.example", i);
	}

	private Path csvFile(String content) throws IOException {
		Path file = Files.createTempFile("rollcall-people-", ".csv");
		Files.writeString(file, content, StandardCharsets.UTF_8);
		this.files.add(file);
		return file.toAbsolutePath();
	}

	private String base(TestCompany company) {
		return "http://" + company.slug() + ".localhost:" + this.port;
	}

	private static String runId(String url) {
		return url.substring(url.lastIndexOf('/') + 1);
	}

	/** The page, up to 1600 pixels of it, kept under target/screenshots for a person to look at; not asserted on. */
	private void screenshot(String name) throws IOException {
		Path dir = Path.of("target", "screenshots");
		Files.createDirectories(dir);
		Dimension window = this.browser.manage().window().getSize();
		long height = (Long) this.browser.executeScript("return document.documentElement.scrollHeight;");
		this.browser.manage().window().setSize(new Dimension(window.getWidth(), (int) Math.min(height + 150, 1600)));
		try {
			Files.write(dir.resolve(name + ".png"), this.browser.getScreenshotAs(OutputType.BYTES));
		}
		finally {
			this.browser.manage().window().setSize(window);
		}
	}

}
