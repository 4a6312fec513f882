package io.rollcall.audit;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import io.rollcall.platform.Actor;

/**
 * One change as a writer records it: what {@link AuditLog} stores as an entry and hands to its
 * {@link AuditListener}s (the events outbox) in the same transaction.
 *
 * @param runId the sync run that made the change, or null for a change made outside a run
 */
public record AuditRecord(UUID companyId, Actor actor, String subjectType, UUID subjectId, String action,
		Map<String, FieldChange> changes, UUID runId) {

	public AuditRecord {
		Objects.requireNonNull(companyId, "companyId cannot be null");
		Objects.requireNonNull(actor, "actor cannot be null");
		Objects.requireNonNull(subjectType, "subjectType cannot be null");
		Objects.requireNonNull(action, "action cannot be null");
		changes = changes == null ? Map.of() : changes;
	}

	/**
	 * Whether a person left: deactivated or deleted, by any source or by hand. What ends their sessions and their
	 * applications' access.
	 */
	public boolean personLeft() {
		return "person".equals(this.subjectType) && this.subjectId != null
				&& ("deactivated".equals(this.action) || "deleted".equals(this.action));
	}

}
