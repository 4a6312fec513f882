package io.rollcall.sync;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.rollcall.events.EventSubjects;

import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

/** Runs as the API shows them ({@code GET /api/v1/sync-runs/{id}}), for the sync_run.* events that carry them. */
@Component
class SyncRunSubjects implements EventSubjects {

	static final String KIND = "sync_run";

	private final SyncRuns runs;

	SyncRunSubjects(SyncRuns runs) {
		Assert.notNull(runs, "runs cannot be null");
		this.runs = runs;
	}

	@Override
	public String subjectType() {
		return KIND;
	}

	@Override
	public Map<UUID, ?> load(UUID companyId, Collection<UUID> ids) {
		// A run's end makes one event: one read each is as cheap as one for all.
		return ids.stream()
			.flatMap(id -> this.runs.find(id).filter(run -> run.companyId().equals(companyId)).stream())
			.collect(Collectors.toMap(SyncRun::id, Function.identity()));
	}

}
