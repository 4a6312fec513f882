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
		Person p = this;
		Map<String, Object> values = new java.util.HashMap<>();
		values.put("email", p.email());
		values.put("firstName", p.firstName());
		values.put("lastName", p.lastName());
		values.put("title", p.title());
		values.put("jobTitle", p.jobTitle());
		values.put("language", p.language());
		values.put("location", p.location());
		values.put("department", p.department());
		values.put("avatarUrl", p.avatarUrl());
		values.put("hireDate", p.hireDate());
		values.put("phone", p.phone());
		values.put("streetAddress", p.streetAddress());
		values.put("city", p.city());
		values.put("postalCode", p.postalCode());
		values.put("country", p.country());
		values.put("companyName", p.companyName());
		values.put("office", p.office());
		values.put("employeeId", p.employeeId());
		values.put("fullName", p.fullName());
		values.put("secondaryEmail", p.secondaryEmail());
		values.put("signInName", p.signInName());
		values.put("timeZone", p.timeZone());
		values.put("primaryTeamId", p.primaryTeamId());
		values.put("overrideManagerId", p.overrideManagerId());
		return values;
	}

}
