package io.rollcall.sync;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.rollcall.audit.FieldChange;
import io.rollcall.directory.Person;
import io.rollcall.directory.PersonChanges;
import io.rollcall.directory.PersonField;
import io.rollcall.mapping.MappedPerson;

/**
 * Which fields a record changes: each mapped field normalised as the directory stores it and compared with the
 * person's, the primary team by name in any letter case, custom fields as trimmed text. The same e-mail in other
 * letter case is no change, and a new person's empty fields are not listed.
 */
final class FieldDiff {

	/** A plan's change of primary team, by name. */
	static final String PRIMARY_TEAM = "primaryTeam";

	private static final String CUSTOM_FIELDS = "customFields.";

	private FieldDiff() {
	}

	/**
	 * The changes that make {@code person} what the record says, by field name in the plan's spelling.
	 *
	 * @param person the matched person, or null for a new one
	 * @param teams where the primary team is compared, and a team nobody has yet is noted to be created
	 * @throws io.rollcall.platform.RequestRejectedException when a value is not one Rollcall takes
	 */
	static Map<String, FieldChange> between(Person person, MappedPerson mapped, TeamPlanning teams) {
		Map<String, FieldChange> changes = new LinkedHashMap<>();
		for (Map.Entry<PersonField, String> field : mapped.fields().entrySet()) {
			Object value = PersonChanges.normalise(field.getKey(), field.getValue());
			Object old = person == null ? null : person.fieldValue(field.getKey());
			if (field.getKey() == PersonField.EMAIL && person != null
					&& value.toString().equalsIgnoreCase(String.valueOf(old)) && !value.equals(old)) {
				continue; // the same address in other letter case is no change
			}
			if (!Objects.equals(old, value) && !(person == null && value == null)) {
				changes.put(field.getKey().jsonName(), new FieldChange(old, value));
			}
		}
		if (mapped.primaryTeamMapped()) {
			FieldChange team = teams.primaryTeamChange(person, mapped.primaryTeam());
			if (team != null) {
				changes.put(PRIMARY_TEAM, team);
			}
		}
		for (Map.Entry<String, String> custom : mapped.customFields().entrySet()) {
			Object old = person == null ? null : person.customFields().get(custom.getKey());
			String value = custom.getValue() == null || custom.getValue().isBlank() ? null : custom.getValue().strip();
			if (!Objects.equals(old == null ? null : old.toString(), value)) {
				changes.put(CUSTOM_FIELDS + custom.getKey(), new FieldChange(old, value));
			}
		}
		return changes;
	}

}
