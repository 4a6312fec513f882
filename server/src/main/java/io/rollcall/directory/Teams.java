package io.rollcall.directory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import io.rollcall.audit.AuditLog;
import io.rollcall.audit.AuditRecord;
import io.rollcall.audit.FieldChange;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Teams: created flat, arranged into a tree by hand (never into a loop), managed by people.
 */
@Service
public class Teams {

	private final JdbcClient jdbc;

	private final AuditLog audit;

	Teams(JdbcClient jdbc, AuditLog audit) {
		this.jdbc = jdbc;
		this.audit = audit;
	}

	/** Several statements (teams, then their managers): read-only, on one connection (see the note in People). */
	@Transactional(readOnly = true)
	public List<Team> list(UUID companyId) {
		return load(companyId, null);
	}

	/**
	 * Every team's name by its id, without the member counts and managers {@link #list} works out. One statement, so
	 * no transaction of its own (see {@link People#loadProfiles}).
	 */
	public Map<UUID, String> names(UUID companyId) {
		Map<UUID, String> names = new HashMap<>();
		this.jdbc.sql("select id, name from team where company_id = :company").param("company", companyId).query(rs -> {
			names.put(rs.getObject(1, UUID.class), rs.getString(2));
		});
		return names;
	}

	/** The names of these teams, read now (one, for a person's primary team, by its key). */
	public Map<UUID, String> names(UUID companyId, java.util.Collection<UUID> ids) {
		Map<UUID, String> names = new HashMap<>();
		if (ids.isEmpty()) {
			return names;
		}
		this.jdbc.sql("select id, name from team where company_id = :company and id " + OneOrMany.equalTo("ids", ids))
			.param("company", companyId)
			.param("ids", OneOrMany.bound(ids, new UUID[0]))
			.query(rs -> {
				names.put(rs.getObject(1, UUID.class), rs.getString(2));
			});
		return names;
	}

	@Transactional(readOnly = true)
	public Team get(UUID companyId, UUID id) {
		return find(companyId, id).orElseThrow(() -> RequestRejectedException.notFound("Team " + id));
	}

	@Transactional(readOnly = true)
	public Optional<Team> find(UUID companyId, UUID id) {
		return load(companyId, id).stream().findFirst();
	}

	@Transactional(readOnly = true)
	public Optional<Team> findByName(UUID companyId, String name) {
		return this.jdbc.sql("select id from team where company_id = :company and lower(name) = lower(:name)")
			.param("company", companyId)
			.param("name", name.strip())
			.query(UUID.class)
			.optional()
			.flatMap(id -> find(companyId, id));
	}

	@Transactional
	public Team create(UUID companyId, String name, UUID parentId, Actor actor) {
		String teamName = requireName(name);
		lockTree(companyId);
		if (findByName(companyId, teamName).isPresent()) {
			throw RequestRejectedException.conflict("name", "A team named '" + teamName + "' already exists");
		}
		UUID id = UUID.randomUUID();
		if (parentId != null) {
			get(companyId, parentId);
		}
		this.jdbc.sql("insert into team (id, company_id, name, parent_id) values (:id, :company, :name, :parent)")
			.param("id", id)
			.param("company", companyId)
			.param("name", teamName)
			.param("parent", parentId)
			.update();
		Map<String, FieldChange> diff = new LinkedHashMap<>();
		diff.put("name", new FieldChange(null, teamName));
		if (parentId != null) {
			diff.put("parentId", new FieldChange(null, parentId));
		}
		this.audit.record(companyId, actor, "team", id, "created", diff);
		return get(companyId, id);
	}

	@Transactional
	public Team update(UUID companyId, UUID id, TeamChanges changes, Actor actor) {
		lockTree(companyId);
		Team before = get(companyId, id);
		Map<String, FieldChange> diff = new LinkedHashMap<>();
		if (changes.name() != null) {
			String name = requireName(changes.name());
			if (!name.equals(before.name())) {
				findByName(companyId, name).filter(other -> !other.id().equals(id)).ifPresent(other -> {
					throw RequestRejectedException.conflict("name", "A team named '" + name + "' already exists");
				});
				this.jdbc.sql("update team set name = :name, updated_at = now() where id = :id")
					.param("name", name)
					.param("id", id)
					.update();
				diff.put("name", new FieldChange(before.name(), name));
			}
		}
		if (changes.setParent() && !Objects.equals(changes.parentId(), before.parentId())) {
			if (changes.parentId() != null) {
				requireNoLoop(companyId, id, changes.parentId());
			}
			this.jdbc.sql("update team set parent_id = :parent, updated_at = now() where id = :id")
				.param("parent", changes.parentId())
				.param("id", id)
				.update();
			diff.put("parentId", new FieldChange(before.parentId(), changes.parentId()));
		}
		if (changes.managerIds() != null) {
			List<UUID> wanted = new ArrayList<>(new LinkedHashSet<>(changes.managerIds()));
			if (!new java.util.HashSet<>(wanted).equals(new java.util.HashSet<>(before.managerIds()))) {
				for (UUID managerId : wanted) {
					requirePerson(companyId, managerId);
				}
				this.jdbc.sql("delete from team_manager where team_id = :id and not (person_id in (:keep))")
					.param("id", id)
					.param("keep", wanted.isEmpty() ? List.of(new UUID(0, 0)) : wanted)
					.update();
				for (UUID managerId : wanted) {
					this.jdbc.sql(
							"insert into team_manager (team_id, person_id) values (:id, :person) on conflict do nothing")
						.param("id", id)
						.param("person", managerId)
						.update();
				}
				diff.put("managerIds", new FieldChange(before.managerIds(), wanted));
			}
		}
		if (!diff.isEmpty()) {
			this.audit.record(companyId, actor, "team", id, "updated", diff);
		}
		return get(companyId, id);
	}

	/** By hand only: sync never deletes teams. Members lose this as their primary team; child teams move up to the top. */
	@Transactional
	public void delete(UUID companyId, UUID id, Actor actor) {
		lockTree(companyId);
		Team team = get(companyId, id);
		// What the database does with the team's members and children is recorded as theirs, as any other change:
		// members leave it (primary or secondary), children move to the top. Then the team, as it was, goes.
		List<AuditRecord> records = new ArrayList<>();
		this.jdbc.sql("""
				select p.id, p.primary_team_id = :id,
				       exists (select 1 from secondary_team_membership s where s.person_id = p.id and s.team_id = :id)
				from person p
				where p.company_id = :company and (p.primary_team_id = :id
				      or p.id in (select person_id from secondary_team_membership where team_id = :id))
				""").param("company", companyId).param("id", id).query(rs -> {
			Map<String, FieldChange> left = new LinkedHashMap<>();
			if (rs.getBoolean(2)) {
				left.put("primaryTeamId", new FieldChange(id, null));
			}
			if (rs.getBoolean(3)) {
				// Only the team left, not the whole list: the others stay as they are.
				left.put("secondaryTeamIds", new FieldChange(List.of(id), List.of()));
			}
			records
				.add(new AuditRecord(companyId, actor, "person", rs.getObject(1, UUID.class), "updated", left, null));
		});
		this.jdbc.sql("select id from team where company_id = :company and parent_id = :id")
			.param("company", companyId)
			.param("id", id)
			.query(UUID.class)
			.list()
			.forEach(child -> records.add(new AuditRecord(companyId, actor, "team", child, "updated",
					Map.of("parentId", new FieldChange(id, null)), null)));
		records.add(new AuditRecord(companyId, actor, "team", id, "deleted",
				Map.of("name", new FieldChange(team.name(), null)),
				null));
		this.audit.recordAll(records);
		this.jdbc.sql("delete from team where id = :id").param("id", id).update();
	}

	// Two concurrent re-parentings could each pass the loop check and together form a loop: serialise them.
	private void lockTree(UUID companyId) {
		this.jdbc.sql("select pg_advisory_xact_lock(hashtextextended('team-tree:' || cast(:company as text), 0))")
			.param("company", companyId)
			.query((rs, n) -> 1)
			.list();
	}

	private void requireNoLoop(UUID companyId, UUID teamId, UUID parentId) {
		if (teamId.equals(parentId)) {
			throw RequestRejectedException.invalid("parentId", "A team cannot be its own parent");
		}
		get(companyId, parentId);
		boolean loops = this.jdbc.sql("""
				with recursive above(id) as (
				    select parent_id from team where id = :parent
				    union
				    select t.parent_id from team t join above a on t.id = a.id
				)
				select count(*) from above where id = :team
				""").param("parent", parentId).param("team", teamId).query(Long.class).single() > 0;
		if (loops) {
			throw RequestRejectedException.invalid("parentId",
					"That parent is inside this team's own subtree: teams cannot form a loop");
		}
	}

	private void requirePerson(UUID companyId, UUID personId) {
		boolean exists = this.jdbc.sql("select count(*) from person where company_id = :company and id = :id")
			.param("company", companyId)
			.param("id", personId)
			.query(Long.class)
			.single() > 0;
		if (!exists) {
			throw RequestRejectedException.invalid("managerIds", "There is no person " + personId + " in this company");
		}
	}

	private static String requireName(String name) {
		if (name == null || name.isBlank()) {
			throw RequestRejectedException.invalid("name", "'name' is required");
		}
		if (name.strip().length() > 200) {
			throw RequestRejectedException.invalid("name", "'name' is longer than 200 characters");
		}
		return name.strip();
	}

	private List<Team> load(UUID companyId, UUID onlyId) {
		Map<UUID, List<UUID>> managers = new HashMap<>();
		this.jdbc.sql("""
				select tm.team_id, tm.person_id from team_manager tm join team t on t.id = tm.team_id
				where t.company_id = :company and (cast(:only as uuid) is null or t.id = :only)
				order by tm.added_at, tm.person_id
				""").param("company", companyId).param("only", onlyId).query((rs, n) -> {
			managers.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
				.add(rs.getObject(2, UUID.class));
			return null;
		}).list();
		return this.jdbc.sql("""
				select t.id, t.name, t.parent_id, t.created_at,
				       (select count(*) from person p where p.primary_team_id = t.id) as members
				from team t where t.company_id = :company and (cast(:only as uuid) is null or t.id = :only)
				order by lower(t.name)
				""").param("company", companyId).param("only", onlyId).query((rs, n) -> {
			UUID id = rs.getObject("id", UUID.class);
			return new Team(id, rs.getString("name"), rs.getObject("parent_id", UUID.class),
					managers.getOrDefault(id, List.of()), rs.getInt("members"), PersonRows.instant(rs, "created_at"));
		}).list();
	}

}
