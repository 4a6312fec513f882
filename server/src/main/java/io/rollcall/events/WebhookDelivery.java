package io.rollcall.events;

import java.time.Instant;
import java.util.UUID;

/**
 * One event sent (or to be sent) to one endpoint, with its last attempt.
 *
 * @param eventId the event's id, which is also the {@code webhook-id} header
 * @param status {@code delivered}; {@code pending} (tried again at {@code nextAttemptAt}); {@code queued} (waits for
 * an earlier event of the same subject); {@code failed} (given up after three days)
 * @param attempts how many times it was sent
 * @param httpStatus the last answer's status, or null when there was none (a timeout, a refused address)
 * @param answer the last answer's first kilobyte, or why there was none
 */
public record WebhookDelivery(long id, String eventId, String eventType, UUID subjectId, String status, int attempts,
		Integer httpStatus, Integer latencyMs, String answer, Instant createdAt, Instant lastAttemptAt,
		Instant nextAttemptAt) {
}
