package io.rollcall.identityprovider;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.rollcall.platform.RequestRejectedException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator's view of an application's back-channel logouts: those waiting and those given up after three days of
 * failed attempts, with their last attempt, and a retry of the failed ones. On the bare base domain, with
 * {@code Authorization: Bearer $ROLLCALL_OPERATOR_TOKEN}.
 */
@Tag(name = "Operator")
@RestController
@RequestMapping("/api/v1/applications/{id}/logouts")
class BackChannelLogoutsApi {

	private static final int MAX_LIMIT = 1000;

	private final BackChannelLogouts logouts;

	private final IdentityProviderStores stores;

	BackChannelLogoutsApi(BackChannelLogouts logouts, IdentityProviderStores stores) {
		this.logouts = logouts;
		this.stores = stores;
	}

	enum Status {

		PENDING, FAILED

	}

	/**
	 * One person's logout to the application.
	 *
	 * @param status pending (sent when due, tried again on failure) or failed (given up; kept 30 days after failedAt)
	 * @param lastHttpStatus the application's answer to the last attempt; null when none came (see lastAnswer)
	 * @param lastAnswer the first kilobyte of that answer, or why there was none (refused address, time-out, ...)
	 * @param nextAttemptAt null once failed
	 */
	record Logout(long id, UUID companyId, String company, UUID personId, String status, int attempts, Instant queuedAt,
			Instant lastAttemptAt, Integer lastHttpStatus, Integer lastLatencyMs, String lastAnswer,
			Instant nextAttemptAt,
			Instant failedAt) {
	}

	/** The counts are of every logout of the application; the items of the asked status, newest first. */
	record LogoutList(int pending, int failed, List<Logout> items) {
	}

	record Retried(int requeued) {
	}

	@GetMapping
	@Transactional(readOnly = true)
	@Operation(operationId = "listApplicationLogouts",
			summary = "List an application's back-channel logouts waiting or failed",
			description = "On the bare base domain with the operator token. A logout is sent when a person leaves, and "
					+ "tried again on failure (5 s, 30 s, 2 min, ... then every 12 h) for three days; then it is kept as "
					+ "'failed' with its last attempt (HTTP status or why no answer came) for 30 days. Delivered logouts "
					+ "are not listed.")
	LogoutList list(@PathVariable String id,
			@Parameter(description = "'pending' or 'failed'; both when absent") @RequestParam(
					required = false) String status,
			@Parameter(description = "At most this many items (1 to 1000, 100 by default)") @RequestParam(
					defaultValue = "100") int limit) {
		String clientId = application(id);
		if (limit < 1 || limit > MAX_LIMIT) {
			throw RequestRejectedException.invalid("limit",
					"'limit' must be between 1 and " + MAX_LIMIT + ", not " + limit);
		}
		var counts = this.logouts.counts(clientId);
		return new LogoutList(counts.get(Status.PENDING), counts.get(Status.FAILED),
				this.logouts.of(clientId, status(status), limit));
	}

	@PostMapping("/retry")
	@Transactional
	@Operation(operationId = "retryApplicationLogouts",
			summary = "Send an application's failed back-channel logouts again",
			description = "On the bare base domain with the operator token. Every failed logout of the application is "
					+ "queued again at once, and tried again on failure for another three days.")
	Retried retry(@PathVariable String id) {
		return new Retried(this.logouts.retryFailed(application(id)));
	}

	private String application(String id) {
		if (id == null || id.length() > 100 || this.stores.registeredClients().findById(id) == null) {
			throw RequestRejectedException.notFound("Application " + id);
		}
		return id;
	}

	private static Status status(String given) {
		if (given == null || given.isBlank()) {
			return null;
		}
		return switch (given.strip().toLowerCase(Locale.ROOT)) {
			case "pending" -> Status.PENDING;
			case "failed" -> Status.FAILED;
			default -> throw RequestRejectedException.invalid("status", "'status' must be 'pending' or 'failed', not '"
					+ given + "'");
		};
	}

}
