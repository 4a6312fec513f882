package io.rollcall.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rollcall.audit.FieldChange;

/** A plan kept in memory, with its problems by kind: a single pushed record's, which is applied at once. */
final class PlanItems implements PlanSink {

	private final List<PlanStore.Item> items = new ArrayList<>();

	private final List<RecordProblem> problems = new ArrayList<>();

	@Override
	public void add(PlanKind kind, String externalId, UUID personId, String label, Map<String, FieldChange> changes,
			String message) {
		this.items.add(new PlanStore.Item(this.items.size() + 1, kind, externalId, personId, label, changes, message));
	}

	@Override
	public void problem(String externalId, String label, RecordProblem problem) {
		this.problems.add(problem);
		PlanSink.super.problem(externalId, label, problem);
	}

	@Override
	public void flush() {
	}

	List<PlanStore.Item> items() {
		return List.copyOf(this.items);
	}

	List<RecordProblem> problems() {
		return List.copyOf(this.problems);
	}

}
