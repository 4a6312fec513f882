package io.rollcall.directory;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import javax.sql.DataSource;

import io.rollcall.audit.AuditLog;
import io.rollcall.audit.AuditRecord;
import io.rollcall.audit.FieldChange;
import io.rollcall.platform.Actor;
import io.rollcall.platform.CopyRows;
import io.rollcall.platform.RequestRejectedException;
import tools.jackson.databind.ObjectMapper;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.util.Assert;

/**
 * Bulk writes for syncs: many people, teams and managers in a few batched statements, each change with its audit
 * entry (and so its events), in the caller's transaction. The checks happened when the plan was made; the database's
 * constraints (one e-mail per company, one identity per source) still guard every row.
 */
@Service
public class DirectoryBatch {

	private final JdbcClient jdbc;

	private final JdbcTemplate template;

	private final ObjectMapper json;

	private final AuditLog audit;

	private final DataSource dataSource;

	DirectoryBatch(JdbcClient jdbc, JdbcTemplate template, ObjectMapper json, AuditLog audit, DataSource dataSource) {
		this.jdbc = jdbc;
		this.template = template;
		this.json = json;
		this.audit = audit;
		this.dataSource = dataSource;
	}

	/** The ids of these teams by lower-case name, creating the missing ones (flat, no parent). */
	@Transactional(propagation = Propagation.MANDATORY)
	public Map<String, UUID> ensureTeams(UUID companyId, Collection<String> names, Actor actor, UUID runId) {
		Map<String, String> wanted = new LinkedHashMap<>();
		names.forEach(n -> wanted.putIfAbsent(n.toLowerCase(Locale.ROOT), n));
		Map<String, UUID> ids = teamIds(companyId, wanted.keySet());
		List<Object[]> inserts = new ArrayList<>();
		List<AuditRecord> audits = new ArrayList<>();
		for (Map.Entry<String, String> team : wanted.entrySet()) {
			if (!ids.containsKey(team.getKey())) {
				UUID id = UUID.randomUUID();
				inserts.add(new Object[] { id, companyId, team.getValue() });
				audits.add(new AuditRecord(companyId, actor, "team", id, "created",
						Map.of("name", new FieldChange(null, team.getValue())), runId));
			}
		}
		if (!inserts.isEmpty()) {
			this.template.batchUpdate("insert into team (id, company_id, name) values (?, ?, ?) on conflict do nothing",
					inserts);
			this.audit.recordAll(audits);
			ids = teamIds(companyId, wanted.keySet());
		}
		return ids;
	}

	/** Applies the writes in order of kind: creates and updates, then status changes, then managers. */
	@Transactional(propagation = Propagation.MANDATORY)
	public void apply(UUID companyId, String source, List<PersonWrite> writes, Map<String, UUID> teamIds, Actor actor,
			UUID runId) {
		List<AuditRecord> audits = new ArrayList<>();
		// A linked person may have an identity of this source already (replaced); a new person has none.
		List<Object[]> identities = new ArrayList<>();
		List<Object[]> newIdentities = new ArrayList<>();
		List<PersonWrite> creates = writes.stream().filter(w -> w.kind() == PersonWrite.Kind.CREATE).toList();
		if (!creates.isEmpty()) {
			insertPeople(companyId, creates, teamIds);
		}
		Map<UUID, UUID> primaryTeamsBefore = primaryTeams(companyId, writes);
		Map<String, List<Object[]>> updatesBySql = new LinkedHashMap<>();
		List<UUID> managed = new ArrayList<>();
		List<UUID> managers = new ArrayList<>();
		for (PersonWrite write : writes) {
			switch (write.kind()) {
				case CREATE, UPDATE, LINK -> {
					if (write.kind() != PersonWrite.Kind.CREATE) {
						addUpdate(updatesBySql, companyId, write, teamIds);
					}
					if (write.kind() != PersonWrite.Kind.UPDATE && write.externalId() != null) {
						(write.kind() == PersonWrite.Kind.CREATE ? newIdentities : identities)
							.add(new Object[] { companyId, write.personId(), source, write.externalId(),
									LinkedBy.SYNC.column() });
					}
					String action = switch (write.kind()) {
						case CREATE -> "created";
						case LINK -> "linked";
						default -> "updated";
					};
					Map<String, FieldChange> changes = new LinkedHashMap<>(write.changes());
					// A source names teams; the history and the events keep the team's id, as for a change by hand.
					FieldChange team = changes.remove("primaryTeam");
					if (team != null) {
						changes.put(PersonField.PRIMARY_TEAM.jsonName(), new FieldChange(
								primaryTeamsBefore.get(write.personId()),
								team.to() == null ? null : teamIds.get(team.to().toString().toLowerCase(Locale.ROOT))));
					}
					if (write.kind() == PersonWrite.Kind.CREATE) {
						changes.put("email", new FieldChange(null, write.email()));
					}
					// An adopted sign-in link says so (linkedBy sign-in → sync); its id was there already.
					if (write.kind() != PersonWrite.Kind.UPDATE && write.externalId() != null
							&& !changes.containsKey(LinkedBy.CHANGE)) {
						changes.put("externalIds." + source, new FieldChange(null, write.externalId()));
					}
					audits.add(new AuditRecord(companyId, actor, "person", write.personId(), action, changes, runId));
				}
				case DEACTIVATE, REACTIVATE -> {
					boolean deactivate = write.kind() == PersonWrite.Kind.DEACTIVATE;
					updatesBySql.computeIfAbsent(deactivate
							? "update person set status = 'deactivated', deactivated_at = now(), updated_at = now() where id = ? and company_id = ?"
							: "update person set status = 'active', deactivated_at = null, updated_at = now() where id = ? and company_id = ?",
							k -> new ArrayList<>())
						.add(new Object[] { write.personId(), companyId });
					audits.add(new AuditRecord(companyId, actor, "person", write.personId(),
							deactivate ? "deactivated" : "reactivated",
							Map.of("status", deactivate ? new FieldChange("active", "deactivated")
									: new FieldChange("deactivated", "active")),
							runId));
				}
				case MANAGER -> {
					FieldChange change = write.changes().get("overrideManagerId");
					managed.add(write.personId());
					managers
						.add(change == null || change.to() == null ? null : UUID.fromString(change.to().toString()));
					audits.add(new AuditRecord(companyId, actor, "person", write.personId(), "updated", write.changes(),
							runId));
				}
			}
		}
		updatesBySql.forEach(this.template::batchUpdate);
		if (!managed.isEmpty()) {
			// One statement for the whole chunk: manager links come by the thousand in a first sync.
			int linked = this.jdbc.sql("""
					update person p set override_manager_id = m.manager, updated_at = now()
					from unnest(:people, :managers) as m(person, manager)
					where p.id = m.person and p.company_id = :company
					""")
				.param("people", managed.toArray(new UUID[0]))
				.param("managers", managers.toArray(new UUID[0]))
				.param("company", companyId)
				.update();
			int people = new HashSet<>(managed).size();
			if (linked < people) {
				// A person whose creation failed (or who was deleted since the plan): recorded as linked, they would
				// have a history entry and a manager.changed event, and the plan an applied item, for nothing. The
				// chunk is then applied item by item, and only such people's links are reported.
				throw new RequestRejectedException(HttpStatus.CONFLICT, "overrideManagerId", people == 1
						? "The person is not in the directory (not created, or deleted since the plan); the manager was not set"
						: (people - linked) + " of " + people + " people are not in the directory; no manager was set");
			}
		}
		if (newIdentities.size() >= CopyRows.WORTH_IT) {
			// A first sync's people by the hundred: copied in, where the insert below is PostgreSQL's speculative
			// insertion for each row (a tenth of its statements' time in a 100,000-person sync).
			CopyRows.writeRows(this.dataSource, "person_identity",
					"company_id, person_id, source, external_id, linked_by", newIdentities);
		}
		else {
			identities.addAll(newIdentities);
		}
		if (!identities.isEmpty()) {
			this.template.batchUpdate("""
					insert into person_identity (company_id, person_id, source, external_id, linked_by)
					values (?, ?, ?, ?, ?)
					on conflict (person_id, source) do update
					set external_id = excluded.external_id, linked_at = now(), linked_by = excluded.linked_by
					""", identities);
		}
		List<UUID> deactivated = writes.stream()
			.filter(w -> w.kind() == PersonWrite.Kind.DEACTIVATE)
			.map(PersonWrite::personId)
			.toList();
		if (!deactivated.isEmpty()) {
			this.jdbc.sql(
					"update invitation set revoked_at = now() where person_id in (:ids) and used_at is null and revoked_at is null")
				.param("ids", deactivated)
				.update();
		}
		this.audit.recordAll(audits);
	}

	/** The primary team of each existing person whose team the writes change, read before they change it. */
	private Map<UUID, UUID> primaryTeams(UUID companyId, List<PersonWrite> writes) {
		List<UUID> moving = writes.stream()
			.filter(w -> w.kind() != PersonWrite.Kind.CREATE && w.changes().containsKey("primaryTeam"))
			.map(PersonWrite::personId)
			.toList();
		Map<UUID, UUID> teams = new HashMap<>();
		if (moving.isEmpty()) {
			return teams;
		}
		this.jdbc.sql("select id, primary_team_id from person where company_id = :company and id = any(:ids)")
			.param("company", companyId)
			.param("ids", moving.toArray(new UUID[0]))
			.query(rs -> {
				UUID team = rs.getObject(2, UUID.class);
				if (team != null) {
					teams.put(rs.getObject(1, UUID.class), team);
				}
			});
		return teams;
	}

	/**
	 * Person ids by lower-case e-mail, for the e-mails that belong to someone in the company. This and the other
	 * look-ups below are one statement each, so none has a transaction of its own (see {@link People#loadProfiles}):
	 * they run in the caller's, or alone.
	 */
	public Map<String, UUID> idsByEmail(UUID companyId, Collection<String> emails) {
		Map<String, UUID> ids = new HashMap<>();
		if (emails.isEmpty()) {
			return ids;
		}
		List<String> lower = emails.stream().map(e -> e.toLowerCase(Locale.ROOT)).toList();
		this.jdbc.sql("select lower(email), id from person where company_id = :company and lower(email) "
				+ OneOrMany.equalTo("emails", lower))
			.param("company", companyId)
			.param("emails", OneOrMany.bound(lower, new String[0]))
			.query((rs, n) -> ids.put(rs.getString(1), rs.getObject(2, UUID.class)))
			.list();
		return ids;
	}

	/** Person ids by their external id in this source, however they were linked. */
	public Map<String, UUID> idsByExternalId(UUID companyId, String source, Collection<String> externalIds) {
		Map<String, UUID> ids = new HashMap<>();
		if (externalIds.isEmpty()) {
			return ids;
		}
		this.jdbc
			.sql("""
					select external_id, person_id from person_identity
					where company_id = :company and source = :source and external_id\s"""
					+ OneOrMany.equalTo("ids", externalIds))
			.param("company", companyId)
			.param("source", source)
			.param("ids", OneOrMany.bound(externalIds, new String[0]))
			.query((rs, n) -> ids.put(rs.getString(1), rs.getObject(2, UUID.class)))
			.list();
		return ids;
	}

	/**
	 * The people linked to these external ids in this source, with how each was linked: a sync matches a record by
	 * any link, and adopts a sign-in's.
	 */
	public Map<String, Link> linksByExternalId(UUID companyId, String source, Collection<String> externalIds) {
		Map<String, Link> links = new HashMap<>();
		if (externalIds.isEmpty()) {
			return links;
		}
		this.jdbc
			.sql("""
					select external_id, person_id, linked_by from person_identity
					where company_id = :company and source = :source and external_id\s"""
					+ OneOrMany.equalTo("ids", externalIds))
			.param("company", companyId)
			.param("source", source)
			.param("ids", OneOrMany.bound(externalIds, new String[0]))
			.query((rs, n) -> links.put(rs.getString(1),
					new Link(rs.getObject(2, UUID.class), LinkedBy.of(rs.getString(3)))))
			.list();
		return links;
	}

	/** A person's link to their id in a source. */
	public record Link(UUID personId, LinkedBy linkedBy) {

		public Link {
			Assert.notNull(personId, "personId cannot be null");
			Assert.notNull(linkedBy, "linkedBy cannot be null");
		}

	}

	/**
	 * Of these external ids in this source, those whose person is active and provisioned by it (linked by a sync): the
	 * people the source is known to have in scope. A sign-in's link alone says nothing of the source's scope.
	 */
	public Set<String> activeExternalIds(UUID companyId, String source, Collection<String> externalIds) {
		Set<String> active = new HashSet<>();
		if (externalIds.isEmpty()) {
			return active;
		}
		this.jdbc
			.sql("""
					select i.external_id from person_identity i join person p on p.id = i.person_id
					where i.company_id = :company and i.source = :source and i.external_id = any(:ids) and p.status = 'active'
					  and i.linked_by = :provisioned
					""")
			.param("company", companyId)
			.param("source", source)
			.param("ids", externalIds.toArray(new String[0]))
			.param("provisioned", LinkedBy.SYNC.column())
			.query((rs, n) -> active.add(rs.getString(1)))
			.list();
		return active;
	}

	/**
	 * Everyone this source provisioned (linked by a sync), with their external id and whether they are active: what a
	 * full sync may deactivate. People linked only by signing in are not the source's to remove, so not here.
	 * Read a page at a time in external-id order, each page its own statement outside any transaction, and handed to
	 * the consumer once read: the consumer may write (a run stores its plan as it goes), which it could not inside a
	 * read-only transaction or an open cursor, and memory holds one page whatever the company's size.
	 */
	public void forEachIdentity(UUID companyId, String source, IdentityConsumer consumer) {
		String after = null;
		while (true) {
			List<IdentityRow> page = this.jdbc.sql("""
					select i.external_id, i.person_id, p.status = 'active', p.email, p.role
					from person_identity i join person p on p.id = i.person_id
					where i.company_id = :company and i.source = :source and i.linked_by = :provisioned
					""" + afterExternalId("i", after) + """
					order by i.external_id
					limit :limit
					""")
				.param("company", companyId)
				.param("source", source)
				.params(after == null ? Map.of() : Map.of("after", after))
				.param("provisioned", LinkedBy.SYNC.column())
				.param("limit", IDENTITY_PAGE)
				.query(IdentityRow.MAPPER)
				.list();
			for (IdentityRow row : page) {
				consumer.accept(row.externalId(), row.personId(), row.active(), row.email(), row.role());
			}
			if (page.size() < IDENTITY_PAGE) {
				return;
			}
			after = page.getLast().externalId();
		}
	}

	/**
	 * As {@link #forEachIdentity}, for only the identities whose external id {@code which} accepts: each page is the
	 * external ids alone, and only the accepted ones' people are read, in one more statement. A full sync looks for
	 * the few its source no longer lists among everyone it provisioned: reading each person's status, e-mail and role
	 * for that was a fifth of an unchanged Entra ID re-sync's PostgreSQL time (pg_stat_statements).
	 */
	public void forEachIdentity(UUID companyId, String source, Predicate<String> which, IdentityConsumer consumer) {
		String after = null;
		while (true) {
			List<String> page = this.jdbc.sql("""
					select external_id from person_identity i
					where company_id = :company and source = :source and linked_by = :provisioned
					""" + afterExternalId("i", after) + """
					order by external_id
					limit :limit
					""")
				.param("company", companyId)
				.param("source", source)
				.param("provisioned", LinkedBy.SYNC.column())
				.param("limit", IDENTITY_PAGE)
				.params(after == null ? Map.of() : Map.of("after", after))
				.query(String.class)
				.list();
			List<String> accepted = page.stream().filter(which).toList();
			if (!accepted.isEmpty()) {
				this.jdbc.sql("""
						select i.external_id, i.person_id, p.status = 'active', p.email, p.role
						from person_identity i join person p on p.id = i.person_id
						where i.company_id = :company and i.source = :source and i.linked_by = :provisioned
						  and i.external_id = any(:ids)
						order by i.external_id
						""")
					.param("company", companyId)
					.param("source", source)
					.param("provisioned", LinkedBy.SYNC.column())
					.param("ids", accepted.toArray(new String[0]))
					.query(IdentityRow.MAPPER)
					.list()
					.forEach(row -> consumer.accept(row.externalId(), row.personId(), row.active(), row.email(),
							row.role()));
			}
			if (page.size() < IDENTITY_PAGE) {
				return;
			}
			after = page.getLast();
		}
	}

	/** Identities read in one statement by {@link #forEachIdentity}. */
	static final int IDENTITY_PAGE = 1_000;

	/**
	 * The condition that starts a page of identities after the last one's external id (none for the first page). Two
	 * statements rather than one with "(:after is null or external_id > :after)": a plan made for any :after cannot
	 * start its index scan at it.
	 */
	private static String afterExternalId(String alias, String after) {
		return after == null ? "" : "and " + alias + ".external_id > :after\n";
	}

	/** An identity with its person's status, e-mail and role, as both readings of {@link #forEachIdentity} select it. */
	private record IdentityRow(String externalId, UUID personId, boolean active, String email, Role role) {

		static final RowMapper<IdentityRow> MAPPER = (rs, n) -> new IdentityRow(rs.getString(1),
				rs.getObject(2, UUID.class), rs.getBoolean(3), rs.getString(4), Role.of(rs.getString(5)));

	}

	@FunctionalInterface
	public interface IdentityConsumer {

		void accept(String externalId, UUID personId, boolean active, String email, Role role);

	}

	/**
	 * Gathers PostgreSQL's statistics of the directory's tables now, after a large change (an import of thousands),
	 * rather than when autovacuum next looks: until then the query planner sees the tables as they were and may pick
	 * a scan of a whole company for a one-person look-up. Takes a fraction of a second at 100,000 people.
	 */
	public void refreshStatistics() {
		this.jdbc.sql("analyze person, person_identity, team, secondary_team_membership").update();
	}

	/** How many people of the company are active: the base of the safety hold. */
	public int activeCount(UUID companyId) {
		return this.jdbc.sql("select count(*) from person where company_id = :company and status = 'active'")
			.param("company", companyId)
			.query(Integer.class)
			.single();
	}

	/** Which of these people are in the company's directory now (whatever their status). */
	public Set<UUID> existingPeople(UUID companyId, Collection<UUID> ids) {
		Set<UUID> existing = new HashSet<>();
		if (ids.isEmpty()) {
			return existing;
		}
		this.jdbc.sql("select id from person where company_id = :company and id = any(:ids)")
			.param("company", companyId)
			.param("ids", ids.toArray(new UUID[0]))
			.query(rs -> {
				existing.add(rs.getObject(1, UUID.class));
			});
		return existing;
	}

	/** Override manager of every person who has one: the graph a new manager link must not close a loop in. */
	public Map<UUID, UUID> overrideManagers(UUID companyId) {
		Map<UUID, UUID> managers = new HashMap<>();
		this.jdbc.sql(
				"select id, override_manager_id from person where company_id = :company and override_manager_id is not null")
			.param("company", companyId)
			.query(rs -> {
				managers.put(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class));
			});
		return managers;
	}

	/** New people, every column at once: copied in when they are many, in one batched insert otherwise. */
	private void insertPeople(UUID companyId, List<PersonWrite> creates, Map<String, UUID> teamIds) {
		PersonField[] fields = java.util.Arrays.stream(PersonField.values())
			.filter(f -> f != PersonField.EMAIL)
			.toArray(PersonField[]::new);
		StringBuilder columns = new StringBuilder("id, company_id, email, custom_fields");
		StringBuilder marks = new StringBuilder("?, ?, ?, cast(? as jsonb)");
		for (PersonField field : fields) {
			columns.append(", ").append(field.column());
			marks.append(", ?");
		}
		List<Object[]> rows = new ArrayList<>();
		for (PersonWrite write : creates) {
			List<Object> row = new ArrayList<>(List.of(write.personId(), companyId, write.email()));
			Map<String, Object> customFields = new LinkedHashMap<>();
			write.changes().forEach((key, change) -> {
				if (key.startsWith("customFields.") && change.to() != null) {
					customFields.put(key.substring("customFields.".length()), change.to());
				}
			});
			row.add(this.json.writeValueAsString(customFields));
			for (PersonField field : fields) {
				FieldChange change = write.changes()
					.get(field == PersonField.PRIMARY_TEAM ? "primaryTeam" : field.jsonName());
				Object to = change == null ? null : change.to();
				if (field == PersonField.PRIMARY_TEAM) {
					row.add(to == null ? null : teamIds.get(to.toString().toLowerCase(Locale.ROOT)));
				}
				else {
					row.add(column(field, to));
				}
			}
			rows.add(row.toArray());
		}
		if (rows.size() >= CopyRows.WORTH_IT) {
			CopyRows.writeRows(this.dataSource, "person", columns.toString(), rows);
		}
		else {
			this.template.batchUpdate("insert into person (" + columns + ") values (" + marks + ")", rows);
		}
	}

	private void addUpdate(Map<String, List<Object[]>> updatesBySql, UUID companyId, PersonWrite write,
			Map<String, UUID> teamIds) {
		List<String> assignments = new ArrayList<>();
		List<Object> values = new ArrayList<>();
		Map<String, Object> customFields = new LinkedHashMap<>();
		Set<String> removedCustomFields = new LinkedHashSet<>();
		for (Map.Entry<String, FieldChange> change : write.changes().entrySet()) {
			String key = change.getKey();
			Object to = change.getValue().to();
			if (key.startsWith("customFields.")) {
				String field = key.substring("customFields.".length());
				if (to == null) {
					removedCustomFields.add(field);
				}
				else {
					customFields.put(field, to);
				}
			}
			else if (key.equals(LinkedBy.CHANGE)) {
				continue; // the identity's, written with it
			}
			else if (key.equals("primaryTeam")) {
				assignments.add("primary_team_id = ?");
				values.add(to == null ? null : teamIds.get(to.toString().toLowerCase(Locale.ROOT)));
			}
			else {
				PersonField field = PersonField.named(key)
					.orElseThrow(() -> new IllegalArgumentException("No field " + key));
				assignments.add(field.column() + " = ?");
				values.add(column(field, to));
			}
		}
		if (!customFields.isEmpty() || !removedCustomFields.isEmpty()) {
			assignments.add("custom_fields = (custom_fields - cast(? as text[])) || cast(? as jsonb)");
			values.add(removedCustomFields.toArray(new String[0]));
			values.add(this.json.writeValueAsString(customFields));
		}
		if (assignments.isEmpty()) {
			return;
		}
		assignments.add("updated_at = now()");
		values.add(write.personId());
		values.add(companyId);
		updatesBySql
			.computeIfAbsent("update person set " + String.join(", ", assignments) + " where id = ? and company_id = ?",
					k -> new ArrayList<>())
			.add(values.toArray());
	}

	private static Object column(PersonField field, Object value) {
		if (value == null) {
			return null;
		}
		return switch (field.kind()) {
			case DATE -> Date.valueOf(LocalDate.parse(value.toString()));
			case TEAM, PERSON -> UUID.fromString(value.toString());
			default -> value.toString();
		};
	}

	private Map<String, UUID> teamIds(UUID companyId, Collection<String> lowerNames) {
		Map<String, UUID> ids = new HashMap<>();
		if (lowerNames.isEmpty()) {
			return ids;
		}
		this.jdbc.sql("select lower(name), id from team where company_id = :company and lower(name) in (:names)")
			.param("company", companyId)
			.param("names", lowerNames)
			.query((rs, n) -> ids.put(rs.getString(1), rs.getObject(2, UUID.class)))
			.list();
		return ids;
	}

}
