package io.rollcall.directory;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A person of a company's directory, as the API shows them.
 *
 * @param fullName the name a source gave as a whole (SCIM displayName), shown instead of given + family name
 * @param signInName the name they sign in with where it is not their e-mail (a SCIM userName such as {@code jdoe})
 * @param timeZone their own time zone, or null to follow the company's default
 * @param managerId who manages them: their override manager when set, otherwise a manager of their primary team
 * @param managerSource {@code override}, {@code team} or null when they have no manager
 * @param externalIds the person's id in each source that knows them, by source ({@code entra}, {@code okta}, ...)
 */
public record Person(UUID id, String email, String firstName, String lastName, String title, String jobTitle,
		String language, String location, String department, UUID primaryTeamId, List<UUID> secondaryTeamIds,
		String avatarUrl, LocalDate hireDate, String phone, String streetAddress, String city, String postalCode,
		String country, String companyName, String office, String employeeId, String fullName, String secondaryEmail,
		String signInName, String timeZone, Map<String, Object> customFields,
		List<String> tags, PersonStatus status, InvitationState invitationState, Role role, UUID overrideManagerId,
		UUID managerId, String managerSource, Map<String, String> externalIds, Instant createdAt, Instant updatedAt) {

	/** The name to show: the full name a source gave, else given + family name, else the e-mail. */
	public String displayName() {
		if (this.fullName != null && !this.fullName.isBlank()) {
			return this.fullName;
		}
		String name = ((this.firstName == null ? "" : this.firstName) + " "
				+ (this.lastName == null ? "" : this.lastName))
			.strip();
		return name.isEmpty() ? this.email : name;
	}

	public boolean active() {
		return this.status == PersonStatus.ACTIVE;
	}

	/** The profile fields by JSON name, as {@link PersonChanges#normalise} would store them. */
	public Map<String, Object> fieldValues() {
		Map<String, Object> values = new java.util.HashMap<>();
		for (PersonField field : PersonField.values()) {
			values.put(field.jsonName(), fieldValue(field));
		}
		return values;
	}

	/**
	 * One profile field's value, as in {@link #fieldValues()}: a sync compares a few fields of every person, and the
	 * map of all of them, made for each, was most of what a comparison allocated.
	 */
	public Object fieldValue(PersonField field) {
		return switch (field) {
			case EMAIL -> this.email;
			case SECONDARY_EMAIL -> this.secondaryEmail;
			case SIGN_IN_NAME -> this.signInName;
			case FIRST_NAME -> this.firstName;
			case LAST_NAME -> this.lastName;
			case FULL_NAME -> this.fullName;
			case TITLE -> this.title;
			case JOB_TITLE -> this.jobTitle;
			case LANGUAGE -> this.language;
			case LOCATION -> this.location;
			case DEPARTMENT -> this.department;
			case AVATAR_URL -> this.avatarUrl;
			case HIRE_DATE -> this.hireDate;
			case PHONE -> this.phone;
			case STREET_ADDRESS -> this.streetAddress;
			case CITY -> this.city;
			case POSTAL_CODE -> this.postalCode;
			case COUNTRY -> this.country;
			case COMPANY_NAME -> this.companyName;
			case OFFICE -> this.office;
			case EMPLOYEE_ID -> this.employeeId;
			case TIME_ZONE -> this.timeZone;
			case PRIMARY_TEAM -> this.primaryTeamId;
			case OVERRIDE_MANAGER -> this.overrideManagerId;
		};
	}

}
