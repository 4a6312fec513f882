package io.rollcall.mapping;

import java.util.List;
import java.util.Map;

import io.rollcall.directory.PersonField;

/**
 * A source record after mapping: the values meant for the person's fields, not yet checked.
 *
 * @param fields values by person field; a null value means the source has none (the field is cleared)
 * @param primaryTeam the team name the person belongs in, null for none
 * @param primaryTeamMapped whether the mapping names a primary team at all (if not, the team is left alone)
 * @param customFields values by custom field key
 * @param problems what could not be mapped, e.g. a date in the wrong format; the record is then skipped
 */
public record MappedPerson(SourceRecord record, Map<PersonField, String> fields, String primaryTeam,
		boolean primaryTeamMapped, Map<String, String> customFields, List<String> problems) {

	public String email() {
		return this.fields.get(PersonField.EMAIL);
	}

}
