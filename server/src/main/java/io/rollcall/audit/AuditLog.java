package io.rollcall.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import io.rollcall.platform.Actor;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Records and reads the history. {@link #record} joins the caller's transaction, so a change and its entry
 * are committed together or not at all.
 */
@Service
public class AuditLog {

	private static final TypeReference<Map<String, FieldChange>> CHANGES = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final ObjectMapper json;

	AuditLog(JdbcClient jdbc, ObjectMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	@Transactional(propagation = Propagation.MANDATORY)
	public void record(UUID companyId, Actor actor, String subjectType, UUID subjectId, String action,
			Map<String, FieldChange> changes) {
		Objects.requireNonNull(companyId, "companyId cannot be null");
		this.jdbc.sql("""
				insert into audit_entry (company_id, actor_type, actor_id, actor_label, subject_type, subject_id, action, changes)
				values (:company, :actorType, :actorId, :actorLabel, :subjectType, :subjectId, :action, cast(:changes as jsonb))
				""")
			.param("company", companyId)
			.param("actorType", actor.type().name().toLowerCase(java.util.Locale.ROOT))
			.param("actorId", actor.id())
			.param("actorLabel", actor.label())
			.param("subjectType", subjectType)
			.param("subjectId", subjectId)
			.param("action", action)
			.param("changes", this.json.writeValueAsString(changes == null ? Map.of() : changes))
			.update();
	}

	/**
	 * Newest first. {@code before} is the id of the last entry of the previous page (a cursor), null for the
	 * first page; {@code subjectId} narrows to one person or team.
	 */
	@Transactional(readOnly = true)
	public List<AuditEntry> list(UUID companyId, UUID subjectId, Long before, int limit) {
		return this.jdbc.sql("""
				select * from audit_entry
				where company_id = :company
				  and (cast(:subject as uuid) is null or subject_id = :subject)
				  and (cast(:before as bigint) is null or id < :before)
				order by id desc
				limit :limit
				""")
			.param("company", companyId)
			.param("subject", subjectId)
			.param("before", before)
			.param("limit", limit)
			.query(this::entry)
			.list();
	}

	private AuditEntry entry(ResultSet rs, int row) throws SQLException {
		Actor.Type type = Actor.Type.valueOf(rs.getString("actor_type").toUpperCase(java.util.Locale.ROOT));
		Map<String, FieldChange> changes = this.json.readValue(rs.getString("changes"), CHANGES);
		return new AuditEntry(rs.getLong("id"), rs.getTimestamp("at").toInstant(),
				new Actor(type, rs.getString("actor_id"), rs.getString("actor_label")), rs.getString("subject_type"),
				rs.getObject("subject_id", UUID.class), rs.getString("action"), new LinkedHashMap<>(changes));
	}

}
