package io.rollcall.support;

import java.time.Duration;
import java.util.function.Function;

import io.rollcall.support.RollcallClient.TestCompany;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
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
		this.wait = new WebDriverWait(this.browser, Duration.ofSeconds(30)) {
			/**
			 * An element htmx replaces between the wait's look-up and its read is stale; Chromium 156 sometimes says so
			 * as an "unknown error" (the node "does not belong to the document") rather than a stale element, which
			 * failed a fresh-machine run (ScimBrowserTests, 2026-12-06). Both mean: look again.
			 */
			@Override
			public <V> V until(Function<? super WebDriver, ? extends V> condition) {
				return super.until(driver -> {
					try {
						return condition.apply(driver);
					}
					catch (WebDriverException ex) {
						if (ex instanceof StaleElementReferenceException || String.valueOf(ex.getMessage())
							.contains("does not belong to the document")) {
							return null;
						}
						throw ex;
					}
				});
			}
		};
	}

	@AfterEach
	void quitBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	/**
	 * Clicks a button that posts a form and waits for the page it leads to, then for {@code onNewPage} on it. Waiting for
	 * an element alone can be answered by the page being left, whose element is still there, and the next look-up then
	 * lands between the two pages (a fresh-machine run of ScimBrowserTests, 2026-12-08).
	 */
	protected void submitAndAwait(By button, By onNewPage) {
		WebElement leaving = this.browser.findElement(By.tagName("html"));
		this.browser.findElement(button).click();
		this.wait.until(ExpectedConditions.stalenessOf(leaving));
		this.wait.until(ExpectedConditions.presenceOfElementLocated(onNewPage));
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
