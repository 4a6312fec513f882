package io.rollcall.support;

import java.time.Duration;

import io.rollcall.support.RollcallClient.TestCompany;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A browser test of the console: a fresh Chromium per test, and the company owner's way in (the invitation mail,
 * a password, the sign-in form, the console).
 */
public abstract class ConsoleBrowserTest extends IntegrationTest {

	protected static final String PASSWORD = "a long enough password";

	protected ChromeDriver browser;

	protected WebDriverWait wait;

	@BeforeEach
	void startBrowser() throws Exception {
		this.browser = Browser.start();
		this.wait = new WebDriverWait(this.browser, Duration.ofSeconds(30));
		this.wait.ignoring(StaleElementReferenceException.class);
	}

	@AfterEach
	void quitBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	/** The owner accepts the invitation, chooses a password, signs in and opens the console. */
	protected void signInAsOwner(TestCompany company) throws Exception {
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
