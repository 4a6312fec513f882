package io.rollcall.scim;

import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Reading SCIM documents, whose attribute names compare without regard to case. */
final class ScimJson {

	static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private ScimJson() {
	}

	/** The attribute's key as the document spells it, or null. */
	static String key(JsonNode object, String name) {
		if (object == null || !object.isObject()) {
			return null;
		}
		if (object.has(name)) {
			return name;
		}
		for (String key : object.propertyNames()) {
			if (key.equalsIgnoreCase(name)) {
				return key;
			}
		}
		return null;
	}

	static JsonNode get(JsonNode object, String name) {
		String key = key(object, name);
		return key == null ? null : object.get(key);
	}

	/** The attribute as text, or null when absent, null or not a scalar. */
	static String text(JsonNode object, String name) {
		JsonNode value = get(object, name);
		if (value == null || value.isNull() || value.isObject() || value.isArray()) {
			return null;
		}
		return value.asString();
	}

	/** Sets the attribute, replacing it under whatever case the document had. */
	static void set(ObjectNode object, String name, JsonNode value) {
		String key = key(object, name);
		if (key != null && !key.equals(name)) {
			object.remove(key);
		}
		object.set(key == null ? name : key, value);
	}

	static void remove(ObjectNode object, String name) {
		String key = key(object, name);
		if (key != null) {
			object.remove(key);
		}
	}

	/** The child object, made when missing. */
	static ObjectNode child(ObjectNode object, String name) {
		JsonNode existing = get(object, name);
		if (existing != null && existing.isObject()) {
			return (ObjectNode) existing;
		}
		ObjectNode made = NODES.objectNode();
		set(object, name, made);
		return made;
	}

	/** Booleans as Entra sends them in its default mode: the strings "True" and "False". */
	static JsonNode lenientBoolean(String name, JsonNode value) {
		if (value != null && value.isString()) {
			String text = value.asString().strip().toLowerCase(Locale.ROOT);
			if (text.equals("true") || text.equals("false")) {
				return NODES.booleanNode(text.equals("true"));
			}
			throw ScimException.invalidValue("'" + name + "' must be true or false, not '" + value.asString() + "'");
		}
		if (value != null && !value.isBoolean() && !value.isNull()) {
			throw ScimException.invalidValue("'" + name + "' must be true or false");
		}
		return value;
	}

	static ObjectNode error(int status, String scimType, String detail) {
		ObjectNode error = NODES.objectNode();
		error.putArray("schemas").add("urn:ietf:params:scim:api:messages:2.0:Error");
		error.put("status", String.valueOf(status));
		if (scimType != null) {
			error.put("scimType", scimType);
		}
		error.put("detail", detail);
		return error;
	}

	static Map<String, String> lowerCaseKeys(Map<String, String> map) {
		Map<String, String> lower = new java.util.LinkedHashMap<>();
		map.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
		return lower;
	}

}
