package io.rollcall.events;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.rollcall.platform.BatchedDeletes;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The webhook_delivery table: one row per event sent to an endpoint. Rows of a batch are written in one statement;
 * only the few that failed or wait are updated afterwards. A subject with a {@code pending} or {@code queued} row
 * holds its later events back: they are {@code queued}, and the oldest becomes {@code pending} when the one before
 * it is delivered or given up.
 */
@Repository
class WebhookDeliveries {

	static final String DELIVERED = "delivered";

	static final String PENDING = "pending";

	static final String QUEUED = "queued";

	static final String FAILED = "failed";

	private final JdbcClient jdbc;

	WebhookDeliveries(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A row to write; {@code eventId} and {@code position} null for a test event, which keeps its {@code body}. */
	record Row(UUID endpointId, Long eventId, Long position, String eventType, UUID subjectId, String body,
			String status,
			int attempts, Integer httpStatus, Integer latencyMs, String answer, Instant createdAt,
			Instant lastAttemptAt,
			Instant nextAttemptAt) {
	}

	/** A row to send now: the oldest waiting event of its subject, due. */
	record Due(long id, Long eventId, String eventType, UUID subjectId, String body, int attempts, Instant createdAt) {
	}

	void insert(List<Row> rows) {
		if (rows.isEmpty()) {
			return;
		}
		int n = rows.size();
		UUID[] endpoints = new UUID[n];
		Long[] events = new Long[n];
		Long[] positions = new Long[n];
		String[] types = new String[n];
		UUID[] subjects = new UUID[n];
		String[] bodies = new String[n];
		String[] statuses = new String[n];
		Integer[] attempts = new Integer[n];
		Integer[] httpStatuses = new Integer[n];
		Integer[] latencies = new Integer[n];
		String[] answers = new String[n];
		Timestamp[] created = new Timestamp[n];
		Timestamp[] tried = new Timestamp[n];
		Timestamp[] next = new Timestamp[n];
		for (int i = 0; i < n; i++) {
			Row row = rows.get(i);
			endpoints[i] = row.endpointId();
			events[i] = row.eventId();
			positions[i] = row.position();
			types[i] = row.eventType();
			subjects[i] = row.subjectId();
			bodies[i] = row.body();
			statuses[i] = row.status();
			attempts[i] = row.attempts();
			httpStatuses[i] = row.httpStatus();
			latencies[i] = row.latencyMs();
			answers[i] = row.answer();
			created[i] = timestamp(row.createdAt());
			tried[i] = timestamp(row.lastAttemptAt());
			next[i] = timestamp(row.nextAttemptAt());
		}
		this.jdbc
			.sql("""
					insert into webhook_delivery (endpoint_id, event_id, position, event_type, subject_id, body, status, attempts,
					                              http_status, latency_ms, answer, created_at, last_attempt_at, next_attempt_at)
					select * from unnest(cast(:endpoints as uuid[]), cast(:events as bigint[]), cast(:positions as bigint[]),
					                     cast(:types as text[]), cast(:subjects as uuid[]), cast(:bodies as text[]),
					                     cast(:statuses as text[]), cast(:attempts as smallint[]), cast(:httpStatuses as smallint[]),
					                     cast(:latencies as integer[]), cast(:answers as text[]), cast(:created as timestamptz[]),
					                     cast(:tried as timestamptz[]), cast(:next as timestamptz[]))
					""")
			.param("endpoints", endpoints)
			.param("events", events)
			.param("positions", positions)
			.param("types", types)
			.param("subjects", subjects)
			.param("bodies", bodies)
			.param("statuses", statuses)
			.param("attempts", attempts)
			.param("httpStatuses", httpStatuses)
			.param("latencies", latencies)
			.param("answers", answers)
			.param("created", created)
			.param("tried", tried)
			.param("next", next)
			.update();
	}

	/** Records a test event's one attempt; returns the delivery. */
	WebhookDelivery recordTest(UUID endpointId, String eventType, String body, WebhookSender.Attempt attempt,
			Instant at) {
		long id = this.jdbc.sql("""
				insert into webhook_delivery (endpoint_id, event_type, subject_id, body, status, attempts, http_status,
				                              latency_ms, answer, created_at, last_attempt_at)
				values (:endpoint, :type, :endpoint, :body, :status, 1, :http, :latency, :answer, :at, :at)
				returning id
				""")
			.param("endpoint", endpointId)
			.param("type", eventType)
			.param("body", body)
			.param("status", attempt.delivered() ? DELIVERED : FAILED)
			.param("http", attempt.status())
			.param("latency", attempt.latencyMs())
			.param("answer", attempt.answer())
			.param("at", timestamp(at))
			.query(Long.class)
			.single();
		return find(endpointId, id).orElseThrow();
	}

	/** Those of {@code subjects} that have an event still waiting at this endpoint. */
	Set<UUID> waitingSubjects(UUID endpointId, Set<UUID> subjects) {
		if (subjects.isEmpty()) {
			return Set.of();
		}
		return new HashSet<>(this.jdbc.sql("""
				select distinct subject_id from webhook_delivery
				where endpoint_id = :endpoint and status in ('pending', 'queued') and subject_id = any(:subjects)
				""")
			.param("endpoint", endpointId)
			.param("subjects", subjects.toArray(UUID[]::new))
			.query(UUID.class)
			.list());
	}

	List<Due> due(UUID endpointId, Instant now, int limit) {
		return this.jdbc.sql("""
				select id, event_id, event_type, subject_id, body, attempts, created_at from webhook_delivery
				where endpoint_id = :endpoint and status = 'pending' and next_attempt_at <= :now
				order by next_attempt_at, id
				limit :limit
				""")
			.param("endpoint", endpointId)
			.param("now", timestamp(now))
			.param("limit", limit)
			.query((rs, n) -> new Due(rs.getLong("id"), (Long) rs.getObject("event_id"), rs.getString("event_type"),
					rs.getObject("subject_id", UUID.class), rs.getString("body"), rs.getInt("attempts"),
					rs.getTimestamp("created_at").toInstant()))
			.list();
	}

	void recordAttempt(long id, String status, int attempts, Integer httpStatus, Integer latencyMs, String answer,
			Instant at, Instant next) {
		this.jdbc
			.sql("""
					update webhook_delivery set status = :status, attempts = :attempts, http_status = :http, latency_ms = :latency,
					    answer = :answer, last_attempt_at = :at, next_attempt_at = :next
					where id = :id
					""")
			.param("id", id)
			.param("status", status)
			.param("attempts", attempts)
			.param("http", httpStatus)
			.param("latency", latencyMs)
			.param("answer", answer)
			.param("at", timestamp(at))
			.param("next", timestamp(next))
			.update();
	}

	/** Puts off a due delivery that was not tried, keeping what its last attempt got. */
	void postpone(long id, Instant next) {
		this.jdbc.sql("update webhook_delivery set next_attempt_at = :next where id = :id")
			.param("id", id)
			.param("next", timestamp(next))
			.update();
	}

	/**
	 * Makes due the oldest queued event of each subject that has none pending (of {@code subjects} only, or of every
	 * subject when null); events without a subject wait for nothing.
	 */
	void releaseNext(UUID endpointId, Set<UUID> subjects, Instant now) {
		if (subjects != null && subjects.isEmpty()) {
			return;
		}
		this.jdbc.sql("""
				update webhook_delivery set status = 'pending', next_attempt_at = :now
				where id in (
				    select distinct on (coalesce(q.subject_id::text, q.id::text)) q.id
				    from webhook_delivery q
				    where q.endpoint_id = :endpoint and q.status = 'queued'
				      and (cast(:all as boolean) or q.subject_id = any(:subjects))
				      and (q.subject_id is null or not exists (
				          select 1 from webhook_delivery p
				          where p.endpoint_id = q.endpoint_id and p.subject_id = q.subject_id and p.status = 'pending'))
				    order by coalesce(q.subject_id::text, q.id::text), q.position, q.id)
				""")
			.param("endpoint", endpointId)
			.param("all", subjects == null)
			.param("subjects", subjects == null ? new UUID[0] : subjects.toArray(UUID[]::new))
			.param("now", timestamp(now))
			.update();
	}

	/** The endpoint's deliveries, newest first, before the one with id {@code before} (null: from the newest). */
	List<WebhookDelivery> list(UUID endpointId, Long before, int limit) {
		return this.jdbc.sql("""
				select * from webhook_delivery
				where endpoint_id = :endpoint and (cast(:before as bigint) is null or id < :before)
				order by id desc
				limit :limit
				""")
			.param("endpoint", endpointId)
			.param("before", before)
			.param("limit", limit)
			.query(this::delivery)
			.list();
	}

	java.util.Optional<WebhookDelivery> find(UUID endpointId, long id) {
		return this.jdbc.sql("select * from webhook_delivery where endpoint_id = :endpoint and id = :id")
			.param("endpoint", endpointId)
			.param("id", id)
			.query(this::delivery)
			.optional();
	}

	/** Sends the event of a delivery again, after what its subject is still waiting for; returns the new row's id. */
	long replay(UUID endpointId, long deliveryId, Instant now) {
		Long id = this.jdbc
			.sql("""
					insert into webhook_delivery (endpoint_id, event_id, position, event_type, subject_id, body, status, created_at)
					select endpoint_id, event_id, position, event_type, subject_id, body, 'queued', :now
					from webhook_delivery where endpoint_id = :endpoint and id = :id
					returning id
					""")
			.param("endpoint", endpointId)
			.param("id", deliveryId)
			.param("now", timestamp(now))
			.query(Long.class)
			.single();
		releaseNext(endpointId, null, now);
		return id;
	}

	/** Sends again every event of the company the endpoint wants that happened in [from, to); returns how many. */
	int replayRange(UUID endpointId, UUID companyId, EventTypes types, Instant from, Instant to, Instant now,
			int most) {
		int count = this.jdbc
			.sql("""
					insert into webhook_delivery (endpoint_id, event_id, position, event_type, subject_id, status, created_at)
					select :endpoint, id, position, type, subject_id, 'queued', :now
					from domain_event
					where company_id = :company and position is not null and at >= :from and at < :to and type <> 'webhook.test'
					  and (cast(:filtered as boolean) = false or type = any(cast(:exact as text[]))
					       or exists (select 1 from unnest(cast(:prefixes as text[])) p where starts_with(type, p)))
					order by position
					limit :most
					""")
			.param("endpoint", endpointId)
			.param("company", companyId)
			.param("from", timestamp(from))
			.param("to", timestamp(to))
			.param("now", timestamp(now))
			.param("filtered", !types.all())
			.param("exact", types.exact().toArray(String[]::new))
			.param("prefixes", types.prefixes().toArray(String[]::new))
			.param("most", most)
			.update();
		releaseNext(endpointId, null, now);
		return count;
	}

	/** Deletes delivered and given-up deliveries made before {@code cutoff}, a slice at a time; returns how many. */
	int forget(Instant cutoff) {
		return (int) BatchedDeletes.untilDone(10_000, batch -> this.jdbc.sql("""
				delete from webhook_delivery where id in (
				    select id from webhook_delivery
				    where created_at < :cutoff and status in ('delivered', 'failed') limit :batch)
				""")
			.param("cutoff", timestamp(cutoff))
			.param("batch", batch)
			.update());
	}

	private WebhookDelivery delivery(ResultSet rs, int row) throws SQLException {
		Long eventId = (Long) rs.getObject("event_id");
		return new WebhookDelivery(rs.getLong("id"),
				eventId == null ? testEventId(rs.getString("body")) : "evt_" + eventId,
				rs.getString("event_type"), rs.getObject("subject_id", UUID.class), rs.getString("status"),
				rs.getInt("attempts"), (Integer) rs.getObject("http_status", Integer.class),
				(Integer) rs.getObject("latency_ms", Integer.class), rs.getString("answer"), instant(rs, "created_at"),
				instant(rs, "last_attempt_at"), instant(rs, "next_attempt_at"));
	}

	/** A test event's id, read from its kept body ({"id":"evt_test_..." comes first}). */
	private static String testEventId(String body) {
		if (body == null) {
			return null;
		}
		java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
		return matcher.find() ? matcher.group(1) : null;
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp value = rs.getTimestamp(column);
		return value == null ? null : value.toInstant();
	}

	private static Timestamp timestamp(Instant instant) {
		return instant == null ? null : Timestamp.from(instant);
	}

}
