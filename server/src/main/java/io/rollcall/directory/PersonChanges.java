package io.rollcall.directory;

import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import io.rollcall.company.Companies;
import io.rollcall.platform.RequestRejectedException;

/**
 * Values to give a person, checked and normalised as they are set: a field set to null is cleared, a field not
 * set is left as it is. Built from an API body with {@link #fromJson} or by a source field by field.
 */
public final class PersonChanges {

	private static final Pattern E164 = Pattern.compile("^\\+[1-9]\\d{1,14}$");

	private static final int MAX_TEXT = 500;

	private final Map<PersonField, Object> fields = new EnumMap<>(PersonField.class);

	private List<UUID> secondaryTeamIds;

	private Map<String, Object> customFields;

	private List<String> tags;

	private Role role;

	public PersonChanges set(PersonField field, Object value) {
		this.fields.put(field, normalise(field, value));
		return this;
	}

	public PersonChanges secondaryTeams(List<UUID> teamIds) {
		this.secondaryTeamIds = List.copyOf(teamIds);
		return this;
	}

	/** Custom field values by key; a null value removes it. Keys and types are checked against the company's. */
	public PersonChanges customFields(Map<String, Object> values) {
		this.customFields = new LinkedHashMap<>(values);
		return this;
	}

	public PersonChanges tags(List<String> tagNames) {
		this.tags = tagNames.stream().map(String::strip).filter(t -> !t.isEmpty()).distinct().toList();
		return this;
	}

	public PersonChanges role(Role role) {
		this.role = role;
		return this;
	}

	Map<PersonField, Object> fields() {
		return Collections.unmodifiableMap(this.fields);
	}

	boolean has(PersonField field) {
		return this.fields.containsKey(field);
	}

	Object get(PersonField field) {
		return this.fields.get(field);
	}

	List<UUID> secondaryTeamIds() {
		return this.secondaryTeamIds;
	}

	Map<String, Object> customFieldValues() {
		return this.customFields;
	}

	List<String> tagNames() {
		return this.tags;
	}

	Role role() {
		return this.role;
	}

	/**
	 * From a JSON object of the API: every key must be a person field, {@code secondaryTeamIds},
	 * {@code customFields}, {@code tags} or {@code role}; anything else is refused by name.
	 */
	public static PersonChanges fromJson(Map<String, Object> body) {
		PersonChanges changes = new PersonChanges();
		if (body == null) {
			throw RequestRejectedException.invalid(null, "The request body must be a JSON object");
		}
		for (Map.Entry<String, Object> entry : body.entrySet()) {
			String key = entry.getKey();
			Object value = entry.getValue();
			switch (key) {
				case "secondaryTeamIds" ->
					changes.secondaryTeams(list(key, value).stream().map(v -> uuid(key, v)).toList());
				case "tags" -> changes.tags(list(key, value).stream().map(v -> text(key, v)).toList());
				case "customFields" -> {
					if (!(value instanceof Map<?, ?> map)) {
						throw RequestRejectedException.invalid(key, "'customFields' must be an object of key to value");
					}
					Map<String, Object> values = new LinkedHashMap<>();
					map.forEach((k, v) -> values.put(String.valueOf(k), v));
					changes.customFields(values);
				}
				case "role" -> {
					try {
						changes.role(Role.of(text(key, value)));
					}
					catch (IllegalArgumentException | NullPointerException ex) {
						throw RequestRejectedException.invalid(key, "'role' must be one of owner, admin, learner");
					}
				}
				default -> {
					PersonField field = PersonField.named(key)
						.filter(f -> f.jsonName().equals(key))
						.orElseThrow(() -> RequestRejectedException.invalid(key, "Unknown field '" + key
								+ "'. Known fields: " + knownFields()));
					changes.set(field, value);
				}
			}
		}
		return changes;
	}

	static List<String> knownFields() {
		List<String> names = new java.util.ArrayList<>();
		for (PersonField field : PersonField.values()) {
			names.add(field.jsonName());
		}
		names.addAll(List.of("secondaryTeamIds", "customFields", "tags", "role"));
		return names;
	}

	/**
	 * The value as a person field stores it (trimmed text, a date, an id, an E.164 number, a language tag);
	 * refused with a message naming the field when it does not fit. Null and blank mean "no value".
	 */
	public static Object normalise(PersonField field, Object value) {
		String name = field.jsonName();
		if (value == null) {
			if (field == PersonField.EMAIL) {
				throw RequestRejectedException.invalid(name, "'email' cannot be empty: every person needs one");
			}
			return null;
		}
		String text = text(name, value);
		if (text.isEmpty()) {
			return normalise(field, null);
		}
		return switch (field.kind()) {
			case TEXT -> text;
			case EMAIL -> {
				if (!isEmailAddress(text) || text.length() > 254) {
					throw RequestRejectedException.invalid(name, "'" + text + "' is not an e-mail address");
				}
				yield text;
			}
			case SIGN_IN_NAME -> {
				// Any name a client signs people in with (SCIM userName: "jdoe", "DOMAIN\\jdoe", an e-mail, even one
				// with spaces: RFC 7643 puts no limit on it, and refusing it would refuse the user).
				if (text.length() > 256) {
					throw RequestRejectedException.invalid(name, "'" + name + "' is longer than 256 characters");
				}
				yield text;
			}
			case LANGUAGE -> Companies.languageTag(name, text);
			case TIME_ZONE -> Companies.timeZone(name, text);
			case URL -> {
				try {
					URI uri = URI.create(text);
					if (!("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
							|| uri.getHost() == null) {
						throw new IllegalArgumentException();
					}
					yield text;
				}
				catch (IllegalArgumentException ex) {
					throw RequestRejectedException.invalid(name, "'" + name + "' must be an http(s) address");
				}
			}
			case DATE -> {
				try {
					yield LocalDate.parse(text);
				}
				catch (DateTimeParseException ex) {
					throw RequestRejectedException.invalid(name,
							"'" + text + "' is not a date; write it as YYYY-MM-DD, e.g. 2024-03-31");
				}
			}
			case PHONE -> {
				String digits = text.replaceAll("[\\s().-]", "");
				if (!E164.matcher(digits).matches()) {
					throw RequestRejectedException.invalid(name, "'" + text
							+ "' is not an international phone number; write it as + country code and number, e.g. +442079460958");
				}
				yield digits;
			}
			case TEAM, PERSON -> uuid(name, text);
		};
	}

	/**
	 * Whether {@code text} is what the pattern {@code ^[^@\s]+@[^@\s]+\.[^@\s]+$} matches (one {@code @} with text
	 * before it, a dot after it with text on both sides, no whitespace), checked without the pattern: every record of a
	 * sync is checked twice, and the matcher was half of a re-sync's normalising (JFR).
	 */
	static boolean isEmailAddress(String text) {
		int at = text.indexOf('@');
		if (at < 1 || text.indexOf('@', at + 1) >= 0) {
			return false;
		}
		boolean dot = false;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == ' ' || c == '\t' || c == '\n' || c == '\013' || c == '\f' || c == '\r') {
				return false; // the pattern's \s
			}
			dot |= c == '.' && i >= at + 2 && i <= text.length() - 2;
		}
		return dot;
	}

	private static String text(String name, Object value) {
		if (value instanceof String s) {
			String stripped = s.strip();
			if (stripped.length() > MAX_TEXT) {
				throw RequestRejectedException.invalid(name,
						"'" + name + "' is longer than " + MAX_TEXT + " characters");
			}
			return stripped;
		}
		if (value instanceof Number || value instanceof Boolean || value instanceof UUID
				|| value instanceof LocalDate) {
			return String.valueOf(value);
		}
		throw RequestRejectedException.invalid(name, "'" + name + "' must be text");
	}

	private static UUID uuid(String name, Object value) {
		try {
			return UUID.fromString(String.valueOf(value).strip());
		}
		catch (IllegalArgumentException ex) {
			throw RequestRejectedException.invalid(name, "'" + value + "' is not an id");
		}
	}

	private static List<?> list(String name, Object value) {
		if (value instanceof List<?> list) {
			return list;
		}
		throw RequestRejectedException.invalid(name, "'" + name + "' must be a list");
	}

}
