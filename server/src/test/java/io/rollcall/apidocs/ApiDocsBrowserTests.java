package io.rollcall.apidocs;

import java.util.List;

import io.rollcall.support.ConsoleBrowserTest;
import io.rollcall.support.RollcallClient.TestCompany;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import static org.assertj.core.api.Assertions.assertThat;

/** The documentation page as a new user meets it: it opens without a key, and "Try it out" works with one. */
class ApiDocsBrowserTests extends ConsoleBrowserTest {

	@Test
	void docsWhenOpenedWithoutKeyThenOperationsListed() {
		this.browser.get("http://localhost:" + this.port + "/api/docs");

		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("operations-People-listPeople")));
		assertThat(this.browser.findElement(By.cssSelector(".swagger-ui .info .title")).getText())
			.contains("Rollcall API");
		List<String> paths = this.browser.findElements(By.cssSelector(".opblock-summary-path"))
			.stream()
			.map(WebElement::getText)
			.toList();
		assertThat(paths).contains("/api/v1/people", "/api/v1/companies", "/scim/v2/Users", "/hooks/okta");
		// The console's look: its stylesheet and top bar around Swagger UI.
		assertThat(this.browser.findElement(By.cssSelector("header.topbar .brand")).getText()).isEqualTo("Rollcall");
	}

	@Test
	void docsWhenOpenedFromConsoleAndAuthorisedWithApiKeyThenTryItOutListsPeople() throws Exception {
		TestCompany company = this.client.createCompany();
		signInAsOwner(company);

		this.browser.findElement(By.id("api-docs-link")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("operations-People-listPeople")));
		assertThat(this.browser.getCurrentUrl())
			.startsWith("http://" + company.slug() + ".localhost:" + this.port + "/api/docs");

		this.browser.findElement(By.cssSelector(".scheme-container .btn.authorize")).click();
		// The first scheme is the company API key (schemes are listed by name: apiKey first).
		WebElement scheme = this.wait
			.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".modal-ux .auth-container")));
		assertThat(scheme.getText()).contains("apiKey");
		scheme.findElement(By.cssSelector("input")).sendKeys(company.apiKey());
		scheme.findElement(By.cssSelector("button.authorize")).click();
		this.browser.findElement(By.cssSelector(".modal-ux .btn-done")).click();

		WebElement operation = this.browser.findElement(By.id("operations-People-listPeople"));
		operation.findElement(By.cssSelector(".opblock-summary")).click();
		this.wait.until(ExpectedConditions.elementToBeClickable(operation.findElement(By.cssSelector(".try-out__btn"))))
			.click();
		this.wait.until(ExpectedConditions.elementToBeClickable(operation.findElement(By.cssSelector(".execute"))))
			.click();

		WebElement status = this.wait.until(ExpectedConditions.presenceOfNestedElementLocatedBy(operation,
				By.cssSelector(".live-responses-table .response .response-col_status")));
		assertThat(status.getText()).startsWith("200");
		WebElement body = operation
			.findElement(By.cssSelector(".live-responses-table .response .response-col_description"));
		this.wait.until(ExpectedConditions.textToBePresentInElement(body, company.ownerEmail()));
	}

}
