package io.rollcall.sync;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a sync run stands, and where it may go from there. A run is queued, planned, then held for approval,
 * applied or (a dry run) previewed; a failed attempt waits as {@link #RETRYING} and is planned afresh or applied on.
 * The last five are ends: nothing moves a run out of them.
 */
public enum RunStatus {

	QUEUED("queued"),

	PLANNING("planning"),

	/** Its plan would deactivate more than the company allows without approval: it waits for an admin. */
	HELD("held"),

	APPLYING("applying"),

	/** An attempt failed; it is tried again at its {@code nextAttemptAt}. */
	RETRYING("retrying"),

	SUCCEEDED("succeeded"),

	/** For good: a dry run, or a problem no retry can mend. */
	FAILED("failed"),

	/** A dry run's end. */
	PREVIEWED("previewed"),

	/** Dropped by an admin. */
	DISCARDED("discarded"),

	/** Replaced by a newer full run while it waited to retry. */
	SUPERSEDED("superseded");

	private static final Map<String, RunStatus> BY_VALUE = Arrays.stream(values())
		.collect(Collectors.toUnmodifiableMap(RunStatus::value, Function.identity()));

	private static final Map<RunStatus, Set<RunStatus>> NEXT = Map.of(
			// A run that cannot start (no such source, the database away) fails or retries before it is planned.
			QUEUED, EnumSet.of(PLANNING, RETRYING, FAILED),
			// Planning again: a run found mid-plan after a restart is planned afresh.
			PLANNING, EnumSet.of(PLANNING, HELD, APPLYING, PREVIEWED, RETRYING, FAILED),
			HELD, EnumSet.of(APPLYING, DISCARDED),
			APPLYING, EnumSet.of(SUCCEEDED, RETRYING, FAILED),
			// Retrying again: an attempt that failed before it could plan.
			RETRYING, EnumSet.of(PLANNING, APPLYING, RETRYING, SUPERSEDED, DISCARDED, FAILED),
			SUCCEEDED, EnumSet.noneOf(RunStatus.class),
			FAILED, EnumSet.noneOf(RunStatus.class),
			PREVIEWED, EnumSet.noneOf(RunStatus.class),
			DISCARDED, EnumSet.noneOf(RunStatus.class),
			SUPERSEDED, EnumSet.noneOf(RunStatus.class));

	private final String value;

	RunStatus(String value) {
		this.value = value;
	}

	/** As stored in {@code sync_run.status} and shown in the API. */
	@JsonValue
	public String value() {
		return this.value;
	}

	/** Whether the run has ended: nothing more happens to it. */
	public boolean finished() {
		return NEXT.get(this).isEmpty();
	}

	/** Whether a run may go from this status to {@code next}. */
	public boolean canBecome(RunStatus next) {
		return NEXT.get(this).contains(next);
	}

	/**
	 * {@code next}, when a run may go there from this status.
	 *
	 * @throws IllegalRunTransitionException when it may not
	 */
	public RunStatus to(RunStatus next) {
		if (!canBecome(next)) {
			throw new IllegalRunTransitionException(this, next);
		}
		return next;
	}

	/** The statuses a run may reach {@code next} from, as stored: the guard of the statement that moves it there. */
	public static List<String> leadingTo(RunStatus next) {
		return Arrays.stream(values()).filter(status -> status.canBecome(next)).map(RunStatus::value).toList();
	}

	/** The statuses of a company's active run of a source (one at a time), as stored. */
	public static List<String> active() {
		return Arrays.stream(values()).filter(status -> !status.finished()).map(RunStatus::value).toList();
	}

	/** The status stored as {@code value}. */
	public static RunStatus of(String value) {
		RunStatus status = BY_VALUE.get(value);
		if (status == null) {
			throw new IllegalArgumentException("No run status '" + value + "'; one of " + BY_VALUE.keySet());
		}
		return status;
	}

	/** A run was asked to move where its status does not lead: a fault of Rollcall's, never of the admin's. */
	public static final class IllegalRunTransitionException extends IllegalStateException {

		private final RunStatus from;

		private final RunStatus to;

		IllegalRunTransitionException(RunStatus from, RunStatus to) {
			super("A sync run cannot go from " + from.value + " to " + to.value + "; from " + from.value
					+ " it can only become " + (NEXT.get(from).isEmpty() ? "nothing (it has ended)"
							: NEXT.get(from).stream().map(RunStatus::value).collect(Collectors.joining(", "))));
			this.from = from;
			this.to = to;
		}

		public RunStatus from() {
			return this.from;
		}

		public RunStatus to() {
			return this.to;
		}

	}

}
