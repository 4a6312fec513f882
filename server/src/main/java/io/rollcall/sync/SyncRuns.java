package io.rollcall.sync;

import java.sql.ResultSet;
import java.sql.SQLException;
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
		active(companyId, source).ifPresent(active -> {
			throw busy(source, active);
		});
		UUID id = UUID.randomUUID();
		try {
			this.jdbc.sql("""
					insert into sync_run (id, company_id, source, dry_run, status, requested_by, input_id, options)
					values (:id, :company, :source, :dryRun, 'queued', :by, :input, cast(:options as jsonb))
					""")
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
			throw RequestRejectedException.conflict(null, "A " + source + " run has just been started; wait for it to finish");
		}
		this.audit.record(companyId, actor, "sync_run", id, dryRun ? "preview_requested" : "sync_requested",
				Map.of("source", new FieldChange(null, source)));
		this.jobs.schedule(id);
		return get(companyId, id);
	}

	private static RequestRejectedException busy(String source, SyncRun active) {
		return RequestRejectedException.conflict(null, "A " + source + " run (" + active.id() + ") is "
				+ ("held".equals(active.status()) ? "waiting for approval: approve or discard it first"
						: "already in progress: wait for it to finish"));
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
		return this.jdbc.sql("""
				select * from sync_run where company_id = :company and source = :source
				  and status in ('queued', 'planning', 'held', 'applying')
				""").param("company", companyId).param("source", source).query(this::run).optional();
	}

	/** Newest first; {@code source} null for every source. */
	@Transactional(readOnly = true)
	public List<SyncRun> history(UUID companyId, String source, int limit) {
		return this.jdbc.sql("""
				select * from sync_run where company_id = :company and (cast(:source as text) is null or source = :source)
				order by created_at desc limit :limit
				""").param("company", companyId).param("source", source).param("limit", limit).query(this::run).list();
	}

	/** The plan in order, a page at a time: items after {@code afterSeq}; {@code kind} null for every kind. */
	@Transactional(readOnly = true)
	public List<PlanItem> plan(UUID companyId, UUID runId, String kind, int afterSeq, int limit) {
		get(companyId, runId);
		return this.jdbc.sql("""
				select * from sync_plan_item where run_id = :run and seq > :after
				  and (cast(:kind as text) is null or kind = :kind)
				order by seq limit :limit
				""")
			.param("run", runId)
			.param("after", afterSeq)
			.param("kind", kind)
			.param("limit", limit)
			.query((rs, n) -> new PlanItem(rs.getInt("seq"), rs.getString("kind"), rs.getString("external_id"),
					rs.getObject("person_id", UUID.class), rs.getString("label"),
					this.json.readValue(rs.getString("changes"), CHANGES),
					rs.getString("apply_error") != null ? rs.getString("apply_error") : rs.getString("message"),
					rs.getBoolean("applied")))
			.list();
	}

	/** A held run goes on: its deactivations and everything else in its plan are applied. */
	@Transactional
	public SyncRun approve(UUID companyId, UUID runId, Actor actor) {
		SyncRun run = requireHeld(companyId, runId);
		this.jdbc.sql("update sync_run set status = 'applying', decided_by = :by where id = :id and status = 'held'")
			.param("by", actor.label())
			.param("id", runId)
			.update();
		this.audit.record(companyId, actor, "sync_run", runId, "approved", Map.of());
		this.jobs.schedule(run.id());
		return get(companyId, runId);
	}

	/** A held run is dropped: nothing of its plan is applied. */
	@Transactional
	public SyncRun discard(UUID companyId, UUID runId, Actor actor) {
		SyncRun held = requireHeld(companyId, runId);
		this.jdbc.sql("""
				update sync_run set status = 'discarded', decided_by = :by, finished_at = now() where id = :id and status = 'held'
				""").param("by", actor.label()).param("id", runId).update();
		this.audit.record(companyId, actor, "sync_run", runId, "discarded", Map.of());
		this.events.publishEvent(new SyncRunEnded(runId, companyId, held.source(), "discarded"));
		return get(companyId, runId);
	}

	private SyncRun requireHeld(UUID companyId, UUID runId) {
		SyncRun run = get(companyId, runId);
		if (!"held".equals(run.status())) {
			throw RequestRejectedException.conflict(null,
					"Only a run waiting for approval can be approved or discarded; this one is " + run.status());
		}
		return run;
	}

	SyncRun run(ResultSet rs, int row) throws SQLException {
		return new SyncRun(rs.getObject("id", UUID.class), rs.getObject("company_id", UUID.class),
				rs.getString("source"), rs.getBoolean("dry_run"), rs.getString("status"), rs.getString("requested_by"),
				rs.getObject("input_id", UUID.class), this.json.readValue(rs.getString("options"), OBJECT),
				this.json.readValue(rs.getString("counts"), COUNTS), rs.getInt("total"), rs.getInt("done"),
				rs.getString("error"), rs.getString("hold_reason"), rs.getString("decided_by"),
				instant(rs, "created_at"), instant(rs, "started_at"), instant(rs, "finished_at"));
	}

	private static java.time.Instant instant(ResultSet rs, String column) throws SQLException {
		java.sql.Timestamp value = rs.getTimestamp(column);
		return value == null ? null : value.toInstant();
	}

}
