package io.rollcall.scim;

import java.util.List;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The discovery documents (RFC 7643 sections 5 to 7): what this server supports, and the schemas it speaks. */
final class ScimDiscovery {

	private ScimDiscovery() {
	}

	static ObjectNode serviceProviderConfig() {
		ObjectNode config = ScimJson.NODES.objectNode();
		config.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig");
		config.put("documentationUri", "https://github.com/rollcall/rollcall#scim");
		config.putObject("patch").put("supported", true);
		config.putObject("bulk").put("supported", false).put("maxOperations", 0).put("maxPayloadSize", 0);
		config.putObject("filter").put("supported", true).put("maxResults", ScimEndpoint.MAX_COUNT);
		config.putObject("changePassword").put("supported", false);
		config.putObject("sort").put("supported", true);
		config.putObject("etag").put("supported", true);
		ArrayNode schemes = config.putArray("authenticationSchemes");
		schemes.addObject()
			.put("type", "oauthbearertoken")
			.put("name", "OAuth Bearer Token")
			.put("description", "A secret token from the console, or an access token from POST /scim/v2/token")
			.put("primary", true);
		config.putObject("meta").put("resourceType", "ServiceProviderConfig");
		return config;
	}

	static List<ObjectNode> resourceTypes(String base) {
		ObjectNode user = ScimJson.NODES.objectNode();
		user.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:ResourceType");
		user.put("id", "User")
			.put("name", "User")
			.put("endpoint", "/Users")
			.put("description", "People of the company");
		user.put("schema", ScimFilterSql.CORE_USER);
		user.putArray("schemaExtensions")
			.addObject()
			.put("schema", ScimFilterSql.ENTERPRISE_USER)
			.put("required", false);
		user.putObject("meta").put("resourceType", "ResourceType").put("location", base + "/ResourceTypes/User");
		ObjectNode group = ScimJson.NODES.objectNode();
		group.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:ResourceType");
		group.put("id", "Group").put("name", "Group").put("endpoint", "/Groups").put("description", "Tags on people");
		group.put("schema", ScimFilterSql.CORE_GROUP);
		group.putArray("schemaExtensions");
		group.putObject("meta").put("resourceType", "ResourceType").put("location", base + "/ResourceTypes/Group");
		return List.of(user, group);
	}

	static List<ObjectNode> schemas() {
		ObjectNode user = schema(ScimFilterSql.CORE_USER, "User");
		ArrayNode attributes = (ArrayNode) user.get("attributes");
		attributes.add(attribute("userName", "string", false, true).put("uniqueness", "server"));
		attributes.add(complex("name", false, attribute("formatted", "string", false, false),
				attribute("givenName", "string", false, false), attribute("familyName", "string", false, false)));
		attributes.add(attribute("displayName", "string", false, false));
		attributes.add(attribute("title", "string", false, false));
		attributes.add(attribute("preferredLanguage", "string", false, false));
		attributes.add(attribute("active", "boolean", false, false));
		attributes.add(complex("emails", true, attribute("value", "string", false, false),
				attribute("type", "string", false, false), attribute("primary", "boolean", false, false)));
		attributes.add(complex("phoneNumbers", true, attribute("value", "string", false, false),
				attribute("type", "string", false, false), attribute("primary", "boolean", false, false)));
		attributes.add(complex("addresses", true, attribute("formatted", "string", false, false),
				attribute("streetAddress", "string", false, false), attribute("locality", "string", false, false),
				attribute("postalCode", "string", false, false), attribute("country", "string", false, false),
				attribute("type", "string", false, false)));
		ObjectNode enterprise = schema(ScimFilterSql.ENTERPRISE_USER, "EnterpriseUser");
		ArrayNode extension = (ArrayNode) enterprise.get("attributes");
		extension.add(attribute("employeeNumber", "string", false, false));
		extension.add(attribute("department", "string", false, false));
		extension.add(attribute("organization", "string", false, false));
		extension.add(complex("manager", false, attribute("value", "string", false, false),
				attribute("$ref", "reference", false, false)));
		ObjectNode group = schema(ScimFilterSql.CORE_GROUP, "Group");
		ArrayNode groupAttributes = (ArrayNode) group.get("attributes");
		groupAttributes.add(attribute("displayName", "string", false, true));
		groupAttributes.add(complex("members", true, attribute("value", "string", false, false),
				attribute("$ref", "reference", false, false), attribute("type", "string", false, false)));
		return List.of(user, enterprise, group);
	}

	static ObjectNode list(List<ObjectNode> resources) {
		ObjectNode list = ScimJson.NODES.objectNode();
		list.putArray("schemas").add(ScimEndpoint.LIST_RESPONSE);
		list.put("totalResults", resources.size());
		list.put("startIndex", 1);
		list.put("itemsPerPage", resources.size());
		ArrayNode array = list.putArray("Resources");
		resources.forEach(array::add);
		return list;
	}

	private static ObjectNode schema(String id, String name) {
		ObjectNode schema = ScimJson.NODES.objectNode();
		schema.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:Schema");
		schema.put("id", id).put("name", name);
		schema.putArray("attributes");
		schema.putObject("meta").put("resourceType", "Schema");
		return schema;
	}

	private static ObjectNode attribute(String name, String type, boolean multiValued, boolean required) {
		ObjectNode attribute = ScimJson.NODES.objectNode();
		attribute.put("name", name)
			.put("type", type)
			.put("multiValued", multiValued)
			.put("required", required)
			.put("caseExact", false)
			.put("mutability", "readWrite")
			.put("returned", "default")
			.put("uniqueness", "none");
		return attribute;
	}

	private static ObjectNode complex(String name, boolean multiValued, ObjectNode... subAttributes) {
		ObjectNode attribute = attribute(name, "complex", multiValued, false);
		ArrayNode subs = attribute.putArray("subAttributes");
		for (ObjectNode sub : subAttributes) {
			subs.add(sub);
		}
		return attribute;
	}

}
