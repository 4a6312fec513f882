package io.rollcall.mapping;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import io.rollcall.directory.PersonField;
import io.rollcall.platform.RequestRejectedException;

/**
 * Where one value of a person comes from: a source attribute, run through transforms, into a target.
 * <p>
 * Companies write these themselves, so the constructor rejects what cannot work with a
 * {@link RequestRejectedException} when the mapping is saved, and puts the target in its canonical spelling
 * ({@code FIRSTNAME} becomes {@code firstName}), as person fields are looked up without regard to case.
 *
 * @param source the source attribute to read, compared without regard to case; null when a transform such as
 * {@link Transform.Concat} or {@link Transform.DefaultValue} makes the value
 * @param target a person field by its JSON name ({@code firstName}, {@code email}, {@code hireDate}, ...),
 * {@value #PRIMARY_TEAM} for the name of the person's primary team, or {@code customFields.<key>}
 * @param transforms applied in order to the attribute's value; never null
 */
public record FieldMapping(String source, String target, List<Transform> transforms) {

	/** The target naming the person's primary team by its name, as sources do not know Rollcall's team ids. */
	public static final String PRIMARY_TEAM = "primaryTeam";

	private static final String CUSTOM_FIELDS = "customFields.";

	private static final Pattern CUSTOM_FIELD_KEY = Pattern.compile("^[a-z][a-z0-9_]{0,62}$");

	public FieldMapping {
		transforms = (transforms != null) ? List.copyOf(nonNull(transforms)) : List.of();
		// A form sends an empty source when none was chosen.
		source = (source != null && !source.isBlank()) ? source.strip() : null;
		target = canonicalTarget(target);
		if (source == null && transforms.stream().noneMatch(FieldMapping::makesValue)) {
			throw RequestRejectedException.invalid("source", "The mapping to '" + target
					+ "' needs a source attribute, or a concat or default transform that makes the value");
		}
	}

	/** The usual mapping of a field table: the attribute's value, trimmed, into the target. */
	public static FieldMapping trimmed(String source, String target) {
		return new FieldMapping(source, target, List.of(new Transform.Trim()));
	}

	/** The value this mapping gives the target for this record, or null for none. */
	public String valueFor(SourceRecord record) {
		Objects.requireNonNull(record, "record cannot be null");
		String value = (this.source != null) ? record.attribute(this.source) : null;
		for (Transform transform : this.transforms) {
			value = transform.apply(value, record);
		}
		return value;
	}

	/** Whether the target is one of the company's custom fields rather than a person field or the team. */
	public boolean targetsCustomField() {
		return this.target.startsWith(CUSTOM_FIELDS);
	}

	/** The custom field's key, e.g. {@code badge_number} for {@code customFields.badge_number}; null for others. */
	public String customFieldKey() {
		return targetsCustomField() ? this.target.substring(CUSTOM_FIELDS.length()) : null;
	}

	private static List<Transform> nonNull(List<Transform> transforms) {
		if (transforms.stream().anyMatch(Objects::isNull)) {
			throw RequestRejectedException.invalid("transforms",
					"Each transform must be an object with a type, e.g. {\"type\":\"trim\"}; remove the empty one");
		}
		return transforms;
	}

	// Any other transform only changes a value, so with no source it would always give none.
	private static boolean makesValue(Transform transform) {
		return transform instanceof Transform.Concat || transform instanceof Transform.DefaultValue;
	}

	private static String canonicalTarget(String given) {
		if (given == null || given.isBlank()) {
			throw unknownTarget(given);
		}
		String target = given.strip();
		if (target.regionMatches(true, 0, CUSTOM_FIELDS, 0, CUSTOM_FIELDS.length())) {
			String key = target.substring(CUSTOM_FIELDS.length());
			if (!CUSTOM_FIELD_KEY.matcher(key).matches()) {
				throw RequestRejectedException.invalid("target", "The custom field key '" + key
						+ "' must start with a lower-case letter and hold only a-z, 0-9 and _, at most 63 characters");
			}
			return CUSTOM_FIELDS + key;
		}
		if (target.equalsIgnoreCase(PRIMARY_TEAM)) {
			return PRIMARY_TEAM;
		}
		PersonField field = PersonField.named(target).orElseThrow(() -> unknownTarget(target));
		// These hold ids of Rollcall's own teams and people, which a source cannot know.
		if (field.kind() == PersonField.Kind.TEAM) {
			throw RequestRejectedException.invalid("target", "'" + field.jsonName()
					+ "' holds a Rollcall team id; map the team's name to " + PRIMARY_TEAM + " instead");
		}
		if (field.kind() == PersonField.Kind.PERSON) {
			throw RequestRejectedException.invalid("target", "'" + field.jsonName()
					+ "' is set in Rollcall only; managers come from the source's manager reference");
		}
		return field.jsonName();
	}

	private static RequestRejectedException unknownTarget(String target) {
		return RequestRejectedException.invalid("target", "Unknown target '" + Objects.toString(target, "")
				+ "'. Targets are person fields (firstName, lastName, ...), " + PRIMARY_TEAM
				+ ", or customFields.<key>");
	}

}
