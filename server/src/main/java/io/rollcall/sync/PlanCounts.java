package io.rollcall.sync;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rollcall.audit.FieldChange;

/** Counts a plan's items by kind as they pass to its sink, and the records that needed nothing: a run's counts. */
final class PlanCounts implements PlanSink {

	private static final List<PlanKind> COUNTED = List.of(PlanKind.CREATE, PlanKind.UPDATE, PlanKind.LINK,
			PlanKind.REACTIVATE, PlanKind.DEACTIVATE, PlanKind.MANAGER, PlanKind.TEAM, PlanKind.INVITE, PlanKind.ERROR);

	private final PlanSink sink;

	private final Map<String, Integer> counts = new LinkedHashMap<>();

	PlanCounts(PlanSink sink) {
		this.sink = sink;
		COUNTED.forEach(kind -> this.counts.put(kind.value(), 0));
		this.counts.put(PlanKind.UNCHANGED, 0);
	}

	@Override
	public void add(PlanKind kind, String externalId, UUID personId, String label, Map<String, FieldChange> changes,
			String message) {
		this.sink.add(kind, externalId, personId, label, changes, message);
		this.counts.merge(kind.value(), 1, Integer::sum);
	}

	@Override
	public void problem(String externalId, String label, RecordProblem problem) {
		this.sink.problem(externalId, label, problem);
		this.counts.merge(PlanKind.ERROR.value(), 1, Integer::sum);
	}

	@Override
	public void flush() {
		this.sink.flush();
	}

	/** A record whose person needs no change. */
	void unchanged() {
		this.counts.merge(PlanKind.UNCHANGED, 1, Integer::sum);
	}

	/** By {@link PlanKind#value()}, and {@value PlanKind#UNCHANGED}. */
	Map<String, Integer> counts() {
		return this.counts;
	}

}
