package io.rollcall.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** What the webhook tests share: a fresh company, its endpoints through the API, and a clock put back after each. */
abstract class WebhookTesting extends IntegrationTest {

	@Autowired
	protected TestClock clock;

	@Autowired
	protected WebhookDispatcher dispatcher;

	@Autowired
	protected org.springframework.jdbc.core.simple.JdbcClient jdbc;

	protected TestCompany company;

	private final List<String> endpoints = new ArrayList<>();

	@BeforeEach
	void company() throws InterruptedException {
		this.company = this.client.createCompany();
		// The company's own first events are numbered before any endpoint is made, so no endpoint hears them.
		EventTestSupport.cursorAfterEverything(this.jdbc);
	}

	@AfterEach
	void cleanUp() {
		// Endpoints of finished tests would otherwise be retried against closed receivers whenever a test moves time.
		this.endpoints.forEach(id -> this.client.api(this.company, "DELETE", "/api/v1/webhook-endpoints/" + id));
		this.clock.reset();
	}

	/** An endpoint made through the API: its id and the secret shown once. */
	record Endpoint(String id, String secret) {
	}

	protected Endpoint endpoint(String url, String... types) {
		Response created = this.client.api(this.company, "POST", "/api/v1/webhook-endpoints",
				Map.of("url", url, "description", "test receiver", "eventTypes", List.of(types)));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		Endpoint endpoint = new Endpoint(created.json().path("endpoint").path("id").asString(),
				created.json().path("secret").asString());
		this.endpoints.add(endpoint.id());
		return endpoint;
	}

	protected JsonNode endpointState(Endpoint endpoint) {
		return this.client.api(this.company, "GET", "/api/v1/webhook-endpoints/" + endpoint.id()).json();
	}

	protected List<JsonNode> deliveries(Endpoint endpoint) {
		Response response = this.client.api(this.company, "GET",
				"/api/v1/webhook-endpoints/" + endpoint.id() + "/deliveries?limit=500");
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		List<JsonNode> items = new ArrayList<>();
		response.json().forEach(items::add);
		return items;
	}

	/** Adds a person through the API; returns their id. */
	protected String person(String email) {
		Response created = this.client.api(this.company, "POST", "/api/v1/people",
				Map.of("email", email, "firstName", email.substring(0, email.indexOf('@'))));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return created.json().path("id").asString();
	}

	protected void rename(String personId, String title) {
		Response updated = this.client.api(this.company, "PATCH", "/api/v1/people/" + personId, Map.of("title", title));
		assertThat(updated.status()).as(updated.body()).isEqualTo(200);
	}

	/** Moves the service's clock and has the dispatcher look for due retries at once. */
	protected void advance(Duration by) {
		this.clock.advance(by);
		this.dispatcher.wake();
	}

	protected static void await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + within.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Waited " + within.toSeconds() + " s for: " + what);
			}
			Thread.sleep(25);
		}
	}

	protected interface Check {

		boolean test() throws Exception;

	}

	protected static BooleanSupplier quietly(Check check) {
		return () -> {
			try {
				return check.test();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		};
	}

}
