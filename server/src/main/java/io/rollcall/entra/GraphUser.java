package io.rollcall.entra;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.rollcall.mapping.SourceRecord;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.BooleanNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.NullNode;

/**
 * A Graph user as Rollcall reads it: the text of each of {@link EntraSource#USER_FIELDS}, whether the account is
 * enabled, and the expanded manager's id. Read straight from a page's parser ({@link #read}), a listing of 100,000
 * users makes no tree of each (a map of its fields and a node for each value); read from a tree ({@link #of}) for a
 * single user. Both give the same user for the same JSON, down to odd values (a number where Graph sends text, a
 * field twice, a null manager), which {@code GraphUserTests} checks.
 */
final class GraphUser {

	/** {@link EntraSource#USER_FIELDS} one by one, split once rather than for each of a listing's users. */
	static final List<String> FIELD_NAMES = List.of(EntraSource.USER_FIELDS.split(","));

	private static final Map<String, Integer> FIELD_INDEX = fieldIndex();

	private static final int ID = FIELD_NAMES.indexOf("id");

	private static final int ENABLED = FIELD_NAMES.indexOf("accountEnabled");

	private static final int PHONES = FIELD_NAMES.indexOf("businessPhones");

	private static final int HIRED = FIELD_NAMES.indexOf("employeeHireDate");

	/** What {@code path("manager").path("id").asString("")} gives for a user without a manager object. */
	private static final String NO_MANAGER = MissingNode.getInstance().asString("");

	/** The id when it is text (as Graph sends it), else null and {@link #oddId} holds it. */
	private final String id;

	private final JsonNode oddId;

	/** Each field's text, as {@link #FIELD_NAMES} orders them; null when absent or neither text, number nor boolean. */
	private final String[] texts;

	/** The first business phone when it is not text, made text only with the record, as a tree's would be. */
	private final JsonNode oddPhone;

	private final boolean enabled;

	private final String managerId;

	private GraphUser(String id, JsonNode oddId, String[] texts, JsonNode oddPhone, boolean enabled, String managerId) {
		this.id = id;
		this.oddId = oddId;
		this.texts = texts;
		this.oddPhone = oddPhone;
		this.enabled = enabled;
		this.managerId = managerId;
		String hired = texts[HIRED];
		if (hired != null && hired.length() > 10) {
			texts[HIRED] = hired.substring(0, 10); // 2021-03-01T00:00:00Z: the date is what counts
		}
	}

	/** The user's id; like a tree's {@code path("id").asString()}, it throws when the id is an object or array. */
	String id() {
		return this.id != null ? this.id : this.oddId.asString();
	}

	/** False only when Graph says {@code accountEnabled: false}. */
	boolean enabled() {
		return this.enabled;
	}

	/** The id of the manager Graph expanded ({@code $expand=manager($select=id)}), or "" when none. */
	String managerId() {
		return this.managerId;
	}

	/** The user from a tree of their JSON: its fields as text, the first business phone. */
	static GraphUser of(JsonNode user) {
		String[] texts = new String[FIELD_NAMES.size()];
		for (int i = 0; i < texts.length; i++) {
			texts[i] = scalarText(user.path(FIELD_NAMES.get(i)));
		}
		JsonNode oddPhone = null;
		JsonNode phones = user.path("businessPhones");
		if (phones.isArray() && !phones.isEmpty()) {
			JsonNode first = phones.get(0);
			texts[PHONES] = first.isString() ? first.asString() : null;
			oddPhone = first.isString() ? null : first;
		}
		JsonNode id = user.path("id");
		return new GraphUser(id.isString() ? id.asString() : null, id.isString() ? null : id, texts, oddPhone,
				enabled(user.path("accountEnabled")), user.path("manager").path("id").asString(""));
	}

	/**
	 * The user whose object {@code parser} is on (at its start), read field by field; the parser is left at the
	 * object's end, as {@code readTree} leaves it. Values Rollcall does not read are skipped, unusual ones are made
	 * into nodes so that they read as {@link #of} reads them.
	 */
	static GraphUser read(JsonParser parser, ObjectMapper json) {
		String[] texts = new String[FIELD_NAMES.size()];
		JsonNode oddId = MissingNode.getInstance();
		JsonNode[] oddPhone = new JsonNode[1];
		boolean enabled = true;
		String managerId = NO_MANAGER;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken token = parser.nextToken();
			if ("manager".equals(name)) {
				// The last "manager" stands, as in a tree; its "id" is all that is read of it.
				managerId = token == JsonToken.START_OBJECT ? managerId(parser, json) : NO_MANAGER;
				parser.skipChildren();
				continue;
			}
			Integer index = FIELD_INDEX.get(name);
			if (index == null) {
				parser.skipChildren();
				continue;
			}
			JsonNode odd = null;
			if (index == PHONES) {
				oddPhone[0] = null;
			}
			if (token == JsonToken.VALUE_STRING) {
				texts[index] = parser.getString();
			}
			else if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
				texts[index] = token == JsonToken.VALUE_TRUE ? "true" : "false";
			}
			else if (token == JsonToken.START_ARRAY && index == PHONES) {
				texts[index] = firstPhone(parser, json, oddPhone);
			}
			else if ((token == JsonToken.START_ARRAY || token == JsonToken.START_OBJECT) && index != ID) {
				texts[index] = null; // no text, as in a tree
				parser.skipChildren();
			}
			else {
				odd = token == JsonToken.VALUE_NULL ? NullNode.getInstance() : json.readTree(parser);
				texts[index] = scalarText(odd);
			}
			if (index == ID) {
				oddId = token == JsonToken.VALUE_STRING ? null
						: token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE
								? BooleanNode.valueOf(token == JsonToken.VALUE_TRUE) : odd;
			}
			else if (index == ENABLED) {
				enabled = token != JsonToken.VALUE_FALSE;
			}
		}
		return new GraphUser(oddId == null ? texts[ID] : null, oddId, texts, oddPhone[0], enabled, managerId);
	}

	/** The "id" of a manager object the parser is at the start of, as {@code path("id").asString("")} gives it. */
	private static String managerId(JsonParser parser, ObjectMapper json) {
		String id = NO_MANAGER;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken token = parser.nextToken();
			if (!"id".equals(name)) {
				parser.skipChildren();
			}
			else if (token == JsonToken.VALUE_STRING) {
				id = parser.getString();
			}
			else {
				id = (token == JsonToken.VALUE_NULL ? NullNode.getInstance() : json.readTree(parser)).asString("");
			}
		}
		return id;
	}

	/**
	 * A business phones array's first entry when it is text, else null (and in {@code odd} the entry, if any); the
	 * parser is left at the array's end.
	 */
	private static String firstPhone(JsonParser parser, ObjectMapper json, JsonNode[] odd) {
		JsonToken token = parser.nextToken();
		if (token == JsonToken.END_ARRAY) {
			return null;
		}
		String first = null;
		if (token == JsonToken.VALUE_STRING) {
			first = parser.getString();
		}
		else {
			odd[0] = token == JsonToken.VALUE_NULL ? NullNode.getInstance() : json.readTree(parser);
		}
		while (parser.nextToken() != JsonToken.END_ARRAY) {
			parser.skipChildren();
		}
		return first;
	}

	private static String scalarText(JsonNode value) {
		return value.isString() || value.isNumber() || value.isBoolean() ? value.asString() : null;
	}

	private static boolean enabled(JsonNode accountEnabled) {
		return !accountEnabled.isBoolean() || accountEnabled.asBoolean();
	}

	/**
	 * The user as a source record: the fields it has as attributes, and the photo as last stored. The attributes are
	 * made the immutable map the record keeps, not a hash map it would copy.
	 */
	@SuppressWarnings("unchecked")
	SourceRecord record(String managerRef, String photoUrl) {
		Map.Entry<String, String>[] attributes = new Map.Entry[this.texts.length + 1];
		int count = 0;
		for (int i = 0; i < this.texts.length; i++) {
			if (this.texts[i] != null) {
				attributes[count++] = Map.entry(FIELD_NAMES.get(i), this.texts[i]);
			}
			else if (i == PHONES && this.oddPhone != null && this.oddPhone.asString() != null) {
				attributes[count++] = Map.entry(FIELD_NAMES.get(i), this.oddPhone.asString());
			}
		}
		if (photoUrl != null) {
			attributes[count++] = Map.entry("photo", photoUrl);
		}
		return new SourceRecord(id(), Map.ofEntries(Arrays.copyOf(attributes, count)), this.enabled, managerRef,
				photoUrl, List.of());
	}

	@Override
	public String toString() {
		return "GraphUser[" + (this.id != null ? this.id : this.oddId) + ", " + Arrays.toString(this.texts) + ", "
				+ this.enabled + ", "
				+ this.managerId + "]";
	}

	private static Map<String, Integer> fieldIndex() {
		Map<String, Integer> index = new HashMap<>();
		for (int i = 0; i < FIELD_NAMES.size(); i++) {
			index.put(FIELD_NAMES.get(i), i);
		}
		return Map.copyOf(index);
	}

}
