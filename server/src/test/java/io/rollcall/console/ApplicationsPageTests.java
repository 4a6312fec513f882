package io.rollcall.console;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.rollcall.support.CodeFlow;
import io.rollcall.support.ConsoleBrowserTest;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Applications pages in a real browser: an owner registers the company's own application (its secret shown once),
 * the application signs a person in and the sign-in shows on its page, the secret is rotated (the old one refused at
 * once), "Try it" shows the verified claims of the admin, the platform's application is read-only, and another
 * company's admin cannot open it.
 */
class ApplicationsPageTests extends ConsoleBrowserTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String LEARNER_PASSWORD = "correct horse battery";

	private static final String REDIRECT = "http://intranet.localhost/login/oauth2/code/rollcall";

	@Test
	void applicationsPageWhenOwnApplicationRegisteredThenSecretOnceSignInsRotationAndTryItWork() throws Exception {
		Response platform = this.client.operator("POST", "/api/v1/applications", Map.of("name", "Learning platform",
				"redirectUris", List.of("http://{slug}.learn.localhost/login/oauth2/code/rollcall")));
		assertThat(platform.status()).as(platform.body()).isEqualTo(201);
		TestCompany company = this.client.createCompany();
		signInAsOwner(company);

		this.browser.findElement(By.linkText("Applications")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("register-application")));
		WebElement listed = row(platform.json().path("id").asString());
		assertThat(listed.getText()).contains("Learning platform").contains("Platform");

		// Register: the secret is on the page that follows, once.
		this.browser.findElement(By.id("new-app-name")).sendKeys("Intranet");
		this.browser.findElement(By.id("new-app-redirect-uris")).sendKeys(REDIRECT);
		this.browser.findElement(By.id("new-app-post-logout-uris")).sendKeys("http://intranet.localhost/");
		this.browser.findElement(By.id("register-application-submit")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("new-secret-value")));
		String secret = this.browser.findElement(By.id("new-secret-value")).getText().strip();
		assertThat(secret).startsWith("rcs_");
		String clientId = this.browser.findElement(By.id("client-id")).getText();
		String page = this.browser.getCurrentUrl();
		assertThat(this.browser.findElement(By.id("redirect-uris")).getText()).contains(REDIRECT);
		this.browser.navigate().refresh();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("client-id")));
		assertThat(this.browser.findElements(By.id("new-secret-value"))).isEmpty();
		assertThat(this.browser.getPageSource()).doesNotContain(secret);

		// The application signs a learner in at this company; the sign-in shows on its page, not on another's.
		CodeFlow flow = new CodeFlow(this.port, company, clientId, REDIRECT);
		String email = CodeFlow.learnerWithPassword(this.client, MAIL, this.port, company, "Ada", "Lovelace",
				LEARNER_PASSWORD);
		String code = flow.signInAndAuthorize(email, LEARNER_PASSWORD);
		assertThat(flow.redeem(code, secret).statusCode()).isEqualTo(200);
		this.browser.navigate().refresh();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#recent-sign-ins .sign-in")));
		WebElement signIn = this.browser.findElement(By.cssSelector("#recent-sign-ins .sign-in"));
		assertThat(signIn.findElement(By.className("person")).getText()).isEqualTo("Ada Lovelace");
		assertThat(signIn.findElement(By.className("email")).getText()).isEqualTo(email);
		assertThat(signIn.findElement(By.className("how")).getText()).isEqualTo("Password");

		// Rotate: a new secret, once; the old one is refused at the token endpoint from now on.
		this.browser.findElement(By.id("rotate-secret")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("new-secret-value")));
		String rotated = this.browser.findElement(By.id("new-secret-value")).getText().strip();
		assertThat(rotated).startsWith("rcs_").isNotEqualTo(secret);
		assertThat(this.browser.findElement(By.id("flash")).getText()).contains("old one stopped working");
		String next = flow.authorizeSignedIn("openid email");
		HttpResponse<String> withOld = flow.redeem(next, secret);
		assertThat(withOld.statusCode()).as(withOld.body()).isEqualTo(401);
		assertThat(flow.redeem(next, rotated).statusCode()).isEqualTo(200);

		// Try it: a real sign-in as the admin, the ID token's claims shown once verified.
		this.browser.findElement(By.id("try-it")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("try-claims")));
		assertThat(this.browser.getCurrentUrl()).startsWith(page);
		assertThat(this.browser.findElement(By.id("try-result")).getAttribute("data-verified")).isEqualTo("true");
		Map<String, String> claims = claims();
		assertThat(claims).containsEntry("sub", company.ownerId().toString())
			.containsEntry("email", company.ownerEmail())
			.containsEntry("iss", "http://" + company.slug() + ".localhost:" + this.port)
			.containsKeys("aud", "nonce", "exp", "rollcall");
		JsonNode place = JSON.readTree(claims.get("rollcall"));
		assertThat(place.path("role").asString()).isEqualTo("owner");
		assertThat(place.path("company").path("slug").asString()).isEqualTo(company.slug());
		// The try's own client is not one of the applications.
		this.browser.findElement(By.linkText("Applications")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("applications")));
		// (Other tests' platform applications are listed too: the platform's serve every company.)
		assertThat(this.browser.findElements(By.cssSelector("#applications .application[data-platform='false']")))
			.singleElement()
			.satisfies(own -> assertThat(own.getText()).contains("Intranet").contains(clientId));
		assertThat(this.browser.findElement(By.id("applications")).getText()).doesNotContain(claims.get("aud"));

		// The platform's application: read-only here, no sign-in of this company yet.
		row(platform.json().path("id").asString()).findElement(By.className("name")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("platform-note")));
		assertThat(this.browser.findElements(By.id("rotate-secret"))).isEmpty();
		assertThat(this.browser.findElements(By.id("delete-application"))).isEmpty();
		assertThat(this.browser.findElement(By.id("recent-sign-ins")).getText()).doesNotContain(email)
			.contains("Nobody has signed in");

		// Another company's admin cannot open it.
		TestCompany other = this.client.createCompany();
		signInAsOwner(other);
		this.browser.get(page.replace(company.slug() + ".localhost", other.slug() + ".localhost"));
		assertThat(this.browser.getPageSource()).contains("was not found").doesNotContain(clientId);
		this.browser.findElement(By.linkText("Applications")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("applications")));
		assertThat(this.browser.findElement(By.id("applications")).getText()).doesNotContain("Intranet")
			.contains("Learning platform");

		// Back at the company: delete it; it no longer works.
		this.browser.get(page);
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("delete-application")));
		this.browser.findElement(By.id("delete-application")).click();
		this.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Deleted Intranet"));
		assertThat(this.browser.findElement(By.id("applications")).getText()).doesNotContain("Intranet");
		assertThat(flow.authorize("openid").status()).isEqualTo(400);
	}

	private WebElement row(String id) {
		return this.browser.findElement(By.cssSelector("#applications .application[data-application-id='" + id + "']"));
	}

	private Map<String, String> claims() {
		Map<String, String> claims = new LinkedHashMap<>();
		for (WebElement row : this.browser.findElements(By.cssSelector("#try-claims tr[data-claim]"))) {
			claims.put(row.getAttribute("data-claim"), row.findElement(By.className("value")).getText());
		}
		return claims;
	}

}
