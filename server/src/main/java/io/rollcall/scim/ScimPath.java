package io.rollcall.scim;

import java.util.List;
import java.util.Locale;

import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.filters.FilterType;
import tools.jackson.databind.JsonNode;

/**
 * A PATCH path: {@code attr}, {@code attr.sub}, {@code attr[filter]}, {@code attr[filter].sub}, each optionally after
 * a schema URN ({@code urn:...:enterprise:2.0:User:manager}); or the URN alone, naming the extension as a whole.
 *
 * @param schema the extension the attribute lives in, or null for the core schema
 * @param attribute null when the path names the extension object itself
 */
record ScimPath(String schema, String attribute, Filter filter, String subAttribute) {

	private static final List<String> SCHEMAS = List.of(ScimFilterSql.ENTERPRISE_USER, ScimFilterSql.CORE_USER,
			ScimFilterSql.CORE_GROUP);

	static ScimPath parse(String path) {
		if (path == null || path.isBlank()) {
			throw ScimException.invalidPath("The path is empty");
		}
		String rest = path.strip();
		String schema = null;
		for (String urn : SCHEMAS) {
			if (rest.regionMatches(true, 0, urn, 0, urn.length())) {
				if (rest.length() == urn.length()) {
					return new ScimPath(urn.equals(ScimFilterSql.ENTERPRISE_USER) ? urn : null, null, null, null);
				}
				if (rest.charAt(urn.length()) != ':') {
					continue;
				}
				schema = urn.equals(ScimFilterSql.ENTERPRISE_USER) ? urn : null;
				rest = rest.substring(urn.length() + 1);
				break;
			}
		}
		if (rest.regionMatches(true, 0, "urn:", 0, 4)) {
			throw ScimException.invalidPath("The schema of '" + path + "' is not one this server knows");
		}
		String attribute;
		Filter filter = null;
		String sub = null;
		int bracket = rest.indexOf('[');
		if (bracket >= 0) {
			int close = rest.lastIndexOf(']');
			if (close < bracket) {
				throw ScimException.invalidPath("The path '" + path + "' opens a [ it does not close");
			}
			attribute = rest.substring(0, bracket);
			filter = ScimFilterSql.parse(rest.substring(bracket + 1, close));
			String after = rest.substring(close + 1);
			if (!after.isEmpty()) {
				if (!after.startsWith(".") || after.length() == 1) {
					throw ScimException
						.invalidPath("The path '" + path + "' has something after ']' that is not .attribute");
				}
				sub = after.substring(1);
			}
		}
		else {
			int dot = rest.indexOf('.');
			attribute = dot < 0 ? rest : rest.substring(0, dot);
			sub = dot < 0 ? null : rest.substring(dot + 1);
		}
		if (!validName(attribute) || (sub != null && !validName(sub))) {
			throw ScimException.invalidPath("'" + path + "' is not an attribute path");
		}
		return new ScimPath(schema, attribute, filter, sub);
	}

	private static boolean validName(String name) {
		return !name.isEmpty() && name.length() <= 100 && name.matches("[A-Za-z][A-Za-z0-9_$-]*");
	}

	boolean is(String name) {
		return this.attribute != null && this.attribute.equalsIgnoreCase(name);
	}

	/** Whether a value of a multi-valued attribute matches the path's filter (compared without case). */
	static boolean matches(Filter filter, JsonNode element) {
		FilterType type = filter.getFilterType();
		switch (type) {
			case AND -> {
				return filter.getCombinedFilters().stream().allMatch(f -> matches(f, element));
			}
			case OR -> {
				return filter.getCombinedFilters().stream().anyMatch(f -> matches(f, element));
			}
			case NOT -> {
				return !matches(filter.getInvertedFilter(), element);
			}
			case COMPLEX_VALUE -> throw ScimException.invalidFilter("Value filters cannot be nested");
			default -> {
			}
		}
		String name = filter.getAttributePath().getLastElement().getAttribute();
		JsonNode actual = element.isObject() ? ScimJson.get(element, name)
				: (name.equalsIgnoreCase("value") ? element : null);
		if (type == FilterType.PRESENT) {
			return actual != null && !actual.isNull() && !actual.asString("").isEmpty();
		}
		var expected = filter.getComparisonValue();
		String left = actual == null || actual.isNull() ? null : actual.asString("").toLowerCase(Locale.ROOT);
		String right = expected == null || expected.isNull() ? null : expected.asText().toLowerCase(Locale.ROOT);
		if (left == null || right == null) {
			return switch (type) {
				case EQUAL -> left == null && right == null;
				case NOT_EQUAL -> !(left == null && right == null);
				default -> false;
			};
		}
		return switch (type) {
			case EQUAL -> left.equals(right);
			case NOT_EQUAL -> !left.equals(right);
			case CONTAINS -> left.contains(right);
			case STARTS_WITH -> left.startsWith(right);
			case ENDS_WITH -> left.endsWith(right);
			case GREATER_THAN -> left.compareTo(right) > 0;
			case GREATER_OR_EQUAL -> left.compareTo(right) >= 0;
			case LESS_THAN -> left.compareTo(right) < 0;
			case LESS_OR_EQUAL -> left.compareTo(right) <= 0;
			default -> false;
		};
	}

}
