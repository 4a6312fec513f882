package io.rollcall.console;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.rollcall.support.ConsoleBrowserTest;
import io.rollcall.support.RollcallClient.TestCompany;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Webhooks pages in a real browser: add an endpoint (secret shown once), send a test event and see it delivered,
 * send it again, rotate the secret, disable and delete the endpoint.
 */
class WebhooksBrowserTests extends ConsoleBrowserTest {

	@Test
	void webhooksPageWhenEndpointAddedAndTestedThenDeliveriesShowAndCanBeSentAgain() throws Exception {
		List<String> ids = new CopyOnWriteArrayList<>();
		HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		receiver.createContext("/hook", exchange -> {
			exchange.getRequestBody().readAllBytes();
			ids.add(exchange.getRequestHeaders().getFirst("webhook-id"));
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
		receiver.start();
		try {
			String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
			TestCompany company = this.client.createCompany();
			signInAsOwner(company);
			this.browser.findElement(By.linkText("Webhooks")).click();
			this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("create-endpoint")));

			this.browser.findElement(By.id("new-endpoint-url")).sendKeys(url);
			this.browser.findElement(By.id("create-endpoint-submit")).click();
			this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("new-secret-value")));
			String secret = this.browser.findElement(By.id("new-secret-value")).getText();
			assertThat(secret).startsWith("whsec_");
			assertThat(this.browser.findElement(By.id("webhook-endpoints")).getText()).contains(url).contains("All");

			this.browser.findElement(By.cssSelector("#webhook-endpoints .send-test")).click();
			this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("webhook-deliveries")));
			assertThat(this.browser.findElement(By.id("flash")).getText()).contains("delivered").contains("204");
			assertThat(this.browser.findElements(By.id("new-secret-value"))).isEmpty(); // shown once
			String table = this.browser.findElement(By.id("webhook-deliveries")).getText();
			assertThat(table).contains("webhook.test").contains("delivered").contains("HTTP 204");
			assertThat(ids).hasSize(1);

			this.browser.findElement(By.cssSelector("#webhook-deliveries .replay")).click();
			this.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "sent again"));
			long deadline = System.nanoTime() + 10_000_000_000L;
			while (ids.size() < 2 && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			assertThat(ids).hasSize(2).containsOnly(ids.getFirst());
			Thread.sleep(300);
			this.browser.navigate().refresh();
			this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("webhook-deliveries")));
			assertThat(this.browser.findElements(By.cssSelector("#webhook-deliveries .webhook-delivery"))).hasSize(2);

			this.browser.findElement(By.linkText("Webhooks")).click();
			this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("webhook-endpoints")));
			this.browser.findElement(By.cssSelector("#webhook-endpoints .rotate")).click();
			this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("new-secret-value")));
			assertThat(this.browser.findElement(By.id("new-secret-value")).getText()).startsWith("whsec_")
				.isNotEqualTo(secret);
			assertThat(this.browser.findElement(By.id("webhook-endpoints")).getText())
				.contains("Old secret valid until");

			this.browser.findElement(By.cssSelector("#webhook-endpoints .toggle")).click();
			this.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("webhook-endpoints"), "Disabled"));
			this.browser.findElement(By.cssSelector("#webhook-endpoints .delete")).click();
			this.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("webhook-endpoints"),
					"No endpoints yet."));
		}
		finally {
			receiver.stop(0);
		}
	}

}
