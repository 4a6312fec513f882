package io.rollcall.sync;

import java.util.Map;
import java.util.UUID;

import io.rollcall.audit.FieldChange;

/** Where a planning pass puts its items: the run's stored plan, or memory for a single pushed record. */
interface PlanSink {

	void add(PlanKind kind, String externalId, UUID personId, String label, Map<String, FieldChange> changes,
			String message);

	/** A record, or its manager link, left out of the plan: an error item. */
	default void problem(String externalId, String label, RecordProblem problem) {
		add(PlanKind.ERROR, externalId, null, label, Map.of(), problem.message());
	}

	void flush();

}
