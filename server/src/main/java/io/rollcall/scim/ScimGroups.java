package io.rollcall.scim;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.rollcall.directory.Tag;
import io.rollcall.directory.Tags;
import io.rollcall.platform.Actor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * SCIM Groups are tags: the group's displayName names the tag (with a numbered suffix when another tag, another
 * group's included, has the name: displayName is not unique), its externalId is kept, its members are tagged. Member changes touch only the members named, so adding one
 * person to a group of 50,000 costs one insert.
 */
@Service
class ScimGroups {

	private final JdbcClient jdbc;

	private final Tags tags;

	ScimGroups(JdbcClient jdbc, Tags tags) {
		this.jdbc = jdbc;
		this.tags = tags;
	}

	record Group(UUID id, String displayName, String externalId, String tagName, Timestamp created, Timestamp updated) {
	}

	@Transactional(readOnly = true)
	ObjectNode get(UUID companyId, UUID id, boolean withMembers, String base) {
		return representation(find(companyId, id), withMembers, base);
	}

	@Transactional(readOnly = true)
	ScimUsers.Listing list(UUID companyId, String filter, int startIndex, int count, boolean withMembers, String base) {
		ScimFilterSql.Condition condition = ScimFilterSql.groups(filter);
		String where = " from scim_group g join tag t on t.id = g.tag_id where g.company_id = :company and "
				+ condition.sql();
		var countQuery = this.jdbc.sql("select count(*)" + where).param("company", companyId);
		for (var param : condition.params().entrySet()) {
			countQuery = countQuery.param(param.getKey(), param.getValue());
		}
		long total = countQuery.query(Long.class).single();
		var query = this.jdbc.sql("select g.*, t.name as tag_name" + where
				+ " order by g.created_at, g.tag_id offset :offset limit :limit")
			.param("company", companyId)
			.param("offset", startIndex - 1L)
			.param("limit", count);
		for (var param : condition.params().entrySet()) {
			query = query.param(param.getKey(), param.getValue());
		}
		List<ObjectNode> resources = new ArrayList<>();
		for (Group group : query.query((rs, n) -> group(rs)).list()) {
			resources.add(representation(group, withMembers, base));
		}
		return new ScimUsers.Listing(total, resources);
	}

	@Transactional
	ObjectNode create(UUID companyId, JsonNode body, Actor actor, String base) {
		String displayName = displayName(body);
		// Not unique (RFC 7643 4.2; Entra allows two groups of one name): the tag gets a numbered suffix instead.
		Tag tag = this.tags.create(companyId, displayName, actor);
		this.jdbc.sql("""
				insert into scim_group (tag_id, company_id, display_name, external_id)
				values (:tag, :company, :name, :external)
				""")
			.param("tag", tag.id())
			.param("company", companyId)
			.param("name", displayName)
			.param("external", externalId(body))
			.update();
		this.tags.tag(companyId, tag.id(), memberIds(ScimJson.get(body, "members")), actor);
		return get(companyId, tag.id(), true, base);
	}

	@Transactional
	ObjectNode replace(UUID companyId, UUID id, JsonNode body, Actor actor, String base) {
		Group group = find(companyId, id);
		rename(companyId, group, displayName(body), actor);
		setExternalId(id, externalId(body));
		Set<UUID> wanted = memberIds(ScimJson.get(body, "members"));
		Set<UUID> current = new HashSet<>(members(id));
		List<UUID> removed = current.stream().filter(m -> !wanted.contains(m)).toList();
		List<UUID> added = wanted.stream().filter(m -> !current.contains(m)).toList();
		this.tags.untag(companyId, id, removed, actor);
		this.tags.tag(companyId, id, added, actor);
		touch(id);
		return get(companyId, id, true, base);
	}

	/** Applies the operations; members named in them are added or removed one statement per operation. */
	@Transactional
	void patch(UUID companyId, UUID id, List<ScimPatch.Operation> operations, Actor actor) {
		Group group = find(companyId, id);
		for (ScimPatch.Operation operation : operations) {
			ScimPath path = operation.path();
			if (path == null) {
				// Okta renames with {"id":..., "displayName":...}; Entra (new mode) may send members too.
				for (var entry : operation.value().properties()) {
					String key = entry.getKey();
					if (key.equalsIgnoreCase("id") || key.equalsIgnoreCase("schemas") || key.equalsIgnoreCase("meta")) {
						continue;
					}
					patchAttribute(companyId, group, new ScimPatch.Operation(operation.op(), ScimPath.parse(key),
							entry.getValue()), actor);
					group = find(companyId, id);
				}
			}
			else {
				patchAttribute(companyId, group, operation, actor);
				group = find(companyId, id);
			}
		}
		touch(id);
	}

	private void patchAttribute(UUID companyId, Group group, ScimPatch.Operation operation, Actor actor) {
		ScimPath path = operation.path();
		JsonNode value = operation.value();
		if (path.is("members")) {
			if (operation.op() == ScimPatch.Op.REMOVE) {
				if (path.filter() != null) {
					// members[value eq "id"]: the ids the filter names.
					Set<UUID> named = new LinkedHashSet<>();
					collectMemberIds(path.filter(), named);
					this.tags.untag(companyId, group.id(), named, actor);
				}
				else if (value != null && !value.isNull()) {
					this.tags.untag(companyId, group.id(), memberIds(value), actor);
				}
				else {
					this.tags.untagAll(companyId, group.id(), actor);
				}
			}
			else if (operation.op() == ScimPatch.Op.ADD) {
				this.tags.tag(companyId, group.id(), memberIds(value), actor);
			}
			else {
				Set<UUID> wanted = memberIds(value);
				Set<UUID> current = new HashSet<>(members(group.id()));
				this.tags.untag(companyId, group.id(), current.stream().filter(m -> !wanted.contains(m)).toList(),
						actor);
				this.tags.tag(companyId, group.id(), wanted.stream().filter(m -> !current.contains(m)).toList(), actor);
			}
			return;
		}
		if (path.is("displayName")) {
			if (operation.op() == ScimPatch.Op.REMOVE) {
				throw ScimException.mutability("A group's displayName is required and cannot be removed");
			}
			if (value == null || !value.isString() || value.asString().isBlank()) {
				throw ScimException.invalidValue("'displayName' must be a non-empty string");
			}
			rename(companyId, group, value.asString().strip(), actor);
			return;
		}
		if (path.is("externalId")) {
			if (operation.op() != ScimPatch.Op.REMOVE && value != null && !value.isNull() && !value.isString()) {
				throw ScimException.invalidValue("'externalId' must be a string");
			}
			setExternalId(group.id(),
					operation.op() == ScimPatch.Op.REMOVE || value == null ? null : value.asString(null));
			return;
		}
		throw ScimException.invalidPath("A group has displayName, externalId and members; '" + path.attribute()
				+ "' cannot be changed");
	}

	@Transactional
	void delete(UUID companyId, UUID id, Actor actor) {
		find(companyId, id);
		this.tags.delete(companyId, id, actor);
	}

	private void rename(UUID companyId, Group group, String displayName, Actor actor) {
		if (displayName.equals(group.displayName())) {
			return;
		}
		this.tags.rename(companyId, group.id(), displayName, actor);
		this.jdbc.sql("update scim_group set display_name = :name, updated_at = clock_timestamp() where tag_id = :id")
			.param("name", displayName)
			.param("id", group.id())
			.update();
	}

	private void setExternalId(UUID id, String externalId) {
		this.jdbc.sql("update scim_group set external_id = :external where tag_id = :id")
			.param("external", externalId)
			.param("id", id)
			.update();
	}

	private void touch(UUID id) {
		this.jdbc.sql("update scim_group set updated_at = clock_timestamp() where tag_id = :id")
			.param("id", id)
			.update();
	}

	private Group find(UUID companyId, UUID id) {
		return this.jdbc.sql("""
				select g.*, t.name as tag_name from scim_group g join tag t on t.id = g.tag_id
				where g.company_id = :company and g.tag_id = :id
				""")
			.param("company", companyId)
			.param("id", id)
			.query((rs, n) -> group(rs))
			.optional()
			.orElseThrow(() -> ScimException.notFound("Group " + id + " not found"));
	}

	/**
	 * The members a client sees: not the users it deleted (they answer 404), though they keep the tag, so a replace
	 * leaves them as they are and a user posted again is back in the group.
	 */
	private List<UUID> members(UUID id) {
		return this.jdbc
			.sql("""
					select pt.person_id from person_tag pt where pt.tag_id = :id
					and pt.person_id <> all (array(select d.person_id from scim_user d join tag t on t.company_id = d.company_id
					                               where t.id = :id and d.deleted_at is not null))
					order by pt.person_id""")
			.param("id", id)
			.query(UUID.class)
			.list();
	}

	private static Group group(java.sql.ResultSet rs) throws java.sql.SQLException {
		return new Group(rs.getObject("tag_id", UUID.class), rs.getString("display_name"), rs.getString("external_id"),
				rs.getString("tag_name"), rs.getTimestamp("created_at"), rs.getTimestamp("updated_at"));
	}

	private ObjectNode representation(Group group, boolean withMembers, String base) {
		ObjectNode node = ScimJson.NODES.objectNode();
		node.putArray("schemas").add(ScimFilterSql.CORE_GROUP);
		node.put("id", group.id().toString());
		if (group.externalId() != null) {
			node.put("externalId", group.externalId());
		}
		node.put("displayName", group.displayName());
		if (withMembers) {
			ArrayNode members = node.putArray("members");
			for (UUID member : members(group.id())) {
				members.addObject()
					.put("value", member.toString())
					.put("$ref", base + "/Users/" + member)
					.put("type", "User");
			}
		}
		ObjectNode meta = node.putObject("meta");
		meta.put("resourceType", "Group");
		meta.put("created", group.created().toInstant().toString());
		meta.put("lastModified", group.updated().toInstant().toString());
		meta.put("location", base + "/Groups/" + group.id());
		// Bumped on every change, members included, without reading the members.
		meta.put("version", "W/\""
				+ Long.toHexString(group.updated().getTime() * 1000 + group.updated().getNanos() / 1000 % 1000) + "\"");
		return node;
	}

	private static String displayName(JsonNode body) {
		if (body == null || !body.isObject()) {
			throw ScimException.invalidSyntax("A Group is a JSON object");
		}
		JsonNode name = ScimJson.get(body, "displayName");
		if (name == null || !name.isString() || name.asString().isBlank()) {
			throw ScimException.invalidValue("'displayName' is required");
		}
		if (name.asString().strip().length() > 200) {
			throw ScimException.invalidValue("'displayName' is at most 200 characters");
		}
		return name.asString().strip();
	}

	private static String externalId(JsonNode body) {
		JsonNode value = ScimJson.get(body, "externalId");
		if (value != null && !value.isNull() && !value.isString()) {
			throw ScimException.invalidValue("'externalId' must be a string");
		}
		return value == null || value.isNull() ? null : value.asString();
	}

	/** Member ids from a list of {"value": id} (or one such object, or bare ids); a malformed id is refused. */
	static Set<UUID> memberIds(JsonNode members) {
		Set<UUID> ids = new LinkedHashSet<>();
		if (members == null || members.isNull()) {
			return ids;
		}
		for (JsonNode member : members.isArray() ? members : ScimJson.NODES.arrayNode().add(members)) {
			String value = member.isObject() ? ScimJson.text(member, "value") : member.asString(null);
			if (value == null) {
				throw ScimException.invalidValue("Each member needs a 'value': the user's id");
			}
			ids.add(memberId(value));
		}
		return ids;
	}

	private static UUID memberId(String value) {
		try {
			return UUID.fromString(value.strip());
		}
		catch (IllegalArgumentException ex) {
			throw ScimException.invalidValue("'" + value + "' is not the id of a user here");
		}
	}

	private static void collectMemberIds(com.unboundid.scim2.common.filters.Filter filter, Set<UUID> ids) {
		switch (filter.getFilterType()) {
			case OR, AND -> filter.getCombinedFilters().forEach(f -> collectMemberIds(f, ids));
			case EQUAL -> {
				if (!"value".equalsIgnoreCase(filter.getAttributePath().getLastElement().getAttribute())) {
					throw ScimException.invalidFilter("Members are picked by value, e.g. members[value eq \"id\"]");
				}
				ids.add(memberId(filter.getComparisonValue() == null ? "" : filter.getComparisonValue().asText()));
			}
			default -> throw ScimException.invalidFilter("Members are picked by value, e.g. members[value eq \"id\"]");
		}
	}

}
