package io.rollcall.directory;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import io.rollcall.platform.RequestRejectedException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The SQL behind people: reads whole {@link Person}s in a few set-based queries, whatever the page size. */
@Repository
class PersonRows {

	private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	/**
	 * Readers of a row's custom fields and identities, their types resolved once: resolved for each row, as
	 * {@code readValue(text, TypeReference)} does, they were a seventh of an Entra ID re-sync's profile reads (JFR).
	 */
	private final ObjectReader customFields;

	private final ObjectReader identities;

	PersonRows(JdbcClient jdbc, ObjectMapper json) {
		this.jdbc = jdbc;
		this.customFields = json.readerFor(JSON_OBJECT);
		this.identities = json.readerFor(IDENTITIES);
	}

	Optional<Person> find(UUID companyId, UUID id) {
		return load(companyId, List.of(id)).stream().findFirst();
	}

	Optional<Person> findByEmail(UUID companyId, String email) {
		return this.jdbc.sql("select id from person where company_id = :company and lower(email) = lower(:email)")
			.param("company", companyId)
			.param("email", email)
			.query(UUID.class)
			.optional()
			.flatMap(id -> find(companyId, id));
	}

	Optional<Person> findBySignInName(UUID companyId, String signInName) {
		return this.jdbc.sql("""
				select id from person
				where company_id = :company and sign_in_name is not null and lower(sign_in_name) = lower(:name)
				""")
			.param("company", companyId)
			.param("name", signInName)
			.query(UUID.class)
			.optional()
			.flatMap(id -> find(companyId, id));
	}

	Page<Person> list(UUID companyId, PersonQuery query) {
		int limit = Math.clamp(query.limit(), 1, 200);
		String[] after = decodeCursor(query.cursor());
		String text = query.text() == null || query.text().isBlank() ? null
				: "%" + query.text()
					.strip()
					.toLowerCase(java.util.Locale.ROOT)
					.replace("\\", "\\\\")
					.replace("%", "\\%")
					.replace("_", "\\_") + "%";
		List<Object[]> rows = this.jdbc
			.sql("""
					select p.id, lower(coalesce(p.last_name, '')) as sort_last, lower(coalesce(p.first_name, '')) as sort_first
					from person p
					where p.company_id = :company
					  and (cast(:status as text) is null or p.status = :status)
					  and (cast(:team as uuid) is null or p.primary_team_id = :team
					       or exists (select 1 from secondary_team_membership s where s.person_id = p.id and s.team_id = :team))
					  and (cast(:text as text) is null
					       or lower(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')) like :text
					       or lower(coalesce(p.full_name, '')) like :text
					       or lower(p.email) like :text or lower(coalesce(p.job_title, '')) like :text)
					  and (cast(:afterId as uuid) is null
					       or (lower(coalesce(p.last_name, '')), lower(coalesce(p.first_name, '')), p.id) > (:afterLast, :afterFirst, :afterId))
					order by lower(coalesce(p.last_name, '')), lower(coalesce(p.first_name, '')), p.id
					limit :limit
					""")
			.param("company", companyId)
			.param("status", query.status() == null ? null : query.status().column())
			.param("team", query.teamId())
			.param("text", text)
			.param("afterLast", after == null ? null : after[0])
			.param("afterFirst", after == null ? null : after[1])
			.param("afterId", after == null ? null : UUID.fromString(after[2]))
			.param("limit", limit + 1)
			.query((rs, n) -> new Object[] { rs.getObject("id", UUID.class), rs.getString("sort_last"),
					rs.getString("sort_first") })
			.list();
		boolean more = rows.size() > limit;
		List<Object[]> page = more ? rows.subList(0, limit) : rows;
		List<Person> people = load(companyId, page.stream().map(r -> (UUID) r[0]).toList());
		String next = null;
		if (more) {
			Object[] last = page.getLast();
			next = encodeCursor((String) last[1], (String) last[2], (UUID) last[0]);
		}
		return new Page<>(people, next);
	}

	/**
	 * The people with these ids in one query, for comparing with what a source says: profile, status, identities,
	 * primary team and override manager, but not secondary teams, tags or the team manager.
	 */
	List<Person> loadProfiles(UUID companyId, Collection<UUID> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("select " + PROFILE_COLUMNS + " from person p where p.company_id = :company and p.id "
				+ OneOrMany.equalTo("ids", ids))
			.param("company", companyId)
			.param("ids", OneOrMany.bound(ids, new UUID[0]))
			.query(profileMapper())
			.list();
	}

	/**
	 * The columns {@link #profileMapper()} reads, from {@code person p}: the identities as source, id, source, id ...,
	 * not a JSON object, as a sync reads every person's and a JSON parser made for each was a fifth of a re-sync's
	 * allocation (JFR).
	 */
	static final String PROFILE_COLUMNS = """
			p.*, array(select unnest(array[i.source, i.external_id])
			           from person_identity i where i.person_id = p.id) as identities""";

	private static final TypeReference<Map<String, String>> IDENTITIES = new TypeReference<>() {
	};

	RowMapper<Person> profileMapper() {
		return (rs, n) -> {
			return person(rs, List.of(), List.of(), identities((String[]) rs.getArray("identities").getArray()),
					null);
		};
	}

	/** The identities of {@link #PROFILE_COLUMNS}' pairs, by source. */
	private static Map<String, String> identities(String[] pairs) {
		Map<String, String> identities = LinkedHashMap.newLinkedHashMap(pairs.length / 2);
		for (int i = 0; i + 1 < pairs.length; i += 2) {
			identities.put(pairs[i], pairs[i + 1]);
		}
		return identities;
	}

	/**
	 * The people with these ids, in the same order, in one statement: each person's secondary teams, tags, identities
	 * and team manager are subqueries of its row (each a probe of one index), so a person read for an event's subject,
	 * once per write, costs one round trip rather than five. A team's or tag's name is a subquery of its membership, not
	 * a join: joined, it was planned before PostgreSQL's first statistics as a hash of every company's teams and tags
	 * per person (ScimWritePlansTests; 0.48 ms a read at 3,000 of each, 0.03 ms as probes).
	 */
	List<Person> load(UUID companyId, Collection<UUID> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		if (ids.size() > BY_KIND_FROM) {
			return loadByKind(companyId, ids);
		}
		// One array parameter, not a placeholder per id: the statement is the same for any number of people, so the
		// driver prepares it once, and a thousand ids cost no thousand-placeholder parse.
		Map<UUID, Person> byId = new LinkedHashMap<>();
		this.jdbc
			.sql("""
					select p.*,
					       array(select s.team_id from secondary_team_membership s
					             where s.person_id = p.id
					             order by (select t.name from team t where t.id = s.team_id)) as loaded_secondary_teams,
					       array(select (select t.name from tag t where t.id = pt.tag_id) as name from person_tag pt
					             where pt.person_id = p.id order by name) as loaded_tags,
					       (select coalesce(json_object_agg(i.source, i.external_id), '{}')
					        from person_identity i where i.person_id = p.id) as loaded_identities,
					       -- A person without an override manager is managed by the first manager added to their primary team
					       -- (never by themselves).
					       (select tm.person_id from team_manager tm
					        where tm.team_id = p.primary_team_id and tm.person_id <> p.id
					        order by tm.added_at, tm.person_id limit 1) as loaded_team_manager
					from person p where p.company_id = :company and p.id\s"""
					+ OneOrMany.equalTo("ids", ids))
			.param("company", companyId)
			.param("ids", OneOrMany.bound(ids, new UUID[0]))
			.query((rs, n) -> {
				return person(rs, List.of((UUID[]) rs.getArray("loaded_secondary_teams").getArray()),
						List.of((String[]) rs.getArray("loaded_tags").getArray()),
						new java.util.TreeMap<>(
								this.identities.<Map<String, String>>readValue(rs.getString("loaded_identities"))),
						rs.getObject("loaded_team_manager", UUID.class));
			})
			.list()
			.forEach(p -> byId.put(p.id(), p));
		return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
	}

	/**
	 * Past this many people (a sync's chunk, read for its events), {@link #load} reads each kind of what people have
	 * in one query for them all, where the one statement probes four indexes per person through its subqueries: for
	 * 500 people, five round trips and one index scan per kind cost PostgreSQL less (1.9 s of a 100,000-person
	 * sync's statements as subqueries).
	 */
	static final int BY_KIND_FROM = 20;

	private List<Person> loadByKind(UUID companyId, Collection<UUID> ids) {
		UUID[] people = ids.toArray(new UUID[0]);
		Map<UUID, List<UUID>> secondaryTeams = new HashMap<>();
		this.jdbc.sql("""
				select s.person_id, s.team_id from secondary_team_membership s where s.person_id = any(:ids)
				order by s.person_id, (select t.name from team t where t.id = s.team_id)
				""")
			.param("ids", people)
			.query(rs -> {
				secondaryTeams.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
					.add(rs.getObject(2, UUID.class));
			});
		Map<UUID, List<String>> tags = new HashMap<>();
		this.jdbc.sql("""
				select pt.person_id, (select t.name from tag t where t.id = pt.tag_id) as name from person_tag pt
				where pt.person_id = any(:ids) order by pt.person_id, name
				""")
			.param("ids", people)
			.query(rs -> {
				tags.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>()).add(rs.getString(2));
			});
		Map<UUID, Map<String, String>> identities = new HashMap<>();
		this.jdbc.sql("select person_id, source, external_id from person_identity where person_id = any(:ids)")
			.param("ids", people)
			.query(rs -> {
				identities.computeIfAbsent(rs.getObject(1, UUID.class), k -> new TreeMap<>())
					.put(rs.getString(2), rs.getString(3));
			});
		// Each primary team's managers, first added first: a person's team manager is the first who is not them.
		Map<UUID, List<UUID>> teamManagers = new HashMap<>();
		this.jdbc.sql("""
				select tm.team_id, tm.person_id from team_manager tm
				where tm.team_id in (select p.primary_team_id from person p where p.id = any(:ids))
				order by tm.team_id, tm.added_at, tm.person_id
				""")
			.param("ids", people)
			.query(rs -> {
				teamManagers.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
					.add(rs.getObject(2, UUID.class));
			});
		Map<UUID, Person> byId = new HashMap<>();
		this.jdbc.sql("select p.* from person p where p.company_id = :company and p.id = any(:ids)")
			.param("company", companyId)
			.param("ids", people)
			.query(rs -> {
				UUID id = rs.getObject("id", UUID.class);
				UUID team = rs.getObject("primary_team_id", UUID.class);
				UUID teamManager = team == null ? null
						: teamManagers.getOrDefault(team, List.of())
							.stream()
							.filter(manager -> !manager.equals(id))
							.findFirst()
							.orElse(null);
				byId.put(id, person(rs, secondaryTeams.getOrDefault(id, List.of()), tags.getOrDefault(id, List.of()),
						identities.getOrDefault(id, new TreeMap<>()), teamManager));
			});
		return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
	}

	/** The person of this row, with what their row does not hold; {@code teamManager} null when there is none. */
	private Person person(ResultSet rs, List<UUID> secondary, List<String> tags, Map<String, String> identities,
			UUID teamManager) throws SQLException {
		UUID id = rs.getObject("id", UUID.class);
		UUID override = rs.getObject("override_manager_id", UUID.class);
		UUID manager = override != null ? override : teamManager;
		String managerSource = override != null ? "override" : (manager != null ? "team" : null);
		return new Person(id, rs.getString("email"), rs.getString("first_name"), rs.getString("last_name"),
				rs.getString("title"), rs.getString("job_title"), rs.getString("language"), rs.getString("location"),
				rs.getString("department"), rs.getObject("primary_team_id", UUID.class),
				secondary, rs.getString("avatar_url"),
				rs.getObject("hire_date", LocalDate.class), rs.getString("phone"), rs.getString("street_address"),
				rs.getString("city"), rs.getString("postal_code"), rs.getString("country"),
				rs.getString("company_name"), rs.getString("office"), rs.getString("employee_id"),
				rs.getString("full_name"), rs.getString("secondary_email"), rs.getString("sign_in_name"),
				rs.getString("time_zone"),
				customFields(rs.getString("custom_fields")), tags,
				PersonStatus.of(rs.getString("status")), InvitationState.of(rs.getString("invitation_state")),
				Role.of(rs.getString("role")), override, manager, managerSource, identities,
				instant(rs, "created_at"), instant(rs, "updated_at"));
	}

	/** Most people have no custom field: their empty object needs no parser (Jackson's would be this same map). */
	private Map<String, Object> customFields(String json) {
		return "{}".equals(json) ? new LinkedHashMap<>() : this.customFields.readValue(json);
	}

	static Instant instant(ResultSet rs, String column) throws SQLException {
		java.sql.Timestamp value = rs.getTimestamp(column);
		return value == null ? null : value.toInstant();
	}

	private static String encodeCursor(String last, String first, UUID id) {
		String raw = last + '\u0000' + first + '\u0000' + id;
		return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
	}

	private static String[] decodeCursor(String cursor) {
		if (cursor == null || cursor.isBlank()) {
			return null;
		}
		try {
			String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\u0000",
					-1);
			if (parts.length != 3) {
				throw new IllegalArgumentException();
			}
			UUID.fromString(parts[2]);
			return parts;
		}
		catch (IllegalArgumentException ex) {
			throw RequestRejectedException.invalid("cursor",
					"'cursor' is not one Rollcall gave out; use the nextCursor of the previous page");
		}
	}

}
