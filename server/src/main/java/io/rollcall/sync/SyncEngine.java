package io.rollcall.sync;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.rollcall.company.Companies;
import io.rollcall.company.Company;
import io.rollcall.directory.DirectoryBatch;
import io.rollcall.platform.Actor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Carries a run from queued to its end: plan (for every run, dry or not), then stop for a dry run, hold for a
 * run that would deactivate too many, or apply. Called by the run's durable job, again after a restart: a run
 * found mid-plan is planned afresh (planning changes nothing), a run found mid-apply goes on where it stopped.
 */
@Service
class SyncEngine {

	private static final Logger log = LoggerFactory.getLogger(SyncEngine.class);

	/** Items applied by a run after which the directory's planner statistics are gathered at once. */
	private static final int LARGE_RUN = 1_000;

	private final SyncRuns runs;

	private final Map<String, Source> sources;

	private final SourceSettingsStore settings;

	private final SyncPlanner planner;

	private final SyncApplier applier;

	private final PlanStore store;

	private final DirectoryBatch directory;

	private final Companies companies;

	private final JdbcClient jdbc;

	private final ObjectMapper json;

	private final ApplicationEventPublisher events;

	SyncEngine(SyncRuns runs, List<Source> sources, SourceSettingsStore settings, SyncPlanner planner,
			SyncApplier applier, PlanStore store, DirectoryBatch directory, Companies companies, JdbcClient jdbc,
			ObjectMapper json, ApplicationEventPublisher events) {
		this.runs = runs;
		this.sources = sources.stream().collect(java.util.stream.Collectors.toMap(Source::kind, s -> s));
		this.settings = settings;
		this.planner = planner;
		this.applier = applier;
		this.store = store;
		this.directory = directory;
		this.companies = companies;
		this.jdbc = jdbc;
		this.json = json;
		this.events = events;
	}

	void execute(UUID runId) {
		Optional<SyncRun> found = this.runs.find(runId);
		if (found.isEmpty() || found.get().finished() || "held".equals(found.get().status())) {
			return;
		}
		SyncRun run = found.get();
		Actor actor = new Actor(Actor.Type.SOURCE, run.id().toString(),
				run.source() + " sync, run " + run.id().toString().substring(0, 8));
		try {
			if (run.status().equals("queued") || run.status().equals("planning")) {
				if (!plan(run)) {
					return;
				}
			}
			int applied = this.applier.apply(run, actor);
			if (applied >= LARGE_RUN) {
				// Pushes and lookups (SCIM, notifications) plan their statements from these statistics; right after
				// an import they describe the directory before it, until autovacuum gets round to it.
				this.directory.refreshStatistics();
			}
			this.jdbc.sql("update sync_run set status = 'succeeded', finished_at = now() where id = :id")
				.param("id", runId)
				.update();
			ended(run, "succeeded");
		}
		catch (SourceReadException ex) {
			fail(run, ex.getMessage());
		}
		catch (RuntimeException ex) {
			log.error("Sync run {} failed", runId, ex);
			fail(run, "The run stopped on an unexpected error (" + ex.getClass().getSimpleName()
					+ "); nothing more was changed. Start it again; if it keeps failing, tell the operator.");
		}
	}

	/** Makes the plan; true when the run is to be applied now. */
	private boolean plan(SyncRun run) {
		Source source = this.sources.get(run.source());
		if (source == null) {
			fail(run, "There is no source '" + run.source() + "'");
			return false;
		}
		this.jdbc.sql("""
				update sync_run set status = 'planning', started_at = coalesce(started_at, now()), done = 0, counts = '{}'
				where id = :id
				""").param("id", run.id()).update();
		Map<String, Integer> counts = this.planner.plan(run, source, this.settings.get(run.companyId(), run.source()));
		int total = this.store.countToApply(run.id());
		String status = "applying";
		String holdReason = null;
		Company company = this.companies.get(run.companyId());
		int deactivations = counts.getOrDefault("deactivate", 0);
		// Without deactivations there is nothing to hold, and no need to count the company's active people.
		int active = deactivations == 0 ? 0 : this.directory.activeCount(run.companyId());
		if (run.dryRun()) {
			status = "previewed";
		}
		else if (deactivations > 0 && company.holdsDeactivating(deactivations, active)) {
			status = "held";
			holdReason = "This run would deactivate " + deactivations + " of " + active
					+ " active people, more than the " + company.deactivationHoldPercent()
					+ " % the company allows without approval. Check the plan, then approve or discard it.";
		}
		this.jdbc.sql("""
				update sync_run set status = :status, counts = cast(:counts as jsonb), total = :total, hold_reason = :hold,
				    finished_at = case when :status = 'previewed' then now() end
				where id = :id
				""")
			.param("status", status)
			.param("counts", this.json.writeValueAsString(counts))
			.param("total", total)
			.param("hold", holdReason)
			.param("id", run.id())
			.update();
		if (status.equals("previewed")) {
			ended(run, status);
		}
		return status.equals("applying");
	}

	private void fail(SyncRun run, String error) {
		this.jdbc.sql("update sync_run set status = 'failed', error = :error, finished_at = now() where id = :id")
			.param("error", error)
			.param("id", run.id())
			.update();
		ended(run, "failed");
	}

	private void ended(SyncRun run, String status) {
		this.events.publishEvent(new SyncRunEnded(run.id(), run.companyId(), run.source(), status));
	}

}
