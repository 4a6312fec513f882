package io.rollcall.okta;

import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.rollcall.company.Company;
import io.rollcall.company.CurrentCompany;
import io.rollcall.connector.HookDeliveries;
import io.rollcall.platform.SecretTokens;
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
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Receives Okta's event hooks. The one-time verification GET is echoed. A delivery is authenticated by its
 * {@code Authorization} value, the secret Rollcall generated for one company (found by its hash, compared in constant
 * time): anything else is refused with 401 and changes nothing. The events are recorded by their uuid (so a
 * redelivery adds nothing) in one insert and acknowledged at once, well within Okta's 3 s; {@link OktaEvents},
 * woken as the insert commits, applies them. Deliveries take turns with the other webhooks; one refused for want of
 * a turn is caught up by a full run ({@link OktaHookAdmission}).
 */
@Tag(name = "Webhook receivers")
@RestController
final class OktaHookReceiver {

	/** The events Rollcall acts on; anything else in a delivery is ignored. */
	static final Set<String> EVENT_TYPES = Set.of("user.lifecycle.create", "user.lifecycle.activate",
			"user.lifecycle.reactivate", "user.lifecycle.deactivate", "user.lifecycle.suspend",
			"user.lifecycle.unsuspend",
			"user.lifecycle.delete.initiated", "user.account.update_profile", "application.user_membership.add",
			"application.user_membership.remove", "group.user_membership.add", "group.user_membership.remove");

	private static final Logger log = LoggerFactory.getLogger(OktaHookReceiver.class);

	private final OktaConnections connections;

	private final JdbcTemplate jdbc;

	private final HookDeliveries deliveries;

	OktaHookReceiver(OktaConnections connections, OktaEvents worker, JdbcTemplate jdbc, MeterRegistry meters) {
		this.connections = connections;
		this.jdbc = jdbc;
		this.deliveries = new HookDeliveries(worker, meters, "rollcall.okta.events", "rollcall.okta.deliveries");
	}

	/** Okta checks the URL once when the hook is made: the challenge comes back as JSON. */
	@GetMapping(path = "/hooks/okta", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(operationId = "verifyOktaHook", summary = "Okta's one-time event-hook verification",
			description = "Echoes the X-Okta-Verification-Challenge header as {\"verification\": ...}.")
	ResponseEntity<Map<String, String>> verify(
			@RequestHeader(name = "X-Okta-Verification-Challenge", required = false) String challenge) {
		if (challenge == null || challenge.isBlank() || challenge.length() > 512) {
			return ResponseEntity.badRequest().build();
		}
		return ResponseEntity.ok(Map.of("verification", challenge));
	}

	@PostMapping("/hooks/okta")
	@Operation(operationId = "receiveOktaEvents", summary = "Okta's event hooks",
			description = "A delivery is accepted only with the company's event-hook secret as its whole Authorization header "
					+ "(else 401, nothing recorded). Its user lifecycle, profile and app membership events are recorded by "
					+ "uuid (a redelivery adds nothing) and answered 200 at once; a worker applies them.")
	@ApiResponse(responseCode = "200", description = "Recorded")
	@ApiResponse(responseCode = "400", description = "Not an event delivery")
	@ApiResponse(responseCode = "401", description = "Not a company's event-hook secret")
	@ApiResponse(responseCode = "503",
			description = "Busy: no turn within a second (Retry-After); the company's people are read again a minute later")
	ResponseEntity<Void> receive(@RequestHeader(name = "Authorization", required = false) String authorization,
			@RequestBody(required = false) byte[] body, HttpServletRequest request) {
		Optional<UUID> company = authenticate(authorization, request);
		if (company.isEmpty()) {
			this.deliveries.rejected(1);
			return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
		}
		Optional<JsonNode> events = HookDeliveries.items(body, "/data/events");
		if (events.isEmpty()) {
			return ResponseEntity.badRequest().build();
		}
		List<Object[]> rows = new ArrayList<>();
		String appId = this.connections.find(company.get()).map(OktaConnection::appId).orElse(null);
		for (JsonNode event : events.get()) {
			String type = event.path("eventType").asString("");
			String uuid = event.path("uuid").asString(null);
			String userId = userTarget(event);
			Instant published = published(event.path("published").asString(null));
			if (!EVENT_TYPES.contains(type) || uuid == null || userId == null || published == null
					|| aboutAnotherApp(event, appId)) {
				continue;
			}
			rows.add(new Object[] { company.get(), uuid, Timestamp.from(published), type, userId });
		}
		if (!rows.isEmpty()) {
			this.jdbc.batchUpdate("""
					insert into okta_event (company_id, uuid, published, event_type, user_id) values (?, ?, ?, ?, ?)
					on conflict (company_id, uuid) do nothing
					""", rows);
		}
		this.deliveries.queued(rows.size());
		return ResponseEntity.ok().build();
	}

	/**
	 * The company whose secret this is; on a company's own address it must be that company's. A delivery refused on a
	 * company's address (no secret, a wrong one, another company's) counts in that company's {@code rejectedDeliveries},
	 * so that its admin sees a hook sending the wrong secret.
	 */
	private Optional<UUID> authenticate(String authorization, HttpServletRequest request) {
		UUID hostCompany = CurrentCompany.of(request).map(Company::id).orElse(null);
		byte[] hash = secretHash(authorization);
		if (hash == null) {
			return rejected(hostCompany);
		}
		Optional<OktaConnections.Hooked> hooked = this.connections.byHookSecret(hash);
		if (hooked.isEmpty() || !MessageDigest.isEqual(hooked.get().secretHash(), hash)) {
			log.warn("Okta: refused an event-hook delivery whose Authorization value matches no company");
			return rejected(hostCompany);
		}
		if (hostCompany != null && !hostCompany.equals(hooked.get().companyId())) {
			return rejected(hostCompany);
		}
		return Optional.of(hooked.get().companyId());
	}

	/**
	 * The hash an {@code Authorization} value is looked up by; null when it cannot be a secret. One method for the
	 * receiver and {@link OktaHookAdmission#sender}: a refused delivery's sender must hash as the receiver would, or its
	 * company's catch-up never finds it.
	 */
	static byte[] secretHash(String authorization) {
		if (authorization == null || authorization.isBlank() || authorization.length() > 1024) {
			return null;
		}
		return SecretTokens.hash(authorization.strip());
	}

	private Optional<UUID> rejected(UUID hostCompany) {
		if (hostCompany != null) {
			this.connections.rejected(hostCompany);
		}
		return Optional.empty();
	}

	/**
	 * Whether the event is a change to another app's assignments: hooks hear of every app of the org, and being added
	 * to or removed from, say, the app people sign in with says nothing of the app Rollcall provisions from.
	 */
	static boolean aboutAnotherApp(JsonNode event, String appId) {
		if (appId == null || !event.path("eventType").asString("").startsWith("application.user_membership.")) {
			return false;
		}
		for (JsonNode target : event.path("target")) {
			if ("AppInstance".equals(target.path("type").asString(""))
					&& !appId.equals(target.path("id").asString(""))) {
				return true;
			}
		}
		return false;
	}

	/** The Okta user an event is about: its target of type User. */
	static String userTarget(JsonNode event) {
		for (JsonNode target : event.path("target")) {
			if ("User".equals(target.path("type").asString(""))) {
				return target.path("id").asString(null);
			}
		}
		return null;
	}

	private static Instant published(String value) {
		try {
			return value == null ? null : Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
