package io.rollcall.directory;

import java.time.Instant;
import java.util.UUID;

/**
 * The latest invitation of a person.
 *
 * @param deliveryError why the e-mail could not be handed to the mail server, or null when it was
 */
public record Invitation(UUID id, UUID personId, Instant createdAt, Instant expiresAt, Instant sentAt,
		String deliveryError, Instant usedAt, Instant revokedAt) {

	public String status() {
		if (this.usedAt != null) {
			return "accepted";
		}
		if (this.revokedAt != null) {
			return "replaced";
		}
		if (this.expiresAt.isBefore(Instant.now())) {
			return "expired";
		}
		return this.deliveryError != null ? "not_delivered" : "sent";
	}

}
