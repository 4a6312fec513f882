package io.rollcall.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.rollcall.directory.PersonField;

/**
 * Each source's field table out of the box. A company's own mappings for a source replace its table.
 */
public final class DefaultMappings {

	private DefaultMappings() {
	}

	public static List<FieldMapping> forSource(String source) {
		return switch (source) {
			case "entra" -> List.of(map("givenName", "firstName"), map("surname", "lastName"),
					map("userPrincipalName", "email"), map("jobTitle", "jobTitle"), map("department", "department"),
					// Department names both the profile field and the primary team.
					map("department", "primaryTeam"), map("officeLocation", "location"),
					map("preferredLanguage", "language"),
					// The connector keeps the photo and names its avatar URL in "photo".
					map("photo", "avatarUrl"),
					new FieldMapping("employeeHireDate", "hireDate", List.of(new Transform.DateParse("yyyy-MM-dd"))));
			case "okta" -> List.of(map("honorificPrefix", "title"), map("firstName", "firstName"),
					map("lastName", "lastName"), map("email", "email"), map("title", "jobTitle"),
					map("preferredLanguage", "language"), map("city", "location"), map("department", "primaryTeam"),
					// The connector fetches the picture URL's image and names its avatar URL in "avatar".
					map("avatar", "avatarUrl"));
			// The JSON directory's contract (README, "A JSON directory"): its field names, department the primary team.
			case "jsondirectory" -> List.of(map("email", "email"), map("givenName", "firstName"),
					map("familyName", "lastName"), map("displayName", "fullName"), map("jobTitle", "jobTitle"),
					map("department", "department"), map("department", "primaryTeam"));
			// Seed 004's table: userName is the SSO identifier (the sign-in name, any string) and the e-mail unless
			// emails names one: the SCIM server puts the e-mail in emails.value (primary, else work, else first, else
			// the userName) and the first other e-mail in emails.secondary; displayName is the full name; the work
			// address's formatted line (Entra's physicalDeliveryOfficeName) is the office; the first phone number,
			// E.164; the enterprise organization (Entra's companyName) is the company; department names the primary
			// team, as for the other sources.
			case "scim" -> List.of(map("emails.value", "email"), map("userName", "signInName"),
					map("emails.secondary", "secondaryEmail"), map("displayName", "fullName"),
					map("name.givenName", "firstName"),
					map("name.familyName", "lastName"), map("title", "jobTitle"), map("phoneNumber", "phone"),
					map("addresses.streetAddress", "streetAddress"), map("addresses.locality", "city"),
					map("addresses.postalCode", "postalCode"), map("addresses.country", "country"),
					map("addresses.formatted", "office"), map("organization", "companyName"),
					map("department", "primaryTeam"),
					// The enterprise employeeNumber: the schema advertises it and read-back shows it, so writes store it.
					map("employeeNumber", "employeeId"));
			default -> List.of();
		};
	}

	/**
	 * For files, whose columns are named by people: a column maps to the field of the same name, compared without
	 * case, spaces, dashes or underscores ("First name" is firstName); "team" and "primary team" name the primary
	 * team. Columns that match nothing are ignored.
	 */
	public static List<FieldMapping> forColumns(List<String> header) {
		List<FieldMapping> mappings = new ArrayList<>();
		for (String column : header) {
			String key = normalise(column);
			if (key.equals("team") || key.equals("primaryteam")) {
				mappings.add(map(column, "primaryTeam"));
				continue;
			}
			for (PersonField field : PersonField.values()) {
				if (field.kind() == PersonField.Kind.TEAM || field.kind() == PersonField.Kind.PERSON) {
					continue;
				}
				if (normalise(field.jsonName()).equals(key)) {
					mappings.add(map(column, field.jsonName()));
				}
			}
		}
		return mappings;
	}

	static String normalise(String name) {
		return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
	}

	private static FieldMapping map(String source, String target) {
		return new FieldMapping(source, target, List.of(new Transform.Trim()));
	}

}
