package io.rollcall.sync;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.rollcall.audit.AuditLog;
import io.rollcall.audit.FieldChange;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Starting, reading, approving and discarding runs. The work itself is done by the engine's durable job. */
@Service
public class SyncRuns {

	private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
	};

	private static final TypeReference<Map<String, Integer>> COUNTS = new TypeReference<>() {
	};

	private static final TypeReference<Map<String, FieldChange>> CHANGES = new TypeReference<>() {
	};

	/**
	 * A run in one of these is the company's active run of its source (one at a time, by a unique index). Written
	 * into the statements as literals: only then can PostgreSQL use that partial index, whose predicate they match.
	 */
	static final String ACTIVE = RunStatus.active()
		.stream()
		.map(status -> "'" + status + "'")
		.collect(java.util.stream.Collectors.joining(", ", "(", ")"));

	private final JdbcClient jdbc;

	private final ObjectMapper json;

	private final SyncJobs jobs;

	private final AuditLog audit;

	private final ApplicationEventPublisher events;

	SyncRuns(JdbcClient jdbc, ObjectMapper json, SyncJobs jobs, AuditLog audit, ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.json = json;
		this.jobs = jobs;
		this.audit = audit;
		this.events = events;
	}

	/**
	 * Queues a run. Refused while another run of this source is queued, running or waiting for approval.
	 *
	 * @param inputId the uploaded file a file source reads, else null
	 */
	@Transactional
	public SyncRun start(UUID companyId, String source, boolean dryRun, UUID inputId, Map<String, Object> options,
			Actor actor) {
		UUID id = UUID.randomUUID();
		Instant failingSince = null;
		Optional<SyncRun> active = active(companyId, source);
		if (active.isPresent()) {
			SyncRun waiting = active.get();
			if (!replaces(dryRun, options, waiting)) {
				throw busy(source, waiting);
			}
			supersede(waiting, id, actor);
			failingSince = waiting.failingSince();
		}
		try {
			this.jdbc.sql("""
					insert into sync_run (id, company_id, source, dry_run, status, requested_by, input_id, options,
					    failing_since)
					values (:id, :company, :source, :dryRun, :status, :by, :input, cast(:options as jsonb), :since)
					""")
				.param("status", RunStatus.QUEUED.value())
				.param("since", failingSince == null ? null : java.sql.Timestamp.from(failingSince))
				.param("id", id)
				.param("company", companyId)
				.param("source", source)
				.param("dryRun", dryRun)
				.param("by", actor.label())
				.param("input", inputId)
				.param("options", this.json.writeValueAsString(options == null ? Map.of() : options))
				.update();
		}
		catch (DuplicateKeyException ex) {
			// Another request started one between the check and the insert.
			throw RequestRejectedException.conflict(null,
					"A " + source + " run has just been started; wait for it to finish");
		}
		this.audit.record(companyId, actor, "sync_run", id, dryRun ? "preview_requested" : "sync_requested",
				Map.of("source", new FieldChange(null, source)));
		this.jobs.schedule(id);
		return get(companyId, id);
	}

	private static RequestRejectedException busy(String source, SyncRun active) {
		String state = switch (active.status()) {
			case HELD -> "waiting for approval: approve or discard it first";
			case RETRYING -> "waiting to be tried again after a failure (" + active.error()
					+ "): it retries on its own; a full (not dry) run replaces it, or discard it";
			default -> "already in progress: wait for it to finish";
		};
		return RequestRejectedException.conflict(null, "A " + source + " run (" + active.id() + ") is " + state);
	}

	/**
	 * A full run covers everything a run waiting to retry would still do, so it takes its place instead of waiting
	 * behind it (a file newer than the failing one, "Sync users", the daily sync). A dry run or another incremental
	 * run does not.
	 */
	private static boolean replaces(boolean dryRun, Map<String, Object> options, SyncRun waiting) {
		boolean incremental = options != null && SyncRun.INCREMENTAL.equals(options.get(SyncRun.MODE));
		return waiting.retrying() && !dryRun && !incremental;
	}

	private void supersede(SyncRun waiting, UUID by, Actor actor) {
		int updated = this.jdbc.sql("""
				update sync_run set status = :status, finished_at = now(), next_attempt_at = null,
				    decided_by = :by
				where id = :id and status in (:from)
				""")
			.param("status", RunStatus.SUPERSEDED.value())
			.param("from", RunStatus.leadingTo(RunStatus.SUPERSEDED))
			.param("by", actor.label() + " (run " + by + ")")
			.param("id", waiting.id())
			.update();
		if (updated == 0) {
			// Its next attempt began in between: the new run waits for it like any other.
			throw busy(waiting.source(), find(waiting.id()).orElse(waiting));
		}
		this.audit.record(waiting.companyId(), actor, "sync_run", waiting.id(), "superseded",
				Map.of("by", new FieldChange(null, by.toString())));
		this.events
			.publishEvent(new SyncRunEnded(waiting.id(), waiting.companyId(), waiting.source(), RunStatus.SUPERSEDED));
	}

	@Transactional(readOnly = true)
	public SyncRun get(UUID companyId, UUID id) {
		return find(id).filter(run -> run.companyId().equals(companyId))
			.orElseThrow(() -> RequestRejectedException.notFound("Sync run " + id));
	}

	@Transactional(readOnly = true)
	public Optional<SyncRun> find(UUID id) {
		return this.jdbc.sql("select * from sync_run where id = :id").param("id", id).query(this::run).optional();
	}

	@Transactional(readOnly = true)
	public Optional<SyncRun> active(UUID companyId, String source) {
		return this.jdbc
			.sql("select * from sync_run where company_id = :company and source = :source and status in " + ACTIVE)
			.param("company", companyId)
			.param("source", source)
			.query(this::run)
			.optional();
	}

	/** Newest first; {@code source} null for every source. */
	@Transactional(readOnly = true)
	public List<SyncRun> history(UUID companyId, String source, int limit) {
		return this.jdbc
			.sql("""
					select * from sync_run where company_id = :company and (cast(:source as text) is null or source = :source)
					order by created_at desc limit :limit
					""")
			.param("company", companyId)
			.param("source", source)
			.param("limit", limit)
			.query(this::run)
			.list();
	}

	/** The plan in order, a page at a time: items after {@code afterSeq}; {@code kind} null for every kind. */
	@Transactional(readOnly = true)
	public List<PlanItem> plan(UUID companyId, UUID runId, PlanKind kind, int afterSeq, int limit) {
		get(companyId, runId);
		return this.jdbc.sql("""
				select * from sync_plan_item where run_id = :run and seq > :after
				  and (cast(:kind as text) is null or kind = :kind)
				order by seq limit :limit
				""")
			.param("run", runId)
			.param("after", afterSeq)
			.param("kind", kind == null ? null : kind.value())
			.param("limit", limit)
			.query((rs, n) -> new PlanItem(rs.getInt("seq"), PlanKind.of(rs.getString("kind")),
					rs.getString("external_id"),
					rs.getObject("person_id", UUID.class), rs.getString("label"),
					this.json.readValue(rs.getString("changes"), CHANGES),
					rs.getString("apply_error") != null ? rs.getString("apply_error") : rs.getString("message"),
					rs.getBoolean("applied")))
			.list();
	}

	/**
	 * Adds a source's newer changes to its incremental run that waits to retry, so that the next attempt brings them
	 * in too; false when that run cannot take them any more (it is being tried, was replaced, or its plan was made
	 * and is being applied): then they wait for the next run.
	 *
	 * @param merge the waiting run's options to the folded ones
	 * @param changes how many of the provider's changes the newer ones are
	 */
	@Transactional
	public boolean fold(UUID runId, java.util.function.UnaryOperator<Map<String, Object>> merge, long changes) {
		Optional<SyncRun> waiting = this.jdbc.sql("""
				select * from sync_run where id = :id and status = :retrying and not resume_apply for update
				""").param("id", runId).param("retrying", RunStatus.RETRYING.value()).query(this::run).optional();
		if (waiting.isEmpty() || !waiting.get().incremental()) {
			return false;
		}
		Map<String, Object> merged = SyncRun.counting(merge.apply(waiting.get().options()),
				waiting.get().changesWaiting() + changes);
		this.jdbc.sql("update sync_run set options = cast(:options as jsonb) where id = :id")
			.param("options", this.json.writeValueAsString(merged))
			.param("id", runId)
			.update();
		return true;
	}

	/** A held run goes on: its deactivations and everything else in its plan are applied. */
	@Transactional
	public SyncRun approve(UUID companyId, UUID runId, Actor actor) {
		SyncRun run = requireHeld(companyId, runId);
		this.jdbc.sql("update sync_run set status = :status, decided_by = :by where id = :id and status = :held")
			.param("status", run.status().to(RunStatus.APPLYING).value())
			.param("held", RunStatus.HELD.value())
			.param("by", actor.label())
			.param("id", runId)
			.update();
		this.audit.record(companyId, actor, "sync_run", runId, "approved", Map.of());
		this.jobs.schedule(run.id());
		return get(companyId, runId);
	}

	/**
	 * A held run is dropped: nothing of its plan is applied. So is a run waiting to retry: what it had not applied yet
	 * is given up (the admin's decision, in the audit), and the next full sync brings the directory back in step.
	 */
	@Transactional
	public SyncRun discard(UUID companyId, UUID runId, Actor actor) {
		SyncRun found = get(companyId, runId);
		SyncRun held = found.retrying() ? found : requireHeld(found);
		int updated = this.jdbc.sql("""
				update sync_run set status = :status, decided_by = :by, finished_at = now(), next_attempt_at = null
				where id = :id and status in (:from)
				""")
			.param("status", held.status().to(RunStatus.DISCARDED).value())
			.param("from", RunStatus.leadingTo(RunStatus.DISCARDED))
			.param("by", actor.label())
			.param("id", runId)
			.update();
		if (updated == 0) {
			throw RequestRejectedException.conflict(null, "The run has just been tried again; look at it once more");
		}
		this.audit.record(companyId, actor, "sync_run", runId, "discarded", Map.of());
		this.events.publishEvent(new SyncRunEnded(runId, companyId, held.source(), RunStatus.DISCARDED));
		return get(companyId, runId);
	}

	/**
	 * The people the company's syncs deactivated since {@code since}, from every source, or since the last held run
	 * an admin approved, if later: what the safety hold adds to a run's own deactivations, so that a mass departure cut
	 * into runs each under the threshold is held all the same. The runs' planned counts are taken for what they
	 * applied (a run succeeds only once every item is applied or reported). Runs created more than a week before
	 * {@code since} are not read: the company's index is by creation, and change-driven runs are many.
	 */
	public int deactivatedSince(UUID companyId, Instant since) {
		return this.jdbc
			.sql("""
					select coalesce(sum((counts ->> 'deactivate')::int), 0) from sync_run
					where company_id = :company and created_at > cast(:since as timestamptz) - interval '7 days' and status = :succeeded
					  and finished_at > greatest(:since,
					    coalesce((select max(finished_at) from sync_run where company_id = :company
					              and created_at > cast(:since as timestamptz) - interval '7 days' and status = :succeeded
					              and hold_reason is not null and decided_by is not null), :since))
					""")
			.param("company", companyId)
			.param("succeeded", RunStatus.SUCCEEDED.value())
			.param("since", java.sql.Timestamp.from(since))
			.query(Integer.class)
			.single();
	}

	/**
	 * What keeps the source's changes from coming in, if anything: its run that failed and is retried (waiting or
	 * being tried), or its latest (not dry) run failed for good. Empty while its runs succeed.
	 */
	@Transactional(readOnly = true)
	public Optional<SyncProblem> problem(UUID companyId, String source) {
		return this.jdbc.sql("""
				select * from sync_run where company_id = :company and source = :source and not dry_run
				  and status <> :superseded
				order by created_at desc limit 1
				""")
			.param("superseded", RunStatus.SUPERSEDED.value())
			.param("company", companyId)
			.param("source", source)
			.query(this::run)
			.optional()
			// Also while a failed run is being tried again: until an attempt succeeds, the problem lasts.
			.filter(run -> run.status() == RunStatus.FAILED || (!run.finished() && run.attempts() > 0))
			.map(run -> new SyncProblem(run.id(), run.error(), run.failingSince() != null ? run.failingSince()
					: run.finishedAt(), run.attempts(), !run.finished(), run.retrying() ? run.nextAttemptAt() : null));
	}

	/** The provider's changes of this company and source that are in a run that has not succeeded yet. */
	@Transactional(readOnly = true)
	public int changesInRuns(UUID companyId, String source) {
		return active(companyId, source).map(SyncRun::changesWaiting).orElse(0);
	}

	/** Over every company: the provider's changes in runs that have not succeeded yet, by source. */
	@Transactional(readOnly = true)
	public Map<String, Long> changesInRuns() {
		Map<String, Long> bySource = new java.util.HashMap<>();
		this.jdbc.sql("""
				select source, sum(coalesce((options ->> 'changes')::bigint, 0)) from sync_run
				where status in %s
				group by source
				""".formatted(ACTIVE)).query(rs -> {
			bySource.put(rs.getString(1), rs.getLong(2));
		});
		return bySource;
	}

	/** When a (not dry) run of this source last succeeded; null when none has. */
	@Transactional(readOnly = true)
	public Instant lastSucceededAt(UUID companyId, String source) {
		return this.jdbc.sql("""
				select max(finished_at) from sync_run
				where company_id = :company and source = :source and status = :succeeded and not dry_run
				""")
			.param("succeeded", RunStatus.SUCCEEDED.value())
			.param("company", companyId)
			.param("source", source)
			.query((rs, n) -> rs.getTimestamp(1) == null ? null : rs.getTimestamp(1).toInstant())
			.optional()
			.orElse(null);
	}

	/** Over every company: runs that failed and wait to be tried again. */
	@Transactional(readOnly = true)
	public long retryingCount() {
		return this.jdbc.sql("select count(*) from sync_run where status = :retrying")
			.param("retrying", RunStatus.RETRYING.value())
			.query(Long.class)
			.single();
	}

	private SyncRun requireHeld(UUID companyId, UUID runId) {
		return requireHeld(get(companyId, runId));
	}

	private static SyncRun requireHeld(SyncRun run) {
		if (!run.held()) {
			throw RequestRejectedException.conflict(null,
					"Only a run waiting for approval can be approved or discarded; this one is "
							+ run.status().value());
		}
		return run;
	}

	SyncRun run(ResultSet rs, int row) throws SQLException {
		return new SyncRun(rs.getObject("id", UUID.class), rs.getObject("company_id", UUID.class),
				rs.getString("source"), rs.getBoolean("dry_run"), RunStatus.of(rs.getString("status")),
				rs.getString("requested_by"),
				rs.getObject("input_id", UUID.class), this.json.readValue(rs.getString("options"), OBJECT),
				this.json.readValue(rs.getString("counts"), COUNTS), rs.getInt("total"), rs.getInt("done"),
				rs.getString("error"), rs.getString("hold_reason"), rs.getString("decided_by"),
				instant(rs, "created_at"), instant(rs, "started_at"), instant(rs, "finished_at"), rs.getInt("attempts"),
				instant(rs, "next_attempt_at"), instant(rs, "failing_since"));
	}

	private static java.time.Instant instant(ResultSet rs, String column) throws SQLException {
		java.sql.Timestamp value = rs.getTimestamp(column);
		return value == null ? null : value.toInstant();
	}

}
