package io.rollcall.scim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.filters.FilterType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * RFC 7644 PATCH over a stored document, lenient toward what real clients send (each leniency named):
 * <ul>
 * <li>Entra (default mode): capitalised ops ("Replace"), {@code "True"}/{@code "False"} strings for booleans, the
 * manager as a bare string, member removal with the members in {@code value} instead of a path filter;</li>
 * <li>Entra ({@code aadOptscim062020}) and Okta: path-less add/replace with dotted or URN-qualified keys.</li>
 * </ul>
 */
final class ScimPatch {

	static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

	static final int MAX_OPERATIONS = 1000;

	private ScimPatch() {
	}

	enum Op {
		ADD, REPLACE, REMOVE
	}

	/** @param path null for a path-less operation */
	record Operation(Op op, ScimPath path, JsonNode value) {
	}

	static List<Operation> parse(JsonNode body) {
		if (body == null || !body.isObject()) {
			throw ScimException.invalidSyntax("A PATCH body is a JSON object with \"Operations\"");
		}
		JsonNode schemas = ScimJson.get(body, "schemas");
		if (schemas != null && schemas.isArray() && schemas.size() > 0) {
			boolean patchOp = false;
			for (JsonNode schema : schemas) {
				patchOp |= PATCH_OP.equalsIgnoreCase(schema.asString(""));
			}
			if (!patchOp) {
				throw ScimException.invalidSyntax("A PATCH body's schemas must include " + PATCH_OP);
			}
		}
		JsonNode operations = ScimJson.get(body, "Operations");
		if (operations == null || !operations.isArray() || operations.isEmpty()) {
			throw ScimException.invalidSyntax("\"Operations\" must be a non-empty list");
		}
		if (operations.size() > MAX_OPERATIONS) {
			throw new ScimException(413, null, "At most " + MAX_OPERATIONS + " operations per PATCH");
		}
		List<Operation> parsed = new ArrayList<>();
		for (JsonNode operation : operations) {
			if (!operation.isObject()) {
				throw ScimException.invalidSyntax("Each operation is an object with \"op\"");
			}
			String op = ScimJson.text(operation, "op");
			Op kind;
			try {
				kind = Op.valueOf(op == null ? "" : op.strip().toUpperCase(Locale.ROOT));
			}
			catch (IllegalArgumentException ex) {
				throw ScimException.invalidSyntax("\"op\" must be add, replace or remove, not '" + op + "'");
			}
			JsonNode pathNode = ScimJson.get(operation, "path");
			if (pathNode != null && !pathNode.isNull() && !pathNode.isString()) {
				throw ScimException.invalidPath("\"path\" must be a string");
			}
			String path = pathNode == null || pathNode.isNull() ? null : pathNode.asString();
			JsonNode value = ScimJson.get(operation, "value");
			if (path == null || path.isBlank()) {
				if (kind == Op.REMOVE) {
					throw ScimException.noTarget("A remove operation needs a path");
				}
				if (value == null || !value.isObject()) {
					throw ScimException.invalidValue("A path-less " + op + " needs an object as its value");
				}
				parsed.add(new Operation(kind, null, value));
			}
			else {
				if (kind != Op.REMOVE && value == null) {
					throw ScimException.invalidValue("The " + op + " of '" + path + "' needs a value");
				}
				parsed.add(new Operation(kind, ScimPath.parse(path), value));
			}
		}
		return parsed;
	}

	/** Applies the operation to a User document. */
	static void apply(ObjectNode document, Operation operation) {
		if (operation.path() == null) {
			for (Map.Entry<String, JsonNode> entry : operation.value().properties()) {
				String key = entry.getKey();
				if (key.equalsIgnoreCase(ScimFilterSql.ENTERPRISE_USER) && entry.getValue().isObject()) {
					for (Map.Entry<String, JsonNode> inner : entry.getValue().properties()) {
						apply(document, new Operation(operation.op(),
								ScimPath.parse(ScimFilterSql.ENTERPRISE_USER + ":" + inner.getKey()),
								inner.getValue()));
					}
				}
				else if (key.equalsIgnoreCase("schemas") || key.equalsIgnoreCase("id")
						|| key.equalsIgnoreCase("meta")) {
					continue; // read-only; Okta sends the id along with a rename
				}
				else {
					apply(document, new Operation(operation.op(), ScimPath.parse(key), entry.getValue()));
				}
			}
			return;
		}
		ScimPath path = operation.path();
		ObjectNode container = document;
		if (path.schema() != null) {
			if (path.attribute() == null) {
				if (operation.op() == Op.REMOVE) {
					ScimJson.remove(document, path.schema());
				}
				else if (operation.value().isObject()) {
					for (Map.Entry<String, JsonNode> inner : operation.value().properties()) {
						apply(document,
								new Operation(operation.op(), ScimPath.parse(path.schema() + ":" + inner.getKey()),
										inner.getValue()));
					}
				}
				else {
					throw ScimException.invalidValue("The value of " + path.schema() + " must be an object");
				}
				return;
			}
			container = ScimJson.child(document, path.schema());
		}
		if (path.is("id") || path.is("meta") || path.is("schemas")) {
			throw ScimException.mutability("'" + path.attribute() + "' is read-only");
		}
		JsonNode value = normalise(path, operation.value());
		if (path.filter() != null) {
			applyFiltered(container, path, operation.op(), value);
		}
		else if (path.subAttribute() != null) {
			JsonNode parent = ScimJson.get(container, path.attribute());
			if (parent != null && parent.isArray()) {
				for (JsonNode element : parent) {
					if (element.isObject()) {
						setOrRemove((ObjectNode) element, path.subAttribute(), operation.op(), value);
					}
				}
				if (parent.isEmpty() && operation.op() != Op.REMOVE) {
					ObjectNode element = ((ArrayNode) parent).addObject();
					element.set(path.subAttribute(), value);
				}
			}
			else if (operation.op() == Op.REMOVE) {
				if (parent != null && parent.isObject()) {
					ScimJson.remove((ObjectNode) parent, path.subAttribute());
				}
			}
			else {
				ScimJson.set(ScimJson.child(container, path.attribute()), path.subAttribute(), value);
			}
		}
		else {
			applyWhole(container, path.attribute(), operation.op(), value);
		}
	}

	private static void applyWhole(ObjectNode container, String attribute, Op op, JsonNode value) {
		JsonNode existing = ScimJson.get(container, attribute);
		if (op == Op.REMOVE) {
			if (value != null && !value.isNull() && existing != null && existing.isArray()) {
				// Entra removes members (and other values) by listing them in value rather than in a path filter.
				ArrayNode kept = ScimJson.NODES.arrayNode();
				for (JsonNode element : existing) {
					if (!containsValue(value, element)) {
						kept.add(element);
					}
				}
				ScimJson.set(container, attribute, kept);
			}
			else {
				ScimJson.remove(container, attribute);
			}
			return;
		}
		if (value == null || value.isNull()) {
			ScimJson.remove(container, attribute);
			return;
		}
		if (existing != null && existing.isArray() && op == Op.ADD) {
			ArrayNode merged = (ArrayNode) existing;
			for (JsonNode element : value.isArray() ? value : ScimJson.NODES.arrayNode().add(value)) {
				if (!containsValue(merged, element)) {
					merged.add(element);
				}
			}
			return;
		}
		if (existing != null && existing.isObject() && value.isObject()) {
			for (Map.Entry<String, JsonNode> entry : value.properties()) {
				ScimJson.set((ObjectNode) existing, entry.getKey(), entry.getValue());
			}
			return;
		}
		ScimJson.set(container, attribute, value);
	}

	private static void applyFiltered(ObjectNode container, ScimPath path, Op op, JsonNode value) {
		JsonNode existing = ScimJson.get(container, path.attribute());
		ArrayNode array;
		if (existing != null && existing.isArray()) {
			array = (ArrayNode) existing;
		}
		else {
			if (op == Op.REMOVE) {
				return;
			}
			array = ScimJson.NODES.arrayNode();
			ScimJson.set(container, path.attribute(), array);
		}
		boolean matched = false;
		for (int i = array.size() - 1; i >= 0; i--) {
			JsonNode element = array.get(i);
			if (!ScimPath.matches(path.filter(), element)) {
				continue;
			}
			matched = true;
			if (path.subAttribute() == null) {
				if (op == Op.REMOVE) {
					array.remove(i);
				}
				else if (element.isObject() && value != null && value.isObject()) {
					value.properties().forEach(e -> ScimJson.set((ObjectNode) element, e.getKey(), e.getValue()));
				}
				else {
					array.set(i, value);
				}
			}
			else if (element.isObject()) {
				setOrRemove((ObjectNode) element, path.subAttribute(), op, value);
			}
		}
		if (!matched && op != Op.REMOVE) {
			// Entra replaces emails[type eq "work"].value on users who have no work e-mail yet: make the value.
			ObjectNode element = ScimJson.NODES.objectNode();
			seed(path.filter(), element);
			if (path.subAttribute() != null) {
				element.set(path.subAttribute(), value);
			}
			else if (value != null && value.isObject()) {
				value.properties().forEach(e -> element.set(e.getKey(), e.getValue()));
			}
			array.add(element);
		}
	}

	/** The attribute values an "eq" filter asks for, given to a value made for it. */
	private static void seed(Filter filter, ObjectNode element) {
		if (filter.getFilterType() == FilterType.AND) {
			filter.getCombinedFilters().forEach(f -> seed(f, element));
		}
		else if (filter.getFilterType() == FilterType.EQUAL && filter.getComparisonValue() != null) {
			var value = filter.getComparisonValue();
			String name = filter.getAttributePath().getLastElement().getAttribute();
			if (value.isBoolean()) {
				element.put(name, value.booleanValue());
			}
			else {
				element.put(name, value.asText());
			}
		}
	}

	private static void setOrRemove(ObjectNode element, String name, Op op, JsonNode value) {
		if (op == Op.REMOVE || value == null || value.isNull()) {
			ScimJson.remove(element, name);
		}
		else {
			ScimJson.set(element, name, value);
		}
	}

	private static boolean containsValue(JsonNode values, JsonNode element) {
		String wanted = element.isObject() ? ScimJson.text(element, "value") : element.asString(null);
		for (JsonNode candidate : values.isArray() ? values : ScimJson.NODES.arrayNode().add(values)) {
			String have = candidate.isObject() ? ScimJson.text(candidate, "value") : candidate.asString(null);
			if (wanted != null && wanted.equalsIgnoreCase(have)) {
				return true;
			}
			if (wanted == null && candidate.equals(element)) {
				return true;
			}
		}
		return false;
	}

	/** Entra's strings for booleans, and its bare-string manager. */
	private static JsonNode normalise(ScimPath path, JsonNode value) {
		if (value == null) {
			return null;
		}
		String last = path.subAttribute() != null ? path.subAttribute() : path.attribute();
		if (last.equalsIgnoreCase("active") || last.equalsIgnoreCase("primary")) {
			return ScimJson.lenientBoolean(last, value);
		}
		if (path.is("manager") && path.subAttribute() == null && value.isString()) {
			ObjectNode manager = ScimJson.NODES.objectNode();
			manager.put("value", value.asString());
			return value.asString().isBlank() ? ScimJson.NODES.nullNode() : manager;
		}
		return value;
	}

}
