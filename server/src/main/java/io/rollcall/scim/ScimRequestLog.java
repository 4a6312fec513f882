package io.rollcall.scim;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The last requests of each company's SCIM clients, so an admin can see why a push failed. Only failed requests
 * keep their body, and then with every value masked except the structure words (op, path, schemas, type...).
 */
@Component
class ScimRequestLog {

	static final int KEPT = 1000;

	/** Keys whose values say what a request does, not who it is about. */
	private static final Set<String> SHOWN = Set.of("op", "path", "schemas", "type", "primary", "active", "resourcetype");

	private final JdbcClient jdbc;

	private final ObjectMapper json;

	private final TransactionTemplate transaction;

	ScimRequestLog(JdbcClient jdbc, ObjectMapper json, TransactionTemplate transaction) {
		this.jdbc = jdbc;
		this.json = json;
		this.transaction = transaction;
	}

	/**
	 * One row, committed without waiting for the disk: losing the last log rows in a crash is acceptable, an fsync
	 * on every SCIM request (lookups included) is not.
	 */
	void record(UUID companyId, String method, String path, int status, long millis, String detail, String body) {
		this.transaction.executeWithoutResult(tx -> insert(companyId, method, path, status, millis, detail, body));
	}

	private void insert(UUID companyId, String method, String path, int status, long millis, String detail,
			String body) {
		this.jdbc.sql("set local synchronous_commit to off").update();
		this.jdbc.sql("""
				insert into scim_request_log (company_id, method, path, status, millis, detail, body)
				values (:company, :method, :path, :status, :millis, :detail, :body)
				""")
			.param("company", companyId)
			.param("method", method)
			.param("path", truncate(path, 2000))
			.param("status", status)
			.param("millis", (int) Math.min(millis, Integer.MAX_VALUE))
			.param("detail", truncate(detail, 2000))
			.param("body", status >= 400 ? truncate(mask(body), 4000) : null)
			.update();
		// Trimmed now and then rather than on every request: the table stays near KEPT rows per company.
		if (ThreadLocalRandom.current().nextInt(50) == 0) {
			this.jdbc.sql("""
					delete from scim_request_log where company_id = :company and id <= (
					    select id from scim_request_log where company_id = :company order by id desc offset :kept limit 1)
					""").param("company", companyId).param("kept", KEPT).update();
		}
	}

	List<ScimAdministration.Request> list(UUID companyId, int limit) {
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
		if (node.isNull() || node.isBoolean() || (key != null && SHOWN.contains(key.toLowerCase(java.util.Locale.ROOT)))) {
			return node;
		}
		return ScimJson.NODES.stringNode("***");
	}

	private static String truncate(String text, int max) {
		return text == null || text.length() <= max ? text : text.substring(0, max) + "…";
	}

}
