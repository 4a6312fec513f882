package io.rollcall.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.rollcall.company.Company;
import io.rollcall.platform.Actor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The company's webhook endpoints and their deliveries, as the console's Webhooks page shows them. */
@Tag(name = "Webhooks")
@RestController
@RequestMapping("/api/v1/webhook-endpoints")
class WebhooksApi {

	private final WebhookEndpoints endpoints;

	WebhooksApi(WebhookEndpoints endpoints) {
		this.endpoints = endpoints;
	}

	/**
	 * @param url where deliveries are POSTed: https, at a public address (http and private addresses only where the
	 * operator allows them)
	 * @param eventTypes exact types ({@code person.created}) or every type of a subject ({@code person.*}); empty or
	 * absent means every type
	 * @param enabled false stops deliveries; true resumes them from where they stopped
	 */
	record WebhookEndpointRequest(String url, String description, List<String> eventTypes, Boolean enabled) {
	}

	/** @param count how many events are sent again */
	record WebhookReplayCount(int count) {
	}

	/** @param windowHours how long the old secret keeps signing too (default 24) */
	record WebhookSecretRotation(Integer windowHours) {
	}

	/** The events that happened from {@code from} (included) to {@code to} (excluded). */
	record WebhookTimeRange(Instant from, Instant to) {
	}

	@GetMapping
	@Operation(operationId = "listWebhookEndpoints", summary = "List webhook endpoints",
			description = "Never their secrets.")
	List<WebhookEndpoint> list(Company company) {
		return this.endpoints.list(company.id());
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(operationId = "createWebhookEndpoint", summary = "Register a webhook endpoint",
			description = "The endpoint hears every event committed from now on that it wants. The answer's secret "
					+ "(whsec_...) is shown this once: give it to the receiver's Standard Webhooks library. A URL at a private, "
					+ "loopback, link-local or multicast address, or one that does not resolve, is refused with 400.")
	NewWebhookSecret create(Company company, @RequestBody WebhookEndpointRequest body, Actor actor) {
		NewWebhookSecret created = this.endpoints.create(company.id(), body.url(), body.description(),
				body.eventTypes(),
				actor);
		if (Boolean.FALSE.equals(body.enabled())) {
			return new NewWebhookSecret(
					this.endpoints.update(company.id(), created.endpoint().id(), null, null, null, false,
							actor),
					created.secret());
		}
		return created;
	}

	@GetMapping("/{id}")
	@Operation(operationId = "getWebhookEndpoint", summary = "Read a webhook endpoint",
			description = "With why it is disabled, when it is, and since when it has been failing.")
	WebhookEndpoint get(Company company, @PathVariable UUID id) {
		return this.endpoints.get(company.id(), id);
	}

	@PatchMapping("/{id}")
	@Operation(operationId = "updateWebhookEndpoint", summary = "Change a webhook endpoint",
			description = "Only the fields given change. enabled=false stops deliveries; enabled=true resumes them from "
					+ "where they stopped, so the receiver gets what happened meanwhile.")
	WebhookEndpoint update(Company company, @PathVariable UUID id, @RequestBody WebhookEndpointRequest body,
			Actor actor) {
		return this.endpoints.update(company.id(), id, body.url(), body.description(), body.eventTypes(),
				body.enabled(),
				actor);
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(operationId = "deleteWebhookEndpoint", summary = "Delete a webhook endpoint",
			description = "Deliveries stop at once and its delivery history is deleted.")
	void delete(Company company, @PathVariable UUID id, Actor actor) {
		this.endpoints.delete(company.id(), id, actor);
	}

	@PostMapping("/{id}/secret-rotation")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(operationId = "rotateWebhookSecret", summary = "Rotate a webhook endpoint's secret",
			description = "A new secret, shown this once. For windowHours (default 24) each delivery carries two "
					+ "signatures, by the new and the old secret, so the receiver may switch at any time in the window.")
	NewWebhookSecret rotate(Company company, @PathVariable UUID id,
			@RequestBody(required = false) WebhookSecretRotation body,
			Actor actor) {
		Duration window = body == null || body.windowHours() == null ? null : Duration.ofHours(body.windowHours());
		return this.endpoints.rotateSecret(company.id(), id, window, actor);
	}

	@PostMapping("/{id}/test")
	@Operation(operationId = "sendWebhookTest", summary = "Send a test event",
			description = "Sends a webhook.test event now, signed like every delivery, and answers with how it went. "
					+ "A test event is not in the feed and is not retried.")
	WebhookDelivery test(Company company, @PathVariable UUID id, Actor actor) {
		return this.endpoints.sendTest(company.id(), id, actor);
	}

	@GetMapping("/{id}/deliveries")
	@Operation(operationId = "listWebhookDeliveries", summary = "List an endpoint's deliveries",
			description = "Newest first: status, attempts, the last answer's status, latency and first kilobyte, and "
					+ "when a pending delivery is tried again.")
	List<WebhookDelivery> deliveries(Company company, @PathVariable UUID id,
			@Parameter(description = "A delivery id: list the ones before it") @RequestParam(
					required = false) Long before,
			@Parameter(description = "At most this many, 1 to 500") @RequestParam(defaultValue = "50") int limit) {
		return this.endpoints.deliveries(company.id(), id, before, limit);
	}

	@PostMapping("/{id}/deliveries/{deliveryId}/replay")
	@ResponseStatus(HttpStatus.ACCEPTED)
	@Operation(operationId = "replayWebhookDelivery", summary = "Send a delivery again",
			description = "Sends the same event again, with the same webhook-id, as a new delivery; it goes after any "
					+ "earlier event of its subject still waiting.")
	WebhookDelivery replay(Company company, @PathVariable UUID id, @PathVariable long deliveryId, Actor actor) {
		return this.endpoints.replay(company.id(), id, deliveryId, actor);
	}

	@PostMapping("/{id}/replays")
	@ResponseStatus(HttpStatus.ACCEPTED)
	@Operation(operationId = "replayWebhookTimeRange", summary = "Send again the events of a time range",
			description = "Every event the endpoint wants that happened from 'from' to 'to' (still in the feed, at most "
					+ "100,000) is sent again, in order per subject.")
	WebhookReplayCount replayRange(Company company, @PathVariable UUID id, @RequestBody WebhookTimeRange body,
			Actor actor) {
		return new WebhookReplayCount(this.endpoints.replayRange(company.id(), id, body.from(), body.to(), actor));
	}

}
