package io.rollcall.company;

import java.time.Instant;
import java.util.UUID;

/**
 * A tenant, reached at <code>{slug}.{base-domain}</code>.
 *
 * @param deactivationHoldPercent a sync that would deactivate more than this share of the active people...
 * @param deactivationHoldMinimum ...and at least this many, waits for an admin's approval
 */
public record Company(UUID id, String slug, String name, String defaultTimezone, String defaultLanguage,
		int deactivationHoldPercent, int deactivationHoldMinimum, Instant createdAt) {

	/** Whether deactivating this many of {@code active} people needs an admin's approval first. */
	public boolean holdsDeactivating(int deactivations, int active) {
		return deactivations >= this.deactivationHoldMinimum
				&& (long) deactivations * 100 > (long) this.deactivationHoldPercent * active;
	}

}
