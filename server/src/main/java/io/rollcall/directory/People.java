package io.rollcall.directory;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.rollcall.audit.AuditLog;
import io.rollcall.audit.AuditRecord;
import io.rollcall.audit.FieldChange;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import tools.jackson.databind.ObjectMapper;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates, reads, changes, deactivates and reactivates people. Every change is checked, diffed field by field
 * and recorded in the audit log in the same transaction. People are never deleted here: they are deactivated.
 */
@Service
public class People {

	private final JdbcClient jdbc;

	private final PersonRows rows;

	private final CustomFields customFields;

	private final AuditLog audit;

	private final ObjectMapper json;

	People(JdbcClient jdbc, PersonRows rows, CustomFields customFields, AuditLog audit, ObjectMapper json) {
		this.jdbc = jdbc;
		this.rows = rows;
		this.customFields = customFields;
		this.audit = audit;
		this.json = json;
	}

	// A person is read in one statement (PersonRows#load), so get, find and load need no transaction of their own: a
	// read-only one would add a BEGIN READ ONLY and a COMMIT around it. The reads of more than one statement (a look-up
	// by e-mail or sign-in name, then the person; a list's page, then its people) keep one: one connection for them
	// all. It is not one snapshot: at READ COMMITTED, PostgreSQL's default and Rollcall's, each statement sees what was
	// committed when it began, in a transaction or not.

	public Person get(UUID companyId, UUID id) {
		return this.rows.find(companyId, id).orElseThrow(() -> RequestRejectedException.notFound("Person " + id));
	}

	public Optional<Person> find(UUID companyId, UUID id) {
		return this.rows.find(companyId, id);
	}

	@Transactional(readOnly = true)
	public Optional<Person> findByEmail(UUID companyId, String email) {
		return this.rows.findByEmail(companyId, email);
	}

	/** The person who signs in as this name, compared without case (the sign-in name is unique per company). */
	@Transactional(readOnly = true)
	public Optional<Person> findBySignInName(UUID companyId, String signInName) {
		return this.rows.findBySignInName(companyId, signInName);
	}

	@Transactional(readOnly = true)
	public Page<Person> list(UUID companyId, PersonQuery query) {
		return this.rows.list(companyId, query);
	}

	public List<Person> load(UUID companyId, List<UUID> ids) {
		return this.rows.load(companyId, ids);
	}

	/**
	 * Profiles (as {@link #loadProfiles}) of the people a caller's own query selects, in one statement: the caller
	 * gives what follows {@code select <profile columns>}, reading {@code person p}. For lookups that must cost one
	 * round trip (SCIM filters).
	 */
	public List<Person> queryProfiles(String fromPersonP, Map<String, ?> params) {
		var query = this.jdbc.sql("select " + PersonRows.PROFILE_COLUMNS + " " + fromPersonP);
		for (Map.Entry<String, ?> param : params.entrySet()) {
			query = query.param(param.getKey(), param.getValue());
		}
		return query.query(this.rows.profileMapper()).list();
	}

	/**
	 * Like {@link #load} in one query, without secondary teams, tags and team managers: what syncs compare. One
	 * statement is consistent on its own, so no transaction of its own: a read-only one would cost a token request or a
	 * SCIM read a {@code BEGIN READ ONLY} and a {@code COMMIT} around it (a round trip, and PostgreSQL's work for two
	 * more statements).
	 */
	public List<Person> loadProfiles(UUID companyId, List<UUID> ids) {
		return this.rows.loadProfiles(companyId, ids);
	}

	@Transactional
	public Person create(UUID companyId, PersonChanges changes, Actor actor) {
		if (!changes.has(PersonField.EMAIL)) {
			throw RequestRejectedException.invalid("email", "'email' is required");
		}
		String email = (String) changes.get(PersonField.EMAIL);
		requireUniqueEmail(companyId, email, null);
		UUID id = PersonIds.next();
		Role role = changes.role() == null ? Role.LEARNER : changes.role();
		try {
			this.jdbc.sql("insert into person (id, company_id, email, role) values (:id, :company, :email, :role)")
				.param("id", id)
				.param("company", companyId)
				.param("email", email)
				.param("role", role.column())
				.update();
		}
		catch (DuplicateKeyException ex) {
			throw emailTaken(email);
		}
		Map<String, FieldChange> diff = new LinkedHashMap<>();
		diff.put("email", new FieldChange(null, email));
		if (role != Role.LEARNER) {
			diff.put("role", new FieldChange(null, role.column()));
		}
		diff.putAll(apply(companyId, id, emptyPerson(id, email), changes, actor));
		this.audit.record(companyId, actor, "person", id, "created", diff);
		return get(companyId, id);
	}

	/** Applies the changes that differ from what the person has; records nothing when nothing differs. */
	@Transactional
	public Person update(UUID companyId, UUID id, PersonChanges changes, Actor actor) {
		Person before = lockAndGet(companyId, id);
		if (changes.role() != null && changes.role() != before.role()) {
			if (changes.role() == Role.OWNER || before.role() == Role.OWNER) {
				throw RequestRejectedException.invalid("role",
						"The owner role is given when the company is created and cannot be changed here");
			}
		}
		Map<String, FieldChange> diff = apply(companyId, id, before, changes, actor);
		if (changes.role() != null && changes.role() != before.role()) {
			this.jdbc.sql("update person set role = :role where id = :id")
				.param("role", changes.role().column())
				.param("id", id)
				.update();
			diff.put("role", new FieldChange(before.role().column(), changes.role().column()));
		}
		if (!diff.isEmpty()) {
			this.jdbc.sql("update person set updated_at = now() where id = :id").param("id", id).update();
			this.audit.record(companyId, actor, "person", id, "updated", diff);
		}
		return get(companyId, id);
	}

	@Transactional
	public Person deactivate(UUID companyId, UUID id, Actor actor) {
		Person before = lockAndGet(companyId, id);
		if (!before.active()) {
			return before;
		}
		if (before.role() == Role.OWNER) {
			throw RequestRejectedException.conflict(null,
					"The company's owner cannot be deactivated; make someone else owner first");
		}
		this.jdbc.sql("""
				update person set status = 'deactivated', deactivated_at = now(), updated_at = now() where id = :id
				""").param("id", id).update();
		// An invitation must not let a deactivated person in.
		this.jdbc.sql(
				"update invitation set revoked_at = now() where person_id = :id and used_at is null and revoked_at is null")
			.param("id", id)
			.update();
		this.audit.record(companyId, actor, "person", id, "deactivated",
				Map.of("status", new FieldChange("active", "deactivated")));
		return get(companyId, id);
	}

	@Transactional
	public Person reactivate(UUID companyId, UUID id, Actor actor) {
		Person before = lockAndGet(companyId, id);
		if (before.active()) {
			return before;
		}
		this.jdbc.sql("""
				update person set status = 'active', deactivated_at = null, updated_at = now() where id = :id
				""").param("id", id).update();
		this.audit.record(companyId, actor, "person", id, "reactivated",
				Map.of("status", new FieldChange("deactivated", "active")));
		return get(companyId, id);
	}

	/**
	 * Removes a person for good, for a source whose company chose deletion over deactivation. Their audit history
	 * stays; people they managed lose them as override manager. The owner cannot be deleted.
	 */
	@Transactional
	public void delete(UUID companyId, UUID id, Actor actor) {
		Person before = lockAndGet(companyId, id);
		if (before.role() == Role.OWNER) {
			throw RequestRejectedException.conflict(null,
					"The company's owner cannot be deleted; make someone else owner first");
		}
		// Recorded first, so that the person.deleted event carries them as they were.
		this.audit.record(companyId, actor, "person", id, "deleted",
				Map.of("email", new FieldChange(before.email(), null)));
		// The database takes them off as manager (of people and of teams): recorded here, as any other change is.
		List<AuditRecord> followers = new ArrayList<>();
		this.jdbc.sql("select id from person where company_id = :company and override_manager_id = :id")
			.param("company", companyId)
			.param("id", id)
			.query(UUID.class)
			.list()
			.forEach(managed -> followers.add(new AuditRecord(companyId, actor, "person", managed, "updated",
					Map.of(PersonField.OVERRIDE_MANAGER.jsonName(), new FieldChange(id, null)), null)));
		this.jdbc.sql("""
				select tm.team_id, array_agg(tm.person_id order by tm.added_at, tm.person_id) from team_manager tm
				where tm.team_id in (select team_id from team_manager where person_id = :id)
				group by tm.team_id
				""").param("id", id).query(rs -> {
			List<UUID> managers = java.util.Arrays.stream((Object[]) rs.getArray(2).getArray())
				.map(manager -> UUID.fromString(manager.toString()))
				.toList();
			followers.add(new AuditRecord(companyId, actor, "team", rs.getObject(1, UUID.class), "updated",
					Map.of("managerIds", new FieldChange(managers,
							managers.stream().filter(manager -> !manager.equals(id)).toList())),
					null));
		});
		this.audit.recordAll(followers);
		this.jdbc.sql("delete from person where company_id = :company and id = :id")
			.param("company", companyId)
			.param("id", id)
			.update();
	}

	/** Used when the invitation is accepted; recorded like any other change. */
	@Transactional
	void setInvitationState(UUID companyId, UUID id, InvitationState state, Actor actor) {
		Person before = get(companyId, id);
		if (before.invitationState() == state) {
			return;
		}
		this.jdbc.sql("update person set invitation_state = :state, updated_at = now() where id = :id")
			.param("state", state.column())
			.param("id", id)
			.update();
		this.audit.record(companyId, actor, "person", id,
				state == InvitationState.ACCEPTED ? "invitation_accepted" : "updated",
				Map.of("invitationState", new FieldChange(before.invitationState().column(), state.column())));
	}

	private Person lockAndGet(UUID companyId, UUID id) {
		this.jdbc.sql("select id from person where company_id = :company and id = :id for update")
			.param("company", companyId)
			.param("id", id)
			.query(UUID.class)
			.optional()
			.orElseThrow(() -> RequestRejectedException.notFound("Person " + id));
		return get(companyId, id);
	}

	private Map<String, FieldChange> apply(UUID companyId, UUID id, Person before, PersonChanges changes, Actor actor) {
		Map<String, FieldChange> diff = new LinkedHashMap<>();
		Map<String, Object> current = before.fieldValues();
		List<String> assignments = new ArrayList<>();
		Map<String, Object> params = new LinkedHashMap<>();
		for (Map.Entry<PersonField, Object> entry : changes.fields().entrySet()) {
			PersonField field = entry.getKey();
			Object value = entry.getValue();
			Object old = current.get(field.jsonName());
			if (Objects.equals(old, value)) {
				continue;
			}
			switch (field) {
				case EMAIL -> requireUniqueEmail(companyId, (String) value, id);
				case SIGN_IN_NAME -> requireUniqueSignInName(companyId, (String) value, id);
				case PRIMARY_TEAM -> requireTeam(companyId, (UUID) value, field.jsonName());
				case OVERRIDE_MANAGER -> requireManager(companyId, id, (UUID) value);
				default -> {
				}
			}
			assignments.add(field.column() + " = :" + field.name());
			params.put(field.name(), value);
			diff.put(field.jsonName(), new FieldChange(old, value));
		}
		if (!assignments.isEmpty()) {
			var statement = this.jdbc.sql("update person set " + String.join(", ", assignments) + " where id = :id")
				.param("id", id);
			for (var param : params.entrySet()) {
				statement = statement.param(param.getKey(), param.getValue());
			}
			try {
				statement.update();
			}
			catch (DuplicateKeyException ex) {
				// Another write took the value between the check and the update.
				throw String.valueOf(ex.getMessage()).contains("person_sign_in_name")
						? signInNameTaken((String) changes.get(PersonField.SIGN_IN_NAME))
						: emailTaken((String) changes.get(PersonField.EMAIL));
			}
		}
		if (changes.secondaryTeamIds() != null) {
			setSecondaryTeams(companyId, id, before, changes.secondaryTeamIds(), diff);
		}
		if (changes.customFieldValues() != null) {
			setCustomFields(companyId, id, before, changes.customFieldValues(), diff);
		}
		if (changes.tagNames() != null) {
			setTags(companyId, id, before, changes.tagNames(), diff, actor);
		}
		return diff;
	}

	private void setSecondaryTeams(UUID companyId, UUID id, Person before, List<UUID> teamIds,
			Map<String, FieldChange> diff) {
		Set<UUID> wanted = new java.util.LinkedHashSet<>(teamIds);
		if (wanted.equals(new HashSet<>(before.secondaryTeamIds()))) {
			return;
		}
		for (UUID teamId : wanted) {
			requireTeam(companyId, teamId, "secondaryTeamIds");
		}
		this.jdbc.sql("delete from secondary_team_membership where person_id = :id").param("id", id).update();
		for (UUID teamId : wanted) {
			this.jdbc.sql("insert into secondary_team_membership (team_id, person_id) values (:team, :id)")
				.param("team", teamId)
				.param("id", id)
				.update();
		}
		diff.put("secondaryTeamIds", new FieldChange(before.secondaryTeamIds(), List.copyOf(wanted)));
	}

	private void setCustomFields(UUID companyId, UUID id, Person before, Map<String, Object> values,
			Map<String, FieldChange> diff) {
		Map<String, Object> merged = new LinkedHashMap<>(before.customFields());
		for (Map.Entry<String, Object> entry : values.entrySet()) {
			Object value = this.customFields.check(companyId, entry.getKey(), entry.getValue());
			Object old = merged.get(entry.getKey());
			if (Objects.equals(old, value)) {
				continue;
			}
			if (value == null) {
				merged.remove(entry.getKey());
			}
			else {
				merged.put(entry.getKey(), value);
			}
			diff.put("customFields." + entry.getKey(), new FieldChange(old, value));
		}
		this.jdbc.sql("update person set custom_fields = cast(:values as jsonb) where id = :id")
			.param("values", this.json.writeValueAsString(merged))
			.param("id", id)
			.update();
	}

	private void setTags(UUID companyId, UUID id, Person before, List<String> names, Map<String, FieldChange> diff,
			Actor actor) {
		if (new HashSet<>(names.stream().map(n -> n.toLowerCase(java.util.Locale.ROOT)).toList())
			.equals(new HashSet<>(before.tags().stream().map(n -> n.toLowerCase(java.util.Locale.ROOT)).toList()))) {
			return;
		}
		this.jdbc.sql("delete from person_tag where person_id = :id").param("id", id).update();
		for (String name : names) {
			UUID tagId = UUID.randomUUID();
			int created = this.jdbc.sql("""
					insert into tag (id, company_id, name) values (:id, :company, :name)
					on conflict (company_id, lower(name)) do nothing
					""").param("id", tagId).param("company", companyId).param("name", name).update();
			if (created == 1) {
				this.audit.record(companyId, actor, "tag", tagId, "created",
						Map.of("name", new FieldChange(null, name)));
			}
			this.jdbc.sql("""
					insert into person_tag (tag_id, person_id)
					select id, :person from tag where company_id = :company and lower(name) = lower(:name)
					on conflict do nothing
					""").param("person", id).param("company", companyId).param("name", name).update();
		}
		diff.put("tags", new FieldChange(before.tags(), names));
	}

	private void requireUniqueEmail(UUID companyId, String email, UUID self) {
		Optional<UUID> holder = this.jdbc
			.sql("select id from person where company_id = :company and lower(email) = lower(:email)")
			.param("company", companyId)
			.param("email", email)
			.query(UUID.class)
			.optional();
		if (holder.isPresent() && !holder.get().equals(self)) {
			throw emailTaken(email);
		}
	}

	private void requireUniqueSignInName(UUID companyId, String signInName, UUID self) {
		if (signInName == null) {
			return;
		}
		Optional<UUID> holder = this.jdbc
			.sql("select id from person where company_id = :company and lower(sign_in_name) = lower(:name)")
			.param("company", companyId)
			.param("name", signInName)
			.query(UUID.class)
			.optional();
		if (holder.isPresent() && !holder.get().equals(self)) {
			throw signInNameTaken(signInName);
		}
	}

	private static RequestRejectedException signInNameTaken(String signInName) {
		return RequestRejectedException.conflict("signInName", "Another person already signs in as " + signInName);
	}

	private static RequestRejectedException emailTaken(String email) {
		return RequestRejectedException.conflict("email", "Another person already has the e-mail address " + email);
	}

	private void requireTeam(UUID companyId, UUID teamId, String field) {
		if (teamId == null) {
			return;
		}
		boolean exists = this.jdbc.sql("select count(*) from team where company_id = :company and id = :id")
			.param("company", companyId)
			.param("id", teamId)
			.query(Long.class)
			.single() > 0;
		if (!exists) {
			throw RequestRejectedException.invalid(field, "There is no team " + teamId + " in this company");
		}
	}

	/** The manager must be another person of the company, and the chain of managers above them must not loop back. */
	private void requireManager(UUID companyId, UUID personId, UUID managerId) {
		if (managerId == null) {
			return;
		}
		if (managerId.equals(personId)) {
			throw RequestRejectedException.invalid("overrideManagerId", "A person cannot be their own manager");
		}
		find(companyId, managerId).orElseThrow(() -> RequestRejectedException.invalid("overrideManagerId",
				"There is no person " + managerId + " in this company"));
		boolean loops = this.jdbc.sql("""
				with recursive chain(id, depth) as (
				    select override_manager_id, 1 from person where id = :manager
				    union all
				    select p.override_manager_id, c.depth + 1 from person p join chain c on p.id = c.id
				    where c.depth < 10000
				)
				select count(*) from chain where id = :person
				""").param("manager", managerId).param("person", personId).query(Long.class).single() > 0;
		if (loops) {
			throw RequestRejectedException.invalid("overrideManagerId",
					"That manager is managed, directly or further up, by this person: managers cannot form a loop");
		}
	}

	private static Person emptyPerson(UUID id, String email) {
		return new Person(id, email, null, null, null, null, null, null, null, null, List.of(), null, (LocalDate) null,
				null, null, null, null, null, null, null, null, null, null, null, null, Map.of(), List.of(),
				PersonStatus.ACTIVE,
				InvitationState.NOT_INVITED, Role.LEARNER, null, null, null, Map.of(), null, null);
	}

}
