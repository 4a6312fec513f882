package io.rollcall.console;

import java.util.LinkedHashMap;
import java.util.Map;

import io.rollcall.directory.Person;
import io.rollcall.directory.PersonField;

/**
 * The person page's edit form, as typed: text for every field, so refused input can be shown again as it was.
 *
 * @param overrideManagerEmail the e-mail of the person set as manager; empty leaves the team's manager in charge
 */
record PersonForm(String firstName, String lastName, String fullName, String secondaryEmail, String title,
		String jobTitle, String language, String timeZone, String location, String department, String phone,
		String office, String employeeId, String hireDate, String primaryTeamId, String overrideManagerEmail,
		String role) {

	static PersonForm of(Person person, String overrideManagerEmail) {
		return new PersonForm(person.firstName(), person.lastName(), person.fullName(), person.secondaryEmail(),
				person.title(), person.jobTitle(), person.language(), person.timeZone(), person.location(),
				person.department(), person.phone(), person.office(), person.employeeId(), text(person.hireDate()),
				text(person.primaryTeamId()), overrideManagerEmail, person.role().column());
	}

	/** The fields that map one to one onto a person field. */
	Map<PersonField, String> fields() {
		Map<PersonField, String> fields = new LinkedHashMap<>();
		fields.put(PersonField.FIRST_NAME, this.firstName);
		fields.put(PersonField.LAST_NAME, this.lastName);
		fields.put(PersonField.FULL_NAME, this.fullName);
		fields.put(PersonField.SECONDARY_EMAIL, this.secondaryEmail);
		fields.put(PersonField.TITLE, this.title);
		fields.put(PersonField.JOB_TITLE, this.jobTitle);
		fields.put(PersonField.LANGUAGE, this.language);
		fields.put(PersonField.TIME_ZONE, this.timeZone);
		fields.put(PersonField.LOCATION, this.location);
		fields.put(PersonField.DEPARTMENT, this.department);
		fields.put(PersonField.PHONE, this.phone);
		fields.put(PersonField.OFFICE, this.office);
		fields.put(PersonField.EMPLOYEE_ID, this.employeeId);
		fields.put(PersonField.HIRE_DATE, this.hireDate);
		fields.put(PersonField.PRIMARY_TEAM, this.primaryTeamId);
		return fields;
	}

	/** What a field of the form means: an empty input clears the field. */
	static String valueOf(String input) {
		return (input == null || input.isBlank()) ? null : input.strip();
	}

	private static String text(Object value) {
		return value == null ? null : value.toString();
	}

}
