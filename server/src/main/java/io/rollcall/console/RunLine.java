package io.rollcall.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.rollcall.sync.PlanKind;
import io.rollcall.sync.RunStatus;
import io.rollcall.sync.SourceKinds;
import io.rollcall.sync.SyncRun;

/**
 * A sync run as the console shows it, in words: which source, how it stands, what its plan holds, how long it took.
 *
 * @param counts every kind of plan item with its number, in the order the engine applies them
 * @param summary the kinds that occur, e.g. "300 new people · 4 new teams · 2 errors"; "Nothing to do" when none
 * @param duration e.g. "0.4 s" or "2 min 5 s"; empty while the run has not finished
 */
record RunLine(SyncRun run, String source, String status, List<Count> counts, String summary, String duration) {

	/** One kind of plan item: its key as the engine counts it, what the page calls it, and how many there are. */
	record Count(String kind, String label, String phrase, int value) {
	}

	private record Kind(String key, String label, String phrase) {

		Kind(PlanKind kind, String label, String phrase) {
			this(kind.value(), label, phrase);
		}

	}

	// The kinds a plan counts, in the order the engine applies them, with the label and the phrase of the summary.
	private static final List<Kind> KINDS = List.of(new Kind(PlanKind.CREATE, "New people", "new people"),
			new Kind(PlanKind.UPDATE, "Updates", "updated"), new Kind(PlanKind.LINK, "Linked", "linked"),
			new Kind(PlanKind.REACTIVATE, "Reactivations", "reactivated"),
			new Kind(PlanKind.DEACTIVATE, "Deactivations", "deactivated"),
			new Kind(PlanKind.MANAGER, "Manager changes", "manager changes"),
			new Kind(PlanKind.TEAM, "New teams", "new teams"), new Kind(PlanKind.INVITE, "Invitations", "invitations"),
			new Kind(PlanKind.ERROR, "Errors", "errors"), new Kind(PlanKind.UNCHANGED, "Unchanged", "unchanged"));

	/** @param kinds the sources, for the run's source by the name admins know it */
	static RunLine of(SyncRun run, SourceKinds kinds) {
		Map<String, Integer> numbers = run.counts() == null ? Map.of() : run.counts();
		List<Count> counts = new ArrayList<>();
		for (Kind kind : KINDS) {
			counts.add(new Count(kind.key(), kind.label(), kind.phrase(), numbers.getOrDefault(kind.key(), 0)));
		}
		// Only there when some items could not be applied.
		if (numbers.getOrDefault(PlanKind.FAILED, 0) > 0) {
			counts.add(new Count(PlanKind.FAILED, "Failed to apply", "failed to apply", numbers.get(PlanKind.FAILED)));
		}
		List<String> parts = counts.stream()
			.filter(count -> count.value() > 0 && !count.kind().equals(PlanKind.UNCHANGED))
			.map(count -> count.value() + " " + count.phrase())
			.toList();
		String summary;
		if (!parts.isEmpty()) {
			summary = String.join(" · ", parts);
		}
		else if (numbers.isEmpty()) {
			summary = ""; // not planned yet, or failed before a plan was made
		}
		else {
			summary = "Nothing to do";
		}
		return new RunLine(run, kinds.name(run.source()), statusName(run.status()), List.copyOf(counts), summary,
				duration(run.durationMillis()));
	}

	static String statusName(RunStatus status) {
		return switch (status) {
			case QUEUED -> "Queued";
			case PLANNING -> "Planning";
			case HELD -> "Waiting for approval";
			case APPLYING -> "Applying";
			case RETRYING -> "Failed, retrying";
			case SUCCEEDED -> "Succeeded";
			case FAILED -> "Failed";
			case PREVIEWED -> "Previewed";
			case DISCARDED -> "Discarded";
			case SUPERSEDED -> "Replaced by a newer run";
		};
	}

	/** Whether the run has stopped moving on its own: it finished, or it waits for an admin's decision. */
	public boolean settled() {
		return this.run.finished() || this.run.held();
	}

	public int count(String kind) {
		return this.counts.stream()
			.filter(count -> count.kind().equals(kind))
			.mapToInt(Count::value)
			.findFirst()
			.orElse(0);
	}

	private static String duration(Long millis) {
		if (millis == null) {
			return "";
		}
		if (millis < 10_000) {
			return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
		}
		long seconds = Math.round(millis / 1000.0);
		if (seconds < 60) {
			return seconds + " s";
		}
		long minutes = seconds / 60;
		if (minutes < 60) {
			return minutes + " min " + (seconds % 60) + " s";
		}
		return (minutes / 60) + " h " + (minutes % 60) + " min";
	}

}
