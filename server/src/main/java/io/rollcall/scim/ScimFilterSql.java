package io.rollcall.scim;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ValueNode;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.filters.FilterType;

/**
 * Turns an RFC 7644 filter into a SQL condition over the directory's tables, with bound parameters, so a filter is
 * answered by the database's indexes and never by loading people. Attribute names compare without case; string
 * comparisons too, except for the attributes the RFC makes case-exact (id, externalId). An attribute that is not
 * filterable is refused with {@code invalidFilter}: answering it with an empty list makes Entra create duplicates.
 */
final class ScimFilterSql {

	static final String CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";

	static final String ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

	static final String CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

	enum Type {
		STRING, EXACT, BOOLEAN, DATETIME, ID
	}

	/** A filterable attribute: its SQL expression and how its values compare. */
	record Column(String sql, Type type) {
	}

	/** The User attributes, by lower-case path with the schema prefix removed. */
	static final Map<String, Column> USER = Map.ofEntries(Map.entry("id", new Column("p.id", Type.ID)),
			Map.entry("externalid", new Column("i.external_id", Type.EXACT)),
			// The userName the client sent: the sign-in name, else (people no client named otherwise) the e-mail.
			Map.entry("username", new Column("coalesce(p.sign_in_name, p.email)", Type.STRING)),
			Map.entry("emails", new Column("p.email", Type.STRING)),
			Map.entry("emails.value", new Column("p.email", Type.STRING)),
			Map.entry("emails.type", new Column("'work'", Type.STRING)),
			Map.entry("emails.primary", new Column("true", Type.BOOLEAN)),
			Map.entry("active", new Column("(p.status = 'active')", Type.BOOLEAN)),
			Map.entry("displayname", new Column("coalesce(nullif(p.full_name, ''), "
					+ "nullif(trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')), ''))",
					Type.STRING)),
			Map.entry("name.formatted", new Column("coalesce(nullif(p.full_name, ''), "
					+ "nullif(trim(coalesce(p.first_name, '') || ' ' || coalesce(p.last_name, '')), ''))",
					Type.STRING)),
			Map.entry("name.givenname", new Column("p.first_name", Type.STRING)),
			Map.entry("name.familyname", new Column("p.last_name", Type.STRING)),
			Map.entry("title", new Column("p.job_title", Type.STRING)),
			Map.entry("phonenumbers", new Column("p.phone", Type.STRING)),
			Map.entry("phonenumbers.value", new Column("p.phone", Type.STRING)),
			Map.entry("addresses.streetaddress", new Column("p.street_address", Type.STRING)),
			Map.entry("addresses.locality", new Column("p.city", Type.STRING)),
			Map.entry("addresses.postalcode", new Column("p.postal_code", Type.STRING)),
			Map.entry("addresses.country", new Column("p.country", Type.STRING)),
			Map.entry("addresses.formatted", new Column("p.office", Type.STRING)),
			Map.entry("employeenumber", new Column("p.employee_id", Type.STRING)),
			Map.entry("department", new Column("p.department", Type.STRING)),
			Map.entry("organization", new Column("p.company_name", Type.STRING)),
			Map.entry("manager", new Column("p.override_manager_id", Type.ID)),
			Map.entry("manager.value", new Column("p.override_manager_id", Type.ID)),
			Map.entry("meta.created", new Column("p.created_at", Type.DATETIME)),
			Map.entry("meta.lastmodified", new Column("p.updated_at", Type.DATETIME)));

	/** The Group attributes. */
	static final Map<String, Column> GROUP = Map.ofEntries(Map.entry("id", new Column("g.tag_id", Type.ID)),
			Map.entry("externalid", new Column("g.external_id", Type.EXACT)),
			Map.entry("displayname", new Column("g.display_name", Type.STRING)),
			Map.entry("members", new Column("members", Type.ID)),
			Map.entry("members.value", new Column("members", Type.ID)),
			Map.entry("meta.created", new Column("g.created_at", Type.DATETIME)),
			Map.entry("meta.lastmodified", new Column("g.updated_at", Type.DATETIME)));

	private final Map<String, Column> columns;

	private final Map<String, Object> params = new LinkedHashMap<>();

	private ScimFilterSql(Map<String, Column> columns) {
		this.columns = columns;
	}

	/** A condition and its parameters (named {@code f0}, {@code f1}, ...). */
	record Condition(String sql, Map<String, Object> params) {
	}

	static Condition users(String filter) {
		return translate(filter, USER);
	}

	static Condition groups(String filter) {
		return translate(filter, GROUP);
	}

	private static Condition translate(String filter, Map<String, Column> columns) {
		if (filter == null || filter.isBlank()) {
			return new Condition("true", Map.of());
		}
		if (filter.indexOf('\0') >= 0) {
			throw ScimException.invalidFilter("The filter contains a NUL character");
		}
		if (filter.length() > 4000) {
			throw ScimException.invalidFilter("The filter is longer than 4000 characters");
		}
		Filter parsed = parse(filter);
		ScimFilterSql translator = new ScimFilterSql(columns);
		String sql = translator.condition(parsed, "");
		return new Condition(sql, translator.params);
	}

	/**
	 * Parses with the SCIM SDK, after rewriting Entra's {@code emails[type eq "work"].value eq "x"} (a value path
	 * followed by a sub-attribute, outside RFC 7644's grammar) into {@code emails[type eq "work" and value eq "x"]}.
	 */
	static Filter parse(String filter) {
		try {
			return Filter.fromString(rewriteValuePathComparisons(filter));
		}
		catch (BadRequestException ex) {
			throw ScimException.invalidFilter("The filter '" + filter + "' cannot be read: " + ex.getMessage());
		}
		catch (RuntimeException ex) {
			throw ScimException.invalidFilter("The filter '" + filter + "' cannot be read");
		}
	}

	static String rewriteValuePathComparisons(String filter) {
		StringBuilder out = new StringBuilder();
		int i = 0;
		while (i < filter.length()) {
			char c = filter.charAt(i);
			if (c == '"') {
				int end = endOfString(filter, i);
				out.append(filter, i, end);
				i = end;
				continue;
			}
			if (c == '[') {
				int close = closingBracket(filter, i);
				if (close < 0) {
					out.append(filter.substring(i));
					break;
				}
				String inner = filter.substring(i + 1, close);
				int after = close + 1;
				if (after < filter.length() && filter.charAt(after) == '.') {
					// ].sub op value  ->  [inner and sub op value]
					int j = after + 1;
					while (j < filter.length()
							&& (Character.isLetterOrDigit(filter.charAt(j)) || filter.charAt(j) == '_'
									|| filter.charAt(j) == '-')) {
						j++;
					}
					String sub = filter.substring(after + 1, j);
					int k = j;
					while (k < filter.length() && filter.charAt(k) == ' ') {
						k++;
					}
					int opEnd = k;
					while (opEnd < filter.length() && Character.isLetter(filter.charAt(opEnd))) {
						opEnd++;
					}
					String op = filter.substring(k, opEnd).toLowerCase(Locale.ROOT);
					String comparison;
					int end;
					if (op.equals("pr")) {
						comparison = sub + " pr";
						end = opEnd;
					}
					else {
						int v = opEnd;
						while (v < filter.length() && filter.charAt(v) == ' ') {
							v++;
						}
						int valueEnd = v < filter.length() && filter.charAt(v) == '"' ? endOfString(filter, v) : v;
						while (valueEnd < filter.length() && filter.charAt(valueEnd) != ' '
								&& filter.charAt(valueEnd) != ')') {
							valueEnd++;
						}
						comparison = sub + " " + op + " " + filter.substring(v, valueEnd);
						end = valueEnd;
					}
					out.append('[').append(inner).append(" and ").append(comparison).append(']');
					i = end;
					continue;
				}
				out.append(filter, i, after);
				i = after;
				continue;
			}
			out.append(c);
			i++;
		}
		return out.toString();
	}

	private static int endOfString(String text, int start) {
		int i = start + 1;
		while (i < text.length()) {
			char c = text.charAt(i);
			if (c == '\\') {
				i += 2;
				continue;
			}
			if (c == '"') {
				return i + 1;
			}
			i++;
		}
		return text.length();
	}

	private static int closingBracket(String text, int open) {
		int i = open + 1;
		while (i < text.length()) {
			char c = text.charAt(i);
			if (c == '"') {
				i = endOfString(text, i);
				continue;
			}
			if (c == ']') {
				return i;
			}
			i++;
		}
		return -1;
	}

	private String condition(Filter filter, String prefix) {
		FilterType type = filter.getFilterType();
		switch (type) {
			case AND, OR -> {
				StringBuilder sql = new StringBuilder("(");
				String joiner = type == FilterType.AND ? " and " : " or ";
				boolean first = true;
				for (Filter part : filter.getCombinedFilters()) {
					if (!first) {
						sql.append(joiner);
					}
					sql.append(condition(part, prefix));
					first = false;
				}
				return sql.append(")").toString();
			}
			case NOT -> {
				return "(not coalesce(" + condition(filter.getInvertedFilter(), prefix) + ", false))";
			}
			case COMPLEX_VALUE -> {
				if (!prefix.isEmpty()) {
					throw ScimException.invalidFilter("Value filters cannot be nested");
				}
				String attribute = attributeName(filter);
				return condition(filter.getValueFilter(), attribute + ".");
			}
			default -> {
				return comparison(filter, prefix);
			}
		}
	}

	private String attributeName(Filter filter) {
		var path = filter.getAttributePath();
		if (path == null || path.size() == 0) {
			throw ScimException.invalidFilter("The filter names no attribute");
		}
		StringBuilder name = new StringBuilder();
		for (int i = 0; i < path.size(); i++) {
			if (path.getElement(i).getValueFilter() != null) {
				throw ScimException.invalidFilter("Value filters cannot be nested");
			}
			if (i > 0) {
				name.append('.');
			}
			name.append(path.getElement(i).getAttribute());
		}
		String urn = path.getSchemaUrn();
		if (urn != null && !urn.equalsIgnoreCase(CORE_USER) && !urn.equalsIgnoreCase(ENTERPRISE_USER)
				&& !urn.equalsIgnoreCase(CORE_GROUP)) {
			throw ScimException.invalidFilter("The schema " + urn + " has no filterable attributes here");
		}
		return name.toString().toLowerCase(Locale.ROOT);
	}

	private String comparison(Filter filter, String prefix) {
		String name = prefix + attributeName(filter);
		Column column = this.columns.get(name);
		if (column == null) {
			throw ScimException.invalidFilter("Filtering on '" + name + "' is not supported; filterable attributes: "
					+ String.join(", ", new java.util.TreeSet<>(this.columns.keySet())));
		}
		FilterType type = filter.getFilterType();
		if (column.sql().equals("members")) {
			return members(filter, type);
		}
		if (type == FilterType.PRESENT) {
			return column.type() == Type.STRING || column.type() == Type.EXACT
					? "(" + column.sql() + " is not null and " + column.sql() + " <> '')"
					: "(" + column.sql() + " is not null)";
		}
		ValueNode value = filter.getComparisonValue();
		if (value == null || value.isNull()) {
			return switch (type) {
				case EQUAL -> "(" + column.sql() + " is null)";
				case NOT_EQUAL -> "(" + column.sql() + " is not null)";
				default ->
					throw ScimException.invalidFilter("'" + name + "' can only be compared with null by eq or ne");
			};
		}
		return switch (column.type()) {
			case BOOLEAN -> {
				if (!value.isBoolean() && !(value.isTextual()
						&& ("true".equalsIgnoreCase(value.asText()) || "false".equalsIgnoreCase(value.asText())))) {
					throw ScimException.invalidFilter("'" + name + "' is true or false, not " + value);
				}
				String p = param(Boolean.parseBoolean(value.asText()));
				yield switch (type) {
					case EQUAL -> "(" + column.sql() + " = " + p + ")";
					case NOT_EQUAL -> "(" + column.sql() + " <> " + p + ")";
					default -> throw ScimException.invalidFilter("'" + name + "' is true or false: use eq, ne or pr");
				};
			}
			case DATETIME -> {
				Instant at;
				try {
					at = Instant.parse(value.asText());
				}
				catch (DateTimeParseException ex) {
					throw ScimException
						.invalidFilter("'" + value.asText() + "' is not a date-time such as 2024-03-31T12:00:00Z");
				}
				String p = param(java.sql.Timestamp.from(at));
				yield "(" + column.sql() + " " + order(type, name) + " " + p + ")";
			}
			case ID -> {
				UUID id;
				try {
					id = UUID.fromString(value.asText());
				}
				catch (IllegalArgumentException ex) {
					// No id of Rollcall looks like this: nothing is equal to it.
					yield switch (type) {
						case EQUAL -> "false";
						case NOT_EQUAL -> "true";
						default -> throw ScimException.invalidFilter("'" + name + "' is an id: use eq, ne or pr");
					};
				}
				String p = param(id);
				yield switch (type) {
					case EQUAL -> "(" + column.sql() + " = " + p + ")";
					case NOT_EQUAL -> "(" + column.sql() + " is distinct from " + p + ")";
					default -> throw ScimException.invalidFilter("'" + name + "' is an id: use eq, ne or pr");
				};
			}
			case STRING, EXACT -> {
				if (!value.isTextual()) {
					throw ScimException.invalidFilter("'" + name + "' is text; compare it with a quoted string");
				}
				boolean exact = column.type() == Type.EXACT;
				String expr = exact ? column.sql() : "lower(" + column.sql() + ")";
				String text = exact ? value.asText() : value.asText().toLowerCase(Locale.ROOT);
				if (type == FilterType.EQUAL && column == this.columns.get("username") && this.columns == USER) {
					// The lookup every provisioning client makes before each change: spelled so that the indexes on
					// lower(sign_in_name) and lower(email) answer it, which lower(coalesce(...)) would not.
					String p = param(text);
					// "is not null" spelled out so that the partial index on sign-in names qualifies.
					yield "((p.sign_in_name is not null and lower(p.sign_in_name) = " + p + ")"
							+ " or (p.sign_in_name is null and lower(p.email) = " + p + "))";
				}
				yield switch (type) {
					case EQUAL -> "(" + expr + " = " + param(text) + ")";
					case NOT_EQUAL -> "(" + expr + " is distinct from " + param(text) + ")";
					case CONTAINS -> "(" + expr + " like " + param("%" + escapeLike(text) + "%") + ")";
					case STARTS_WITH -> "(" + expr + " like " + param(escapeLike(text) + "%") + ")";
					case ENDS_WITH -> "(" + expr + " like " + param("%" + escapeLike(text)) + ")";
					default -> "(" + expr + " " + order(type, name) + " " + param(text) + ")";
				};
			}
		};
	}

	private String members(Filter filter, FilterType type) {
		if (type == FilterType.PRESENT) {
			return "exists (select 1 from person_tag pt where pt.tag_id = g.tag_id)";
		}
		ValueNode value = filter.getComparisonValue();
		UUID id;
		try {
			id = UUID.fromString(value == null ? "" : value.asText());
		}
		catch (IllegalArgumentException ex) {
			id = null;
		}
		String exists = id == null ? "false"
				: "exists (select 1 from person_tag pt where pt.tag_id = g.tag_id and pt.person_id = " + param(id)
						+ ")";
		return switch (type) {
			case EQUAL -> exists;
			case NOT_EQUAL -> "(not " + exists + ")";
			default -> throw ScimException.invalidFilter("'members' is a list of ids: use eq, ne or pr");
		};
	}

	private static String order(FilterType type, String name) {
		return switch (type) {
			case GREATER_THAN -> ">";
			case GREATER_OR_EQUAL -> ">=";
			case LESS_THAN -> "<";
			case LESS_OR_EQUAL -> "<=";
			default -> throw ScimException.invalidFilter("The operator " + type + " does not apply to '" + name + "'");
		};
	}

	private String param(Object value) {
		String name = "f" + this.params.size();
		this.params.put(name, value);
		return ":" + name;
	}

	private static String escapeLike(String text) {
		return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
	}

}
