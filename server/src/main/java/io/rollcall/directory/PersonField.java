package io.rollcall.directory;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The profile fields of a person: their JSON name, their column and the kind of value they hold. Sources map
 * their attributes onto these; the API edits them by these names.
 */
public enum PersonField {

	EMAIL("email", "email", Kind.EMAIL),
	SECONDARY_EMAIL("secondaryEmail", "secondary_email", Kind.EMAIL),
	SIGN_IN_NAME("signInName", "sign_in_name", Kind.SIGN_IN_NAME),
	FIRST_NAME("firstName", "first_name", Kind.TEXT),
	LAST_NAME("lastName", "last_name", Kind.TEXT),
	FULL_NAME("fullName", "full_name", Kind.TEXT),
	TITLE("title", "title", Kind.TEXT),
	JOB_TITLE("jobTitle", "job_title", Kind.TEXT),
	LANGUAGE("language", "language", Kind.LANGUAGE),
	LOCATION("location", "location", Kind.TEXT),
	DEPARTMENT("department", "department", Kind.TEXT),
	AVATAR_URL("avatarUrl", "avatar_url", Kind.URL),
	HIRE_DATE("hireDate", "hire_date", Kind.DATE),
	PHONE("phone", "phone", Kind.PHONE),
	STREET_ADDRESS("streetAddress", "street_address", Kind.TEXT),
	CITY("city", "city", Kind.TEXT),
	POSTAL_CODE("postalCode", "postal_code", Kind.TEXT),
	COUNTRY("country", "country", Kind.TEXT),
	COMPANY_NAME("companyName", "company_name", Kind.TEXT),
	OFFICE("office", "office", Kind.TEXT),
	EMPLOYEE_ID("employeeId", "employee_id", Kind.TEXT),
	TIME_ZONE("timeZone", "time_zone", Kind.TIME_ZONE),
	PRIMARY_TEAM("primaryTeamId", "primary_team_id", Kind.TEAM),
	OVERRIDE_MANAGER("overrideManagerId", "override_manager_id", Kind.PERSON);

	/** What a field holds, which decides how a value is checked and stored. */
	public enum Kind {
		TEXT, EMAIL, SIGN_IN_NAME, LANGUAGE, TIME_ZONE, URL, DATE, PHONE, TEAM, PERSON
	}

	private static final Map<String, PersonField> BY_NAME = Arrays.stream(values())
		.collect(Collectors.toMap(f -> f.jsonName.toLowerCase(Locale.ROOT), Function.identity()));

	private final String jsonName;

	private final String column;

	private final Kind kind;

	PersonField(String jsonName, String column, Kind kind) {
		this.jsonName = jsonName;
		this.column = column;
		this.kind = kind;
	}

	public String jsonName() {
		return this.jsonName;
	}

	String column() {
		return this.column;
	}

	public Kind kind() {
		return this.kind;
	}

	/** By JSON name as spelt, tried first: a sync names a field for each mapping of each record. */
	private static final Map<String, PersonField> BY_EXACT_NAME = Arrays.stream(values())
		.collect(Collectors.toMap(PersonField::jsonName, Function.identity()));

	/** By JSON name, ignoring case. */
	public static Optional<PersonField> named(String name) {
		if (name == null) {
			return Optional.empty();
		}
		PersonField exact = BY_EXACT_NAME.get(name);
		return Optional.ofNullable(exact != null ? exact : BY_NAME.get(name.toLowerCase(Locale.ROOT)));
	}

}
