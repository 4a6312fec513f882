package io.rollcall.sync;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A run of a source through the engine, as history shows it.
 *
 * @param status queued, planning, held (waits for approval), applying, succeeded, failed, previewed (a dry run's
 * end) or discarded
 * @param counts what the plan holds: creates, updates, links, reactivations, deactivations, managers, teams,
 * invitations, errors, unchanged
 * @param total how many plan items there are to apply; {@code done} how many are applied
 */
public record SyncRun(UUID id, UUID companyId, String source, boolean dryRun, String status, String requestedBy,
		UUID inputId, Map<String, Object> options, Map<String, Integer> counts, int total, int done, String error,
		String holdReason, String decidedBy, Instant createdAt, Instant startedAt, Instant finishedAt) {

	public boolean finished() {
		return switch (this.status) {
			case "succeeded", "failed", "previewed", "discarded" -> true;
			default -> false;
		};
	}

	public Long durationMillis() {
		return this.startedAt == null || this.finishedAt == null ? null
				: this.finishedAt.toEpochMilli() - this.startedAt.toEpochMilli();
	}

}
