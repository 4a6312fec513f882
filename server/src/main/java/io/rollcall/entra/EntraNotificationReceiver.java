package io.rollcall.entra;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.rollcall.company.Company;
import io.rollcall.company.CurrentCompany;
import io.rollcall.connector.HookDeliveries;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Receives Graph's change and lifecycle notifications. It only checks and records: the validation handshake is
 * echoed, every item's clientState is compared with its subscription's (items that do not match are dropped and
 * counted), the rest is stored in one insert and acknowledged with 202 at once. {@link EntraChanges}, woken as the
 * insert commits, does the work. Deliveries take turns with the other webhooks; one refused for want of a turn is
 * caught up by a delta run ({@link EntraHookAdmission}).
 */
@Tag(name = "Webhook receivers")
@RestController
final class EntraNotificationReceiver {

	private static final Logger log = LoggerFactory.getLogger(EntraNotificationReceiver.class);

	private final EntraSubscriptions subscriptions;

	private final EntraConnections connections;

	private final JdbcTemplate jdbc;

	private final HookDeliveries deliveries;

	EntraNotificationReceiver(EntraSubscriptions subscriptions, EntraConnections connections, EntraChanges worker,
			JdbcTemplate jdbc, MeterRegistry meters) {
		this.subscriptions = subscriptions;
		this.connections = connections;
		this.jdbc = jdbc;
		this.deliveries = new HookDeliveries(worker, meters, "rollcall.entra.notifications",
				"rollcall.entra.notifications");
	}

	/** Graph checks the URL before it makes a subscription: the token comes back as plain text within 10 s. */
	@PostMapping(path = "/hooks/entra", params = "validationToken")
	@io.swagger.v3.oas.annotations.Hidden
	ResponseEntity<String> validate(@RequestParam String validationToken) {
		return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(validationToken);
	}

	@PostMapping(path = "/hooks/entra", params = "!validationToken")
	@Operation(operationId = "receiveEntraNotifications", summary = "Microsoft Graph's change notifications",
			description = "Where Graph delivers the change notifications of the subscriptions Rollcall made (users, the group's "
					+ "members) and their lifecycle events. Each item's clientState must match its subscription's, else the "
					+ "item is dropped; the rest is recorded and answered 202 at once, and a worker syncs the people named. "
					+ "Graph's URL check (the same POST with ?validationToken=...) is answered with the token as "
					+ "text/plain.")
	@ApiResponse(responseCode = "202", description = "Recorded; the people named are synced within seconds")
	@ApiResponse(responseCode = "400", description = "Not a notification collection")
	@ApiResponse(responseCode = "503",
			description = "Busy: no turn within a second (Retry-After); the company's changes are read a minute later")
	ResponseEntity<Void> receive(@RequestBody(required = false) byte[] body, HttpServletRequest request) {
		Optional<JsonNode> items = HookDeliveries.items(body, "/value");
		if (items.isEmpty()) {
			return ResponseEntity.badRequest().build();
		}
		UUID hostCompany = CurrentCompany.of(request).map(Company::id).orElse(null);
		List<Object[]> rows = new ArrayList<>();
		int spoofed = 0;
		UUID spoofedCompany = null;
		for (JsonNode item : items.get()) {
			String subscriptionId = item.path("subscriptionId").asString(null);
			Optional<UUID> company = this.subscriptions.verify(subscriptionId, item.path("clientState").asString(null));
			// A company's subscription is only heard on its own address (or on the bare one Graph is given).
			if (company.isEmpty() || (hostCompany != null && !hostCompany.equals(company.get()))) {
				spoofed++;
				if (company.isEmpty() && subscriptionId != null) {
					spoofedCompany = this.subscriptions.find(subscriptionId)
						.map(EntraSubscriptions.Subscription::companyId)
						.orElse(spoofedCompany);
				}
				continue;
			}
			String lifecycle = item.path("lifecycleEvent").asString(null);
			String resource = item.path("resource").asString(null);
			String objectId = item.path("resourceData").path("id").asString(null);
			rows.add(new Object[] { company.get(), subscriptionId, lifecycle == null ? "change" : "lifecycle",
					item.path("changeType").asString(null), lifecycle, resource, objectId });
		}
		if (!rows.isEmpty()) {
			this.jdbc.batchUpdate(
					"""
							insert into entra_notification (company_id, subscription_id, kind, change_type, lifecycle_event, resource, object_id)
							values (?, ?, ?, ?, ?, ?, ?)
							""",
					rows);
		}
		this.deliveries.queued(rows.size());
		if (spoofed > 0) {
			this.deliveries.rejected(spoofed);
			if (spoofedCompany != null) {
				this.connections.rejected(spoofedCompany, spoofed);
			}
			log.warn("Entra: ignored {} notification item(s) whose clientState did not match a subscription", spoofed);
		}
		return ResponseEntity.status(HttpStatus.ACCEPTED).build();
	}

}
