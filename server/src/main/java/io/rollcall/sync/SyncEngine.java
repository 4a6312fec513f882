package io.rollcall.sync;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.rollcall.company.Companies;
import io.rollcall.company.Company;
import io.rollcall.audit.FieldChange;
import io.rollcall.directory.DirectoryBatch;
import io.rollcall.events.EventType;
import io.rollcall.events.Outbox;
import io.rollcall.platform.Actor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Carries a run from queued to its end: plan (for every run, dry or not), then stop for a dry run, hold for a
 * run that would deactivate too many, or apply. Called by the run's durable job, again after a restart: a run
 * found mid-plan is planned afresh (planning changes nothing), a run found mid-apply goes on where it stopped.
 * A run that fails is not dropped: it waits as {@code retrying} and its job comes back after a back-off
 * ({@link RetrySchedule}), planned afresh (the provider is read again) or, when its plan was made, applied on.
 */
@Service
class SyncEngine {

	private static final Logger log = LoggerFactory.getLogger(SyncEngine.class);

	/** Items applied by a run after which the directory's planner statistics are gathered at once. */
	private static final int LARGE_RUN = 1_000;

	private static final TypeReference<Map<String, Object>> COUNTS = new TypeReference<>() {
	};

	/** Attempts of a run that keeps failing on an unexpected error before it fails for good. */
	static final int UNEXPECTED_ATTEMPTS = 5;

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

	private final RetrySchedule retries;

	private final Outbox outbox;

	private final TransactionTemplate transaction;

	SyncEngine(SyncRuns runs, List<Source> sources, SourceSettingsStore settings, SyncPlanner planner,
			SyncApplier applier, PlanStore store, DirectoryBatch directory, Companies companies, JdbcClient jdbc,
			ObjectMapper json, ApplicationEventPublisher events, RetrySchedule retries, Outbox outbox,
			TransactionTemplate transaction) {
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
		this.retries = retries;
		this.outbox = outbox;
		this.transaction = transaction;
	}

	/**
	 * Takes the run as far as it goes now.
	 *
	 * @return when to try it again (it failed and waits as {@code retrying}), or null when there is nothing more to do
	 */
	Instant execute(UUID runId) {
		Optional<SyncRun> found = this.runs.find(runId);
		if (found.isEmpty() || found.get().finished() || found.get().held()) {
			return null;
		}
		SyncRun run = found.get();
		Actor actor = actor(run);
		boolean planned = false;
		try {
			boolean resume = run.status() == RunStatus.APPLYING || (run.retrying() && resumesApplying(runId));
			if (resume) {
				if (run.retrying()
						&& this.jdbc.sql("update sync_run set status = :status where id = :id and status = :retrying")
							.param("status", RunStatus.RETRYING.to(RunStatus.APPLYING).value())
							.param("retrying", RunStatus.RETRYING.value())
							.param("id", runId)
							.update() == 0) {
					return null; // replaced by a newer run, or discarded, while it waited
				}
			}
			else if (!plan(run)) {
				return null;
			}
			planned = true;
			int applied = this.applier.apply(run, actor);
			if (applied >= LARGE_RUN) {
				// Pushes and lookups (SCIM, notifications) plan their statements from these statistics; right after
				// an import they describe the directory before it, until autovacuum gets round to it.
				this.directory.refreshStatistics();
			}
			this.transaction.executeWithoutResult(status -> {
				Map<String, Object> counts = this.jdbc.sql("""
						update sync_run set status = :status, finished_at = now(), next_attempt_at = null where id = :id
						returning counts
						""")
					.param("status", RunStatus.APPLYING.to(RunStatus.SUCCEEDED).value())
					.param("id", runId)
					.query((rs, n) -> this.json.readValue(rs.getString(1), COUNTS))
					.single();
				publish(run, actor, EventType.SYNC_RUN_SUCCEEDED, RunStatus.APPLYING, RunStatus.SUCCEEDED, "counts",
						counts);
			});
			ended(run, RunStatus.SUCCEEDED);
			return null;
		}
		catch (SourceReadException ex) {
			return failed(run, ex.getMessage(), ex.retryable(), planned);
		}
		catch (RuntimeException ex) {
			log.error("Sync run {} failed", runId, ex);
			if (databaseUnavailable(ex)) {
				return failed(run,
						"The run stopped: the database could not be reached (" + ex.getClass().getSimpleName()
								+ "); nothing more was changed.",
						true, planned);
			}
			// Likely a fault of Rollcall's own that every attempt meets again: a few tries, then it fails for good.
			boolean lastTry = run.attempts() + 1 >= UNEXPECTED_ATTEMPTS;
			return failed(run, "The run stopped on an unexpected error (" + ex.getClass().getSimpleName()
					+ "); nothing more was changed." + (lastTry ? " It failed " + UNEXPECTED_ATTEMPTS
							+ " times: start it again; if it keeps failing, tell the operator." : ""),
					!lastTry, planned);
		}
	}

	/** A database restart or lost connection: it comes back, and the run with it, however long it takes. */
	static boolean databaseUnavailable(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof TransientDataAccessException || cause instanceof RecoverableDataAccessException
					|| cause instanceof DataAccessResourceFailureException
					|| cause instanceof CannotCreateTransactionException
					// A commit or rollback that fails: the connection broke under the transaction (the first failure
					// is its application exception, not its cause).
					|| cause instanceof TransactionSystemException
					|| cause instanceof java.sql.SQLTransientException
					|| cause instanceof java.sql.SQLRecoverableException
					|| cause instanceof java.net.ConnectException) {
				return true;
			}
			// PostgreSQL: connection failures (class 08), shut down by an administrator or starting up (57P0x).
			if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null
					&& (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))) {
				return true;
			}
		}
		return false;
	}

	private boolean resumesApplying(UUID runId) {
		return Boolean.TRUE.equals(this.jdbc.sql("select resume_apply from sync_run where id = :id")
			.param("id", runId)
			.query(Boolean.class)
			.single());
	}

	/** Makes the plan; true when the run is to be applied now. */
	private boolean plan(SyncRun run) {
		Source source = this.sources.get(run.source());
		if (source == null) {
			throw SourceReadException.permanent("There is no source '" + run.source() + "'");
		}
		int planning = this.jdbc.sql("""
				update sync_run set status = :status, started_at = coalesce(started_at, now()), done = 0, counts = '{}'
				where id = :id and status in (:from)
				""")
			.param("status", RunStatus.PLANNING.value())
			.param("from", RunStatus.leadingTo(RunStatus.PLANNING))
			.param("id", run.id())
			.update();
		if (planning == 0) {
			return false; // replaced by a newer run, or discarded, while it waited to retry
		}
		Map<String, Integer> counts = this.planner.plan(run, source, this.settings.get(run.companyId(), run.source()));
		int total = this.store.countToApply(run.id());
		RunStatus status = RunStatus.APPLYING;
		String holdReason = null;
		Company company = this.companies.get(run.companyId());
		int deactivations = counts.getOrDefault(PlanKind.DEACTIVATE.value(), 0);
		// Without deactivations there is nothing to hold, and no need to count the company's active people.
		int active = deactivations == 0 ? 0 : this.directory.activeCount(run.companyId());
		int recent = deactivations == 0 || run.dryRun() ? 0
				: this.runs.deactivatedSince(run.companyId(), Instant.now().minus(Departures.HOLD_WINDOW));
		if (run.dryRun()) {
			status = RunStatus.PREVIEWED;
		}
		else if ((holdReason = Departures.holdReason(company, deactivations, active, recent)) != null) {
			status = RunStatus.HELD;
		}
		RunStatus planned = RunStatus.PLANNING.to(status);
		String reason = holdReason;
		// A hold and its sync_run.held event commit together.
		this.transaction.executeWithoutResult(tx -> {
			this.jdbc
				.sql("""
						update sync_run set status = :status, counts = cast(:counts as jsonb), total = :total, hold_reason = :hold,
						    finished_at = case when :status = 'previewed' then now() end
						where id = :id
						""")
				.param("status", planned.value())
				.param("counts", this.json.writeValueAsString(counts))
				.param("total", total)
				.param("hold", reason)
				.param("id", run.id())
				.update();
			if (planned == RunStatus.HELD) {
				publish(run, actor(run), EventType.SYNC_RUN_HELD, RunStatus.PLANNING, RunStatus.HELD, "counts", counts);
			}
		});
		if (planned == RunStatus.PREVIEWED) {
			ended(run, planned);
		}
		return planned == RunStatus.APPLYING;
	}

	/**
	 * A dry run, or a problem no retry can mend, fails the run for good. Anything else waits as {@code retrying} and
	 * is tried again after a back-off: the changes it was made from count as handled only once it succeeds. A run
	 * that had made its plan goes on applying it (an approved hold is not asked for again).
	 */
	private Instant failed(SyncRun run, String error, boolean retryable, boolean planned) {
		if (run.dryRun() || !retryable) {
			fail(run, error);
			return null;
		}
		int attempts = run.attempts() + 1;
		Instant next = Instant.now().plus(this.retries.after(attempts));
		this.jdbc.sql("""
				update sync_run set status = :status, error = :error, attempts = :attempts, next_attempt_at = :next,
				    failing_since = coalesce(failing_since, now()), resume_apply = resume_apply or :planned
				where id = :id
				""")
			.param("status", RunStatus.RETRYING.value())
			.param("error", error)
			.param("attempts", attempts)
			.param("next", java.sql.Timestamp.from(next))
			.param("planned", planned)
			.param("id", run.id())
			.update();
		log.warn("Sync run {} ({} of company {}) failed, attempt {}; retrying at {}: {}", run.id(), run.source(),
				run.companyId(), attempts, next, error);
		return next;
	}

	private void fail(SyncRun run, String error) {
		this.transaction.executeWithoutResult(tx -> {
			RunStatus before = RunStatus.of(this.jdbc.sql("select status from sync_run where id = :id for update")
				.param("id", run.id())
				.query(String.class)
				.single());
			this.jdbc.sql("""
					update sync_run set status = :status, error = :error, finished_at = now(), next_attempt_at = null,
					    failing_since = coalesce(failing_since, now()), attempts = attempts + 1
					where id = :id
					""")
				.param("status", before.to(RunStatus.FAILED).value())
				.param("error", error)
				.param("id", run.id())
				.update();
			publish(run, actor(run), EventType.SYNC_RUN_FAILED, before, RunStatus.FAILED, "error", error);
		});
		ended(run, RunStatus.FAILED);
	}

	/** The run's end (or hold) as an event, in the transaction of its status change: the run is its subject. */
	private void publish(SyncRun run, Actor actor, EventType type, RunStatus from, RunStatus to, String detail,
			Object value) {
		Map<String, FieldChange> changes = new java.util.LinkedHashMap<>();
		changes.put("status", new FieldChange(from.value(), to.value()));
		changes.put(detail, new FieldChange(null, value));
		this.outbox.publish(run.companyId(), actor, type, SyncRunSubjects.KIND, run.id(), changes, run.id());
	}

	private static Actor actor(SyncRun run) {
		return new Actor(Actor.Type.SOURCE, run.id().toString(),
				run.source() + " sync, run " + run.id().toString().substring(0, 8));
	}

	private void ended(SyncRun run, RunStatus status) {
		this.events.publishEvent(new SyncRunEnded(run.id(), run.companyId(), run.source(), status));
	}

}
