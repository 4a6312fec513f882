package io.rollcall.sync;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A run of a source through the engine, as history shows it.
 *
 * @param status queued, planning, held (waits for approval), applying, retrying (an attempt failed; it is tried
 * again at {@code nextAttemptAt}), succeeded, failed (for good: a dry run, or a problem no retry can mend),
 * previewed (a dry run's end), discarded (dropped by an admin) or superseded (replaced by a newer full run while it
 * waited to retry)
 * @param counts what the plan holds: creates, updates, links, reactivations, deactivations, managers, teams,
 * invitations, errors, unchanged
 * @param total how many plan items there are to apply; {@code done} how many are applied
 * @param error why the latest attempt failed, in words an admin understands
 * @param attempts failed attempts so far
 * @param failingSince the first failure of this source not yet followed by a success (carried over to a run that
 * replaces a failing one)
 */
public record SyncRun(UUID id, UUID companyId, String source, boolean dryRun,
		@Schema(implementation = String.class) RunStatus status, String requestedBy, UUID inputId,
		Map<String, Object> options, Map<String, Integer> counts, int total, int done, String error,
		String holdReason, String decidedBy, Instant createdAt, Instant startedAt, Instant finishedAt, int attempts,
		Instant nextAttemptAt, Instant failingSince) {

	/** The option naming how a source reads: {@value #INCREMENTAL} for a run of named changes, else a full read. */
	public static final String MODE = "mode";

	public static final String INCREMENTAL = "incremental";

	/** The option of a file source's run: whether people the file does not list are deactivated (a Boolean). */
	public static final String DEACTIVATE_MISSING = "deactivateMissing";

	/** The option counting the provider's changes (notifications, events) an incremental run was made from. */
	public static final String CHANGES = "changes";

	/** A run's options that also count the provider's changes it is made from (waiting until it succeeds). */
	public static Map<String, Object> counting(Map<String, Object> options, long changes) {
		Map<String, Object> counted = new java.util.HashMap<>(options);
		counted.put(CHANGES, changes);
		return counted;
	}

	public boolean finished() {
		return this.status.finished();
	}

	public boolean retrying() {
		return this.status == RunStatus.RETRYING;
	}

	public boolean held() {
		return this.status == RunStatus.HELD;
	}

	/** Whether the run reads only named changes (a full run reads everything, so it covers an incremental one). */
	public boolean incremental() {
		return this.options != null && INCREMENTAL.equals(this.options.get(MODE));
	}

	/** The provider's changes this run was made from and has not yet brought in: 0 once it succeeded. */
	public int changesWaiting() {
		if (this.options == null || !(this.options.get(CHANGES) instanceof Number number)
				|| this.status == RunStatus.SUCCEEDED) {
			return 0;
		}
		return number.intValue();
	}

	public Long durationMillis() {
		return this.startedAt == null || this.finishedAt == null ? null
				: this.finishedAt.toEpochMilli() - this.startedAt.toEpochMilli();
	}

}
