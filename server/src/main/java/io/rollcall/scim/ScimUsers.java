package io.rollcall.scim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.rollcall.directory.People;
import io.rollcall.directory.Person;
import io.rollcall.directory.PersonChanges;
import io.rollcall.directory.PersonField;
import io.rollcall.directory.Teams;
import io.rollcall.mapping.SourceRecord;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import io.rollcall.platform.ShortMemory;
import io.rollcall.sync.RecordProblem;
import io.rollcall.sync.RecordPush;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * SCIM Users are the company's people. Every write becomes one {@link SourceRecord} of the {@code scim} source and
 * goes through the sync engine ({@link RecordPush}), so matching, teams, managers, invitations and audit work as
 * for any other source. The client's last document is kept as the base its PATCHes apply to.
 */
@Service
class ScimUsers {

	static final String SOURCE = "scim";

	/** The identity of a person whose client sent no externalId; never shown as one. */
	private static final String NO_EXTERNAL_ID = "userName:";

	/**
	 * That person {@code p} is a SCIM user the client has not deleted. The identity is found by its key alone: with the
	 * company named too (it is the person's), before PostgreSQL's first statistics that was planned as a walk of every
	 * SCIM identity of the company by the external ids' index, 4 ms a POST whose userName exists at 5,000 people.
	 */
	private static final String LIVE_SCIM_USER_P = """
			exists (select 1 from person_identity i
			        where i.person_id = p.id and i.source = 'scim'
			          and not exists (select 1 from scim_user d where d.person_id = i.person_id and d.deleted_at is not null))""";

	private static final Pattern E164 = Pattern.compile("^\\+[1-9]\\d{1,14}$");

	private final JdbcClient jdbc;

	private final People people;

	private final RecordPush push;

	private final ScimSettingsStore settings;

	private final ObjectMapper json;

	private final Teams teams;

	private final ShortMemory<UUID, Map<UUID, String>> teamNames = new ShortMemory<>(Duration.ofSeconds(5));

	ScimUsers(JdbcClient jdbc, People people, Teams teams, RecordPush push, ScimSettingsStore settings,
			ObjectMapper json) {
		this.jdbc = jdbc;
		this.people = people;
		this.teams = teams;
		this.push = push;
		this.settings = settings;
		this.json = json;
	}

	record Listing(long total, List<ObjectNode> resources) {
	}

	@Transactional(readOnly = true)
	ObjectNode get(UUID companyId, UUID id, String base) {
		return get(companyId, id, base, false);
	}

	/** @param fresh team names read now, not remembered: the result is the base of a change */
	private ObjectNode get(UUID companyId, UUID id, String base, boolean fresh) {
		requireNotDeleted(companyId, id);
		Person person = this.people.loadProfiles(companyId, List.of(id))
			.stream()
			.findFirst()
			.orElseThrow(() -> ScimException.notFound("User " + id + " not found"));
		return representation(person, base, teamNames(companyId, List.of(person), fresh));
	}

	/**
	 * Names of the people's primary teams, which SCIM shows as their department (SCIM's department names the primary
	 * team, so it reads back as sent). Remembered a few seconds for lookups, read again when a team is missing; the
	 * base of a change reads its one team now.
	 */
	private Map<UUID, String> teamNames(UUID companyId, List<Person> persons, boolean fresh) {
		List<UUID> needed = persons.stream()
			.filter(p -> p.department() == null && p.primaryTeamId() != null)
			.map(Person::primaryTeamId)
			.toList();
		if (needed.isEmpty()) {
			return Map.of();
		}
		if (fresh) {
			return this.teams.names(companyId, new java.util.HashSet<>(needed));
		}
		Map<UUID, String> names = this.teamNames.get(companyId, this.teams::names);
		if (!names.keySet().containsAll(needed)) {
			this.teamNames.forget(companyId);
			names = this.teamNames.get(companyId, this.teams::names);
		}
		return names;
	}

	/**
	 * One page of the users a filter selects. No transaction: the page is one statement (most lookups are a
	 * {@code userName eq} answered from the first page), and the total, when it needs its own count, may be a
	 * moment newer than the page, which paging clients tolerate.
	 */
	Listing list(UUID companyId, String filter, String sortBy, boolean descending, int startIndex, int count,
			String base) {
		ScimFilterSql.Condition condition = ScimFilterSql.users(filter);
		// The client's deleted users are read once per statement (an init plan on their partial index) and compared as
		// an array: an anti-join probed scim_user for every row, doubling a count over 100,000 people.
		String from = """
				from person p left join person_identity i
				    on i.person_id = p.id and i.source = 'scim' and i.company_id = p.company_id
				where p.company_id = :company
				  and p.id <> all (array(select d.person_id from scim_user d
				                          where d.company_id = :company and d.deleted_at is not null))
				  and\s""" + condition.sql();
		String order = "p.created_at, p.id";
		if (sortBy != null && !sortBy.isBlank()) {
			String key = sortBy.strip().toLowerCase(Locale.ROOT);
			for (String urn : List.of(ScimFilterSql.ENTERPRISE_USER, ScimFilterSql.CORE_USER)) {
				if (key.startsWith(urn.toLowerCase(Locale.ROOT) + ":")) {
					key = key.substring(urn.length() + 1);
				}
			}
			ScimFilterSql.Column column = ScimFilterSql.USER.get(key);
			if (column == null) {
				throw ScimException.invalidValue("Sorting by '" + sortBy + "' is not supported");
			}
			String expression = column.type() == ScimFilterSql.Type.STRING ? "lower(" + column.sql() + ")"
					: column.sql();
			order = expression + (descending ? " desc nulls last, " : " asc nulls last, ") + order;
		}
		Map<String, Object> matching = new HashMap<>(condition.params());
		matching.put("company", companyId);
		Map<String, Object> params = new HashMap<>(matching);
		params.put("offset", startIndex - 1L);
		params.put("limit", count);
		// The page first, then the profiles of its rows only (a deep offset must not build those of the rows it
		// skips); the derived table keeps the page's order, as the outer query neither joins nor sorts.
		String pageQuery = "from (select p.* " + from + " order by " + order + " offset :offset limit :limit) p";
		List<Person> page = count == 0 ? List.of() : this.people.queryProfiles(pageQuery, params);
		long total;
		if (startIndex == 1 && page.size() < count) {
			total = page.size(); // a first page that is not full holds every match: no count needed (most lookups)
		}
		else {
			total = this.jdbc.sql("select count(*) " + from).params(matching).query(Long.class).single();
		}
		List<ObjectNode> resources = new ArrayList<>(page.size());
		Map<UUID, String> teamNames = teamNames(companyId, page, false);
		for (Person person : page) {
			resources.add(representation(person, base, teamNames));
		}
		return new Listing(total, resources);
	}

	@Transactional
	ObjectNode create(UUID companyId, JsonNode body, Actor actor, String base) {
		ObjectNode document = requireUser(body);
		String userName = ScimJson.text(document, "userName");
		String externalId = ScimJson.text(document, "externalId");
		Claims claims = claims(companyId, userName.strip(), externalId);
		if (claims.userNameTaken()) {
			throw ScimException.uniqueness("A user with userName " + userName + " already exists");
		}
		if (claims.externalIdTaken()) {
			throw ScimException.uniqueness("A user with externalId " + externalId + " already exists");
		}
		UUID id = write(companyId, claims.deletedUser(), document, false, actor);
		return written(companyId, id, base);
	}

	/**
	 * What the directory holds for a new user's userName and externalId, read before it is created.
	 *
	 * @param userNameTaken a SCIM user the client has not deleted has this userName (their sign-in name, else, for
	 * people who have none, their e-mail)
	 * @param externalIdTaken another such user has this externalId
	 * @param deletedUser the person of a user the client deleted (and Rollcall only deactivated) with this externalId,
	 * else this userName: posting it again brings that person back, even when the client's externalId for it changed
	 * meanwhile; null when there is none
	 */
	private record Claims(boolean userNameTaken, boolean externalIdTaken, UUID deletedUser) {
	}

	/**
	 * The uniqueness checks and the deleted user, in one round trip. Each is a subquery of its own, planned alone as a
	 * probe of one index (the sign-in name's, the e-mail's, the external id's): one statement joining them with "or" in
	 * one where clause was planned as a scan of the company once cached, 48 ms a POST at 100,000 people
	 * (bench/RESULTS.md, 2026-12-05). The deleted user too is found from those three probes, then looked up among the
	 * client's users by key, not by joining every deleted user with "or": before PostgreSQL's first statistics of a
	 * fresh directory that was planned as a hash of every person and identity, 10 ms a POST at 6,000 people
	 * (bench/RESULTS.md, 2026-12-06, fourteenth session).
	 */
	private Claims claims(UUID companyId, String userName, String externalId) {
		boolean hasExternalId = externalId != null && !externalId.isBlank();
		return this.jdbc
			.sql("""
					select exists (select 1 from person p
					               where p.company_id = :company and p.sign_in_name is not null
					                 and lower(p.sign_in_name) = lower(:userName) and\s""" + LIVE_SCIM_USER_P + """
					)
					       or exists (select 1 from person p
					                  where p.company_id = :company and lower(p.email) = lower(:userName)
					                    and p.sign_in_name is null and\s""" + LIVE_SCIM_USER_P
					+ """
							) as user_name_taken,
							       :hasExternalId and exists (select 1 from person_identity i
							                                   where i.company_id = :company and i.source = 'scim'
							                                     and i.external_id = :externalId
							                                     and not exists (select 1 from scim_user d where d.person_id = i.person_id
							                                                       and d.company_id = :company and d.deleted_at is not null))
							           as external_id_taken,
							       (select d.person_id
							        from (select i.person_id, 0 as rank from person_identity i
							              where i.company_id = :company and i.source = 'scim' and i.external_id = :externalId
							              union all
							              select p.id, 1 from person p
							              where p.company_id = :company and p.sign_in_name is not null
							                and lower(p.sign_in_name) = lower(:userName)
							              union all
							              select p.id, 1 from person p
							              where p.company_id = :company and p.sign_in_name is null
							                and lower(p.email) = lower(:userName)) c
							        join scim_user d on d.person_id = c.person_id
							        where d.company_id = :company and d.deleted_at is not null
							        order by c.rank, d.deleted_at desc
							        limit 1) as deleted_user
							""")
			.param("company", companyId)
			.param("userName", userName)
			.param("hasExternalId", hasExternalId)
			.param("externalId", hasExternalId ? externalId : "")
			.query((rs, n) -> new Claims(rs.getBoolean(1), rs.getBoolean(2), rs.getObject(3, UUID.class)))
			.single();
	}

	/**
	 * A user just written, as the answer shows it: read once, in the write's transaction, so it is what the write left
	 * (the write made it not deleted, so that is not asked again).
	 */
	private ObjectNode written(UUID companyId, UUID id, String base) {
		Person person = this.people.loadProfiles(companyId, List.of(id))
			.stream()
			.findFirst()
			.orElseThrow(() -> ScimException.notFound("User " + id + " not found"));
		return representation(person, base, teamNames(companyId, List.of(person), false));
	}

	@Transactional
	ObjectNode replace(UUID companyId, UUID id, JsonNode body, Actor actor, String base) {
		get(companyId, id, base);
		ObjectNode document = requireUser(body);
		write(companyId, id, document, false, actor);
		return written(companyId, id, base);
	}

	@Transactional
	ObjectNode patch(UUID companyId, UUID id, List<ScimPatch.Operation> operations, Actor actor, String base) {
		// The client's last document is the base, read with whether the client deleted the user in one statement; a
		// person no SCIM client wrote yet gets one made from their profile (which also answers 404 for an id of no person
		// of this company).
		ObjectNode document = storedDocument(companyId, id).orElseGet(() -> {
			ObjectNode generated = get(companyId, id, base, true).deepCopy();
			generated.remove("meta");
			return generated;
		});
		boolean hadManager = manager(document) != null;
		for (ScimPatch.Operation operation : operations) {
			ScimPatch.apply(document, operation);
		}
		requireUser(document);
		write(companyId, id, document, hadManager && manager(document) == null, actor);
		return written(companyId, id, base);
	}

	/**
	 * Deactivates, or deletes when the company chose that for SCIM. A deactivated user is marked deleted: every later
	 * operation on it answers 404 and lists leave it out (RFC 7644 3.6), while the person and their data stay.
	 */
	@Transactional
	void delete(UUID companyId, UUID id, Actor actor) {
		ObjectNode current = get(companyId, id, "");
		if (this.settings.get(companyId).deletes()) {
			try {
				this.people.delete(companyId, id, actor);
			}
			catch (RequestRejectedException ex) {
				throw new ScimException(409, "mutability", ex.getMessage());
			}
			return;
		}
		ObjectNode document = storedDocument(companyId, id).orElse(current);
		ScimJson.set(document, "active", ScimJson.NODES.booleanNode(false));
		write(companyId, id, document, false, actor);
		this.jdbc.sql("update scim_user set deleted_at = now() where person_id = :id and company_id = :company")
			.param("id", id)
			.param("company", companyId)
			.update();
	}

	private void requireNotDeleted(UUID companyId, UUID id) {
		if (deleted(companyId, id)) {
			throw ScimException.notFound("User " + id + " not found: it was deleted");
		}
	}

	private boolean deleted(UUID companyId, UUID id) {
		return this.jdbc
			.sql("""
					select exists (select 1 from scim_user where person_id = :id and company_id = :company and deleted_at is not null)
					""")
			.param("id", id)
			.param("company", companyId)
			.query(Boolean.class)
			.single();
	}

	/** Pushes the document through the engine and keeps it; the person's id. */
	private UUID write(UUID companyId, UUID personId, ObjectNode document, boolean managerRemoved, Actor actor) {
		SourceRecord record = record(companyId, document, managerRemoved);
		RecordPush.Result result;
		try {
			result = this.push.apply(companyId, SOURCE, personId, record, actor);
		}
		catch (DuplicateKeyException ex) {
			throw ScimException.uniqueness("Another user already has this userName or externalId");
		}
		catch (RequestRejectedException ex) {
			throw new ScimException(ex.status().value(), ex.status().value() == 409 ? "uniqueness" : "invalidValue",
					ex.getMessage());
		}
		// Refused records only: a manager that could not be set leaves the user written without it.
		if (result.personId() == null || result.refused()) {
			throw ScimException.invalidValue(
					result.problems().stream().map(RecordProblem::detail).collect(Collectors.joining("; ")));
		}
		ObjectNode stored = document.deepCopy();
		stored.remove("meta");
		stored.remove("id");
		this.jdbc
			.sql("""
					insert into scim_user (person_id, company_id, document) values (:person, :company, cast(:document as jsonb))
					on conflict (person_id) do update set document = excluded.document, updated_at = now(), deleted_at = null
					""")
			.param("person", result.personId())
			.param("company", companyId)
			.param("document", this.json.writeValueAsString(stored))
			.update();
		return result.personId();
	}

	/** The client's last document of this user; 404 when the client deleted the user. */
	private Optional<ObjectNode> storedDocument(UUID companyId, UUID personId) {
		return this.jdbc
			.sql("select document, deleted_at is not null from scim_user where person_id = :id and company_id = :company")
			.param("id", personId)
			.param("company", companyId)
			.query((rs, n) -> {
				if (rs.getBoolean(2)) {
					throw ScimException.notFound("User " + personId + " not found: it was deleted");
				}
				return rs.getString(1);
			})
			.optional()
			.map(text -> (ObjectNode) this.json.readTree(text));
	}

	private static ObjectNode requireUser(JsonNode body) {
		if (body == null || !body.isObject()) {
			throw ScimException.invalidSyntax("A User is a JSON object");
		}
		ObjectNode document = (ObjectNode) body;
		JsonNode userName = ScimJson.get(document, "userName");
		if (userName == null || !userName.isString() || userName.asString().isBlank()) {
			throw ScimException.invalidValue("'userName' is required: the name the user signs in with (an e-mail "
					+ "address or any other name, such as jdoe)");
		}
		JsonNode active = ScimJson.get(document, "active");
		if (active != null) {
			ScimJson.set(document, "active", ScimJson.lenientBoolean("active", active));
		}
		JsonNode externalId = ScimJson.get(document, "externalId");
		if (externalId != null && !externalId.isNull() && !externalId.isString()) {
			throw ScimException.invalidValue("'externalId' must be a string");
		}
		for (String multi : List.of("emails", "phoneNumbers", "addresses")) {
			JsonNode values = ScimJson.get(document, multi);
			if (values != null && !values.isNull() && !values.isArray()) {
				throw ScimException.invalidValue("'" + multi + "' must be a list");
			}
		}
		JsonNode name = ScimJson.get(document, "name");
		if (name != null && !name.isNull() && !name.isObject()) {
			throw ScimException.invalidValue("'name' must be an object");
		}
		JsonNode enterprise = ScimJson.get(document, ScimFilterSql.ENTERPRISE_USER);
		if (enterprise != null && !enterprise.isNull() && !enterprise.isObject()) {
			throw ScimException.invalidValue("'" + ScimFilterSql.ENTERPRISE_USER + "' must be an object");
		}
		return document;
	}

	/** The document as the engine reads it: flattened attributes, active, the manager. */
	private SourceRecord record(UUID companyId, ObjectNode document, boolean managerRemoved) {
		Map<String, String> attributes = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> entry : document.properties()) {
			JsonNode value = entry.getValue();
			if (value.isString() || value.isNumber() || value.isBoolean()) {
				attributes.put(entry.getKey(), value.asString());
			}
		}
		JsonNode name = ScimJson.get(document, "name");
		if (name != null && name.isObject()) {
			for (Map.Entry<String, JsonNode> entry : name.properties()) {
				if (!entry.getValue().isObject() && !entry.getValue().isArray() && !entry.getValue().isNull()) {
					attributes.put("name." + entry.getKey(), entry.getValue().asString());
				}
			}
		}
		// userName is any string the client chooses (RFC 7643 4.1: "bjensen"), the person's sign-in name. When it is an
		// e-mail address it is also the person's e-mail (seed 004: Entra's userPrincipalName is the primary e-mail, as
		// Rollcall always kept it, so Entra's and Okta's users keep their address); otherwise the e-mail comes from emails.
		JsonNode emails = ScimJson.get(document, "emails");
		String userName = ScimJson.text(document, "userName").strip();
		String email = isEmail(userName) ? userName : emailValue(primaryEmail(emails));
		if (email == null) {
			throw ScimException.invalidValue("The user has no e-mail address: userName '" + userName
					+ "' is not one and 'emails' holds none. Send the user's e-mail in emails "
					+ "(e.g. [{\"value\": \"jdoe@example.com\", \"primary\": true}]): every person needs one");
		}
		attributes.put("emails.value", email);
		String secondary = secondaryEmail(emails, email);
		if (secondary != null) {
			attributes.put("emails.secondary", secondary);
		}
		JsonNode phones = ScimJson.get(document, "phoneNumbers");
		if (phones != null && phones.isArray() && !phones.isEmpty()) {
			// One number per person: the first one sent, as the seed's table says.
			String phone = phones.get(0).isObject() ? ScimJson.text(phones.get(0), "value")
					: phones.get(0).asString(null);
			if (phone != null && !phone.isBlank()) {
				String digits = phone.strip().replaceAll("[\\s().-]", "");
				if (!E164.matcher(digits).matches()) {
					throw ScimException.invalidValue("phoneNumbers: '" + phone
							+ "' is not an E.164 number (+ country code and number, e.g. +442079460958)");
				}
				attributes.put("phoneNumber", digits);
			}
		}
		JsonNode address = pick(ScimJson.get(document, "addresses"));
		if (address != null && address.isObject()) {
			for (Map.Entry<String, JsonNode> entry : address.properties()) {
				if (entry.getValue().isString()) {
					attributes.put("addresses." + entry.getKey(), entry.getValue().asString());
				}
			}
		}
		JsonNode enterprise = ScimJson.get(document, ScimFilterSql.ENTERPRISE_USER);
		String managerRef = managerRemoved ? "" : null;
		if (enterprise != null && enterprise.isObject()) {
			for (Map.Entry<String, JsonNode> entry : enterprise.properties()) {
				if (entry.getValue().isString() || entry.getValue().isNumber()) {
					attributes.put(entry.getKey(), entry.getValue().asString());
				}
			}
			JsonNode manager = ScimJson.get(enterprise, "manager");
			if (manager != null) {
				String value = manager.isObject() ? ScimJson.text(manager, "value") : manager.asString(null);
				managerRef = value == null || value.isBlank() ? "" : managerReference(companyId, value.strip());
			}
		}
		String externalId = ScimJson.text(document, "externalId");
		String identity = externalId != null && !externalId.isBlank() ? externalId
				: NO_EXTERNAL_ID + userName.strip().toLowerCase(Locale.ROOT);
		JsonNode active = ScimJson.get(document, "active");
		boolean enabled = active == null || active.isNull() || active.asBoolean(true);
		return new SourceRecord(identity, attributes, enabled, managerRef, null, List.of());
	}

	/** The engine finds managers by e-mail; SCIM names them by their SCIM id, which is the person's id. */
	private String managerReference(UUID companyId, String value) {
		try {
			UUID id = UUID.fromString(value);
			return this.people.loadProfiles(companyId, List.of(id))
				.stream()
				.findFirst()
				.map(Person::email)
				.orElse(value);
		}
		catch (IllegalArgumentException ex) {
			return value;
		}
	}

	private static JsonNode manager(ObjectNode document) {
		JsonNode enterprise = ScimJson.get(document, ScimFilterSql.ENTERPRISE_USER);
		JsonNode manager = enterprise == null ? null : ScimJson.get(enterprise, "manager");
		return manager == null || manager.isNull() ? null : manager;
	}

	/** The work value of a multi-valued attribute, else the primary one, else the first. */
	private static JsonNode pick(JsonNode values) {
		if (values == null || !values.isArray() || values.isEmpty()) {
			return null;
		}
		for (JsonNode value : values) {
			if ("work".equalsIgnoreCase(ScimJson.text(value, "type"))) {
				return value;
			}
		}
		for (JsonNode value : values) {
			if (value.isObject() && ScimJson.get(value, "primary") != null
					&& ScimJson.get(value, "primary").asBoolean(false)) {
				return value;
			}
		}
		return values.get(0);
	}

	/** The person's e-mail among the user's emails: the primary one, else the work one, else the first. */
	private static JsonNode primaryEmail(JsonNode values) {
		if (values == null || !values.isArray() || values.isEmpty()) {
			return null;
		}
		for (JsonNode value : values) {
			if (isPrimary(value) && emailValue(value) != null) {
				return value;
			}
		}
		for (JsonNode value : values) {
			if ("work".equalsIgnoreCase(ScimJson.text(value, "type")) && emailValue(value) != null) {
				return value;
			}
		}
		for (JsonNode value : values) {
			if (emailValue(value) != null) {
				return value;
			}
		}
		return null;
	}

	/**
	 * Seed 004's secondary e-mail: the first address other than the person's e-mail that is not marked primary, else
	 * the primary one when the e-mail came from userName (Entra's {@code mail} beside a UPN that differs from it).
	 */
	private static String secondaryEmail(JsonNode values, String email) {
		if (values == null || !values.isArray()) {
			return null;
		}
		String primaryElsewhere = null;
		for (JsonNode value : values) {
			String text = emailValue(value);
			if (text == null || text.equalsIgnoreCase(email)) {
				continue;
			}
			if (!isPrimary(value)) {
				return text;
			}
			primaryElsewhere = primaryElsewhere == null ? text : primaryElsewhere;
		}
		return primaryElsewhere;
	}

	private static boolean isPrimary(JsonNode value) {
		JsonNode primary = value.isObject() ? ScimJson.get(value, "primary") : null;
		// Entra's default mode sends booleans as the strings "True" and "False".
		return primary != null
				&& (primary.isBoolean() ? primary.booleanValue() : "true".equalsIgnoreCase(primary.asString("")));
	}

	/** The address of one value of emails (an object with value; a bare string is read too), or null. */
	private static String emailValue(JsonNode value) {
		if (value == null) {
			return null;
		}
		String text = value.isObject() ? ScimJson.text(value, "value") : value.isString() ? value.asString() : null;
		return text == null || text.isBlank() ? null : text.strip();
	}

	private static boolean isEmail(String text) {
		try {
			PersonChanges.normalise(PersonField.EMAIL, text);
			return true;
		}
		catch (RequestRejectedException ex) {
			return false;
		}
	}

	ObjectNode representation(Person person, String base, Map<UUID, String> teamNames) {
		ObjectNode user = ScimJson.NODES.objectNode();
		user.putArray("schemas").add(ScimFilterSql.CORE_USER).add(ScimFilterSql.ENTERPRISE_USER);
		user.put("id", person.id().toString());
		String externalId = person.externalIds().get(SOURCE);
		if (externalId != null && !externalId.startsWith(NO_EXTERNAL_ID)) {
			user.put("externalId", externalId);
		}
		// The userName the client sent: the sign-in name, which is the e-mail for people no client named otherwise.
		user.put("userName", person.signInName() != null ? person.signInName() : person.email());
		ObjectNode name = user.putObject("name");
		putIfSet(name, "givenName", person.firstName());
		putIfSet(name, "familyName", person.lastName());
		name.put("formatted", person.displayName());
		user.put("displayName", person.displayName());
		putIfSet(user, "title", person.jobTitle());
		putIfSet(user, "preferredLanguage", person.language());
		user.put("active", person.active());
		ArrayNode emails = user.putArray("emails");
		emails.addObject().put("value", person.email()).put("type", "work").put("primary", true);
		if (person.secondaryEmail() != null) {
			emails.addObject().put("value", person.secondaryEmail()).put("type", "other").put("primary", false);
		}
		if (person.phone() != null) {
			user.putArray("phoneNumbers").addObject().put("value", person.phone()).put("type", "work");
		}
		if (person.streetAddress() != null || person.city() != null || person.postalCode() != null
				|| person.country() != null || person.office() != null) {
			ObjectNode address = user.putArray("addresses").addObject().put("type", "work");
			putIfSet(address, "formatted", person.office());
			putIfSet(address, "streetAddress", person.streetAddress());
			putIfSet(address, "locality", person.city());
			putIfSet(address, "postalCode", person.postalCode());
			putIfSet(address, "country", person.country());
		}
		ObjectNode enterprise = user.putObject(ScimFilterSql.ENTERPRISE_USER);
		putIfSet(enterprise, "employeeNumber", person.employeeId());
		putIfSet(enterprise, "department",
				person.department() != null || person.primaryTeamId() == null ? person.department()
						: teamNames.get(person.primaryTeamId()));
		putIfSet(enterprise, "organization", person.companyName());
		if (person.overrideManagerId() != null) {
			enterprise.putObject("manager")
				.put("value", person.overrideManagerId().toString())
				.put("$ref", base + "/Users/" + person.overrideManagerId());
		}
		ObjectNode meta = user.putObject("meta");
		meta.put("resourceType", "User");
		if (person.createdAt() != null) {
			meta.put("created", person.createdAt().toString());
		}
		if (person.updatedAt() != null) {
			meta.put("lastModified", person.updatedAt().toString());
		}
		meta.put("location", base + "/Users/" + person.id());
		meta.put("version", version(user));
		return user;
	}

	/** A weak ETag over everything the client sees, so any change to the resource changes it. */
	static String version(ObjectNode resource) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest(resource.toString().getBytes(StandardCharsets.UTF_8));
			return "W/\"" + HexFormat.of().formatHex(digest, 0, 10) + "\"";
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void putIfSet(ObjectNode node, String name, String value) {
		if (value != null) {
			node.put(name, value);
		}
	}

}
