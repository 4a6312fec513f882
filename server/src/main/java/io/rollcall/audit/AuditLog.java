package io.rollcall.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.rollcall.platform.Actor;
import io.rollcall.platform.CopyRows;
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

	private final List<AuditListener> listeners;

	private final DataSource dataSource;

	AuditLog(JdbcClient jdbc, ObjectMapper json, List<AuditListener> listeners, DataSource dataSource) {
		this.jdbc = jdbc;
		this.dataSource = dataSource;
		this.json = json;
		this.listeners = List.copyOf(listeners);
	}

	@Transactional(propagation = Propagation.MANDATORY)
	public void record(UUID companyId, Actor actor, String subjectType, UUID subjectId, String action,
			Map<String, FieldChange> changes) {
		recordAll(List.of(new AuditRecord(companyId, actor, subjectType, subjectId, action, changes, null)));
	}

	/**
	 * Many entries in one statement whatever their number, in order: a push (SCIM, a notification) pays one round
	 * trip, a sync run's chunk of 500 one statement.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void recordAll(List<AuditRecord> records) {
		if (records.isEmpty()) {
			return;
		}
		// Serialised once: the events outbox writes the same changes for most of them (a person created).
		String[] changes = new String[records.size()];
		for (int i = 0; i < changes.length; i++) {
			changes[i] = this.json.writeValueAsString(records.get(i).changes());
		}
		if (records.size() >= CopyRows.WORTH_IT) {
			copy(records, changes);
		}
		else {
			insert(records, changes);
		}
		List<String> changesJson = Arrays.asList(changes);
		for (AuditListener listener : this.listeners) {
			listener.recorded(records, changesJson);
		}
	}

	/** A sync's chunk: copied in, without quoting every value into an array literal and parsing it back. */
	private void copy(List<AuditRecord> records, String[] changes) {
		CopyRows.write(this.dataSource, "audit_entry",
				"company_id, actor_type, actor_id, actor_label, subject_type, subject_id, action, changes", rows -> {
					for (int i = 0; i < changes.length; i++) {
						AuditRecord r = records.get(i);
						rows.add(r.companyId())
							.add(r.actor().type().json())
							.add(r.actor().id())
							.add(r.actor().label())
							.add(r.subjectType())
							.add(r.subjectId())
							.add(r.action())
							.add(changes[i]);
					}
				});
	}

	private void insert(List<AuditRecord> records, String[] changes) {
		this.jdbc
			.sql("""
					insert into audit_entry (company_id, actor_type, actor_id, actor_label, subject_type, subject_id, action, changes)
					select e.company_id, e.actor_type, e.actor_id, e.actor_label, e.subject_type, e.subject_id, e.action,
					       cast(e.changes as jsonb)
					from unnest(cast(:companies as uuid[]), cast(:actorTypes as text[]), cast(:actorIds as text[]),
					            cast(:actorLabels as text[]), cast(:subjectTypes as text[]), cast(:subjects as uuid[]),
					            cast(:actions as text[]), cast(:changes as text[]))
					     with ordinality as e(company_id, actor_type, actor_id, actor_label, subject_type, subject_id, action, changes, n)
					order by e.n
					""")
			.param("companies", records.stream().map(AuditRecord::companyId).toArray(UUID[]::new))
			.param("actorTypes", records.stream().map(r -> r.actor().type().json()).toArray(String[]::new))
			.param("actorIds", records.stream().map(r -> r.actor().id()).toArray(String[]::new))
			.param("actorLabels", records.stream().map(r -> r.actor().label()).toArray(String[]::new))
			.param("subjectTypes", records.stream().map(AuditRecord::subjectType).toArray(String[]::new))
			.param("subjects", records.stream().map(AuditRecord::subjectId).toArray(UUID[]::new))
			.param("actions", records.stream().map(AuditRecord::action).toArray(String[]::new))
			.param("changes", changes)
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
