package io.rollcall.console;

import java.time.Duration;

import io.rollcall.support.Browser;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.Mails;
import io.rollcall.support.RollcallClient.TestCompany;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole invitation flow in a real browser, on the company's own {@code slug.localhost} address. */
class InvitationBrowserTests extends IntegrationTest {

	private static final String PASSWORD = "a long enough password";

	private ChromeDriver browser;

	private WebDriverWait wait;

	@BeforeEach
	void browser() throws Exception {
		this.browser = Browser.start();
		this.wait = new WebDriverWait(this.browser, Duration.ofSeconds(10));
	}

	@AfterEach
	void close() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void inviteWhenAdminAddsPersonThenEmailLinkSetsPasswordAndPersonSignsIn() throws Exception {
		TestCompany company = this.client.createCompany();
		String base = "http://" + company.slug() + ".localhost:" + this.port;
		acceptInvitation(Mails.invitationLink(Mails.awaitTo(MAIL, company.ownerEmail())));
		signIn(company.ownerEmail());
		this.browser.findElement(By.linkText("Open the console")).click();
		this.wait.until(ExpectedConditions.urlContains("/console/people"));

		this.browser.findElement(By.id("new-email")).sendKeys("newbie@example.com");
		this.browser.findElement(By.id("new-first-name")).sendKeys("Nell");
		this.browser.findElement(By.id("new-last-name")).sendKeys("Newbie");
		this.browser.findElement(By.id("new-invite")).click();
		this.browser.findElement(By.id("add-person-submit")).click();
		this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("flash")));
		assertThat(this.browser.findElement(By.id("flash")).getText()).contains("newbie@example.com");
		var row = this.browser.findElement(By.cssSelector("tr[data-email='newbie@example.com']"));
		assertThat(row.getText()).contains("Nell");
		assertThat(row.findElements(By.cssSelector(".badge.invitation.invited"))).hasSize(1);

		String link = Mails.invitationLink(Mails.awaitTo(MAIL, "newbie@example.com"));
		assertThat(link).startsWith(base + "/invitations/");
		this.browser.manage().deleteAllCookies();
		acceptInvitation(link);
		signIn("newbie@example.com");

		assertThat(this.browser.findElement(By.id("signed-in-as")).getText()).contains("Nell Newbie");
		assertThat(this.browser.findElements(By.linkText("Open the console"))).isEmpty();
		screenshot("learner-home");
		this.browser.get(base + "/console/people");
		assertThat(this.browser.getPageSource()).doesNotContain("newbie@example.com</td>");
	}

	@Test
	void searchWhenTypingThenTableNarrowsWithoutReload() throws Exception {
		TestCompany company = this.client.createCompany();
		for (String name : new String[] { "Alma", "Bruno", "Carla" }) {
			this.client.api(company, "POST", "/api/v1/people",
					java.util.Map.of("email", name.toLowerCase() + "@example.com", "firstName", name));
		}
		acceptInvitation(Mails.invitationLink(Mails.awaitTo(MAIL, company.ownerEmail())));
		signIn(company.ownerEmail());
		this.browser.get("http://" + company.slug() + ".localhost:" + this.port + "/console/people");
		assertThat(this.browser.findElements(By.cssSelector("tr[data-email]"))).hasSize(4);
		Object marker = this.browser.executeScript("return window.rollcallMarker = 'same page';");

		this.browser.findElement(By.id("search")).sendKeys("brun");

		this.wait.until(d -> d.findElements(By.cssSelector("tr[data-email]")).size() == 1);
		assertThat(this.browser.findElement(By.cssSelector("tr[data-email]")).getAttribute("data-email"))
			.isEqualTo("bruno@example.com");
		assertThat(this.browser.executeScript("return window.rollcallMarker;")).isEqualTo(marker);
		screenshot("individuals-search");
		this.browser.findElement(By.cssSelector("a.person-link")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("person-name")));
		assertThat(this.browser.findElement(By.id("person-name")).getText()).contains("Bruno");
		screenshot("person");
	}

	/** Kept under target/screenshots for a person to look at; nothing is asserted on them. */
	private void screenshot(String name) throws java.io.IOException {
		java.nio.file.Path dir = java.nio.file.Path.of("target", "screenshots");
		java.nio.file.Files.createDirectories(dir);
		java.nio.file.Files.write(dir.resolve(name + ".png"),
				this.browser.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
	}

	private void acceptInvitation(String link) {
		this.browser.get(link);
		this.browser.findElement(By.id("password")).sendKeys(PASSWORD);
		this.browser.findElement(By.id("confirmation")).sendKeys(PASSWORD);
		this.browser.findElement(By.id("set-password")).click();
		this.wait.until(ExpectedConditions.urlContains("/login?welcome"));
	}

	private void signIn(String email) {
		WebDriver page = this.browser;
		page.findElement(By.id("email")).sendKeys(email);
		page.findElement(By.id("password")).sendKeys(PASSWORD);
		page.findElement(By.id("sign-in")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("signed-in-as")));
	}

}
