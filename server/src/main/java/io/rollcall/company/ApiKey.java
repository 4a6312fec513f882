package io.rollcall.company;

import java.time.Instant;
import java.util.UUID;

/** A company API key as listed: never the key itself, only the first characters to recognise it by. */
public record ApiKey(UUID id, String name, String prefix, Instant createdAt, String createdBy, Instant lastUsedAt,
		Instant revokedAt) {

	public boolean active() {
		return this.revokedAt == null;
	}

}
