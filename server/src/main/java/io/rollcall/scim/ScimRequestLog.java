package io.rollcall.scim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.rollcall.platform.QueueWorker;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The last requests of each company's SCIM clients, so an admin can see why a push failed. Only failed requests
 * keep their body, and then with every value masked except the structure words (op, path, schemas, type...).
 */
@Component
class ScimRequestLog implements SmartLifecycle {

	static final int KEPT = 1000;

	/** How long a row may wait in memory for others to share its transaction; the console's read flushes first. */
	static final Duration GATHER = Duration.ofMillis(100);

	/** Keys whose values say what a request does, not who it is about. */
	private static final Set<String> SHOWN = Set.of("op", "path", "schemas", "type", "primary", "active",
			"resourcetype");

	private final JdbcClient jdbc;

	private final JdbcTemplate jdbcTemplate;

	private final ObjectMapper json;

	private final TransactionTemplate transaction;

	ScimRequestLog(JdbcClient jdbc, JdbcTemplate jdbcTemplate, ObjectMapper json, TransactionTemplate transaction) {
		this.jdbc = jdbc;
		this.jdbcTemplate = jdbcTemplate;
		this.json = json;
		this.transaction = transaction;
	}

	private record Row(UUID companyId, String method, String path, int status, int millis, String detail,
			String body) {
	}

	/** Rows not written yet; bounded so a stuck database cannot fill the heap (then requests write their own). */
	private final BlockingQueue<Row> waiting = new LinkedBlockingQueue<>(10_000);

	/** Rows taken from {@link #waiting} and not yet committed, so a reader can wait for them. */
	private final AtomicInteger unwritten = new AtomicInteger();

	/**
	 * Commits the queued rows in batches, woken by a new row and then gathering for {@link #GATHER}: woken at once, it
	 * wrote a transaction of one row for four requests in five (bench/RESULTS.md, 2026-12-06, fourteenth session).
	 */
	private final QueueWorker writer = new QueueWorker("scim-request-log", Duration.ofSeconds(1), GATHER,
			this::writeQueued);

	/**
	 * Queues one row. The writer commits the queued rows in batches without waiting for the disk: losing the last
	 * log rows in a crash is acceptable, a transaction (let alone an fsync) on every SCIM request is not.
	 */
	void record(UUID companyId, String method, String path, int status, long millis, String detail, String body) {
		Row row = new Row(companyId, method, truncate(path, 2000), status, (int) Math.min(millis, Integer.MAX_VALUE),
				truncate(detail, 2000), status >= 400 ? truncate(mask(body), 4000) : null);
		this.unwritten.incrementAndGet();
		if (this.waiting.offer(row)) {
			this.writer.wake();
		}
		else {
			write(List.of(row));
		}
	}

	private void writeQueued() {
		List<Row> batch = new ArrayList<>();
		while (this.waiting.drainTo(batch, 1000) > 0) {
			write(batch);
			batch = new ArrayList<>();
		}
	}

	@Override
	public void start() {
		this.writer.start();
	}

	/** Writes what is queued before the application stops. */
	@Override
	public void stop() {
		this.writer.stop();
		flush();
	}

	@Override
	public boolean isRunning() {
		return this.writer.isRunning();
	}

	/** Writes every row queued so far; the console reads the log only after this, so it shows the last request. */
	void flush() {
		List<Row> rest = new ArrayList<>();
		this.waiting.drainTo(rest);
		if (!rest.isEmpty()) {
			write(rest);
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (this.unwritten.get() > 0 && System.nanoTime() < deadline) {
			Thread.onSpinWait();
			Thread.yield();
		}
	}

	private void write(List<Row> rows) {
		try {
			this.transaction.executeWithoutResult(tx -> insert(rows));
		}
		finally {
			this.unwritten.addAndGet(-rows.size());
		}
	}

	private void insert(List<Row> rows) {
		this.jdbc.sql("set local synchronous_commit to off").update();
		this.jdbcTemplate.batchUpdate("""
				insert into scim_request_log (company_id, method, path, status, millis, detail, body)
				values (?, ?, ?, ?, ?, ?, ?)
				""", rows, rows.size(), (statement, row) -> {
			statement.setObject(1, row.companyId());
			statement.setString(2, row.method());
			statement.setString(3, row.path());
			statement.setInt(4, row.status());
			statement.setInt(5, row.millis());
			statement.setString(6, row.detail());
			statement.setString(7, row.body());
		});
		// Trimmed about once per 500 rows rather than on every batch: the table stays near KEPT rows per company.
		for (UUID companyId : rows.stream().map(Row::companyId).distinct().toList()) {
			if (ThreadLocalRandom.current().nextInt(Math.max(1, 500 / rows.size())) == 0) {
				this.jdbc
					.sql("""
							delete from scim_request_log where company_id = :company and id <= (
							    select id from scim_request_log where company_id = :company order by id desc offset :kept limit 1)
							""")
					.param("company", companyId)
					.param("kept", KEPT)
					.update();
			}
		}
	}

	List<ScimAdministration.Request> list(UUID companyId, int limit) {
		flush();
		return this.jdbc.sql("select * from scim_request_log where company_id = :company order by id desc limit :limit")
			.param("company", companyId)
			.param("limit", limit)
			.query((rs, n) -> new ScimAdministration.Request(rs.getLong("id"), rs.getTimestamp("at").toInstant(),
					rs.getString("method"), rs.getString("path"), rs.getInt("status"), rs.getInt("millis"),
					rs.getString("detail"), rs.getString("body")))
			.list();
	}

	/** The body with names, e-mails, ids, tokens... replaced by "***"; unreadable bodies are not kept at all. */
	String mask(String body) {
		if (body == null || body.isBlank()) {
			return null;
		}
		try {
			JsonNode tree = this.json.readTree(body);
			return mask(tree, null).toString();
		}
		catch (RuntimeException ex) {
			return "(not JSON; " + body.length() + " characters, not kept)";
		}
	}

	private JsonNode mask(JsonNode node, String key) {
		if (node.isObject()) {
			ObjectNode masked = ScimJson.NODES.objectNode();
			for (Map.Entry<String, JsonNode> entry : node.properties()) {
				masked.set(entry.getKey(), mask(entry.getValue(), entry.getKey()));
			}
			return masked;
		}
		if (node.isArray()) {
			var masked = ScimJson.NODES.arrayNode();
			node.forEach(element -> masked.add(mask(element, key)));
			return masked;
		}
		if (node.isNull() || node.isBoolean()
				|| (key != null && SHOWN.contains(key.toLowerCase(java.util.Locale.ROOT)))) {
			return node;
		}
		return ScimJson.NODES.stringNode("***");
	}

	private static String truncate(String text, int max) {
		return text == null || text.length() <= max ? text : text.substring(0, max) + "…";
	}

}
