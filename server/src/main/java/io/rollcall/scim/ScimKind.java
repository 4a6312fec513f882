package io.rollcall.scim;

import java.util.List;

import io.rollcall.sync.SourceKind;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static io.rollcall.mapping.FieldMapping.trimmed;

/**
 * SCIM as a source: its name, its line on Integrations (no page there: its set-up is on the console's SCIM page) and
 * its field table out of the box.
 */
@Configuration(proxyBeanMethods = false)
class ScimKind {

	/*
	 * Seed 004's table: userName is the SSO identifier (the sign-in name, any string) and the e-mail unless emails
	 * names one: the SCIM server puts the e-mail in emails.value (primary, else work, else first, else the userName)
	 * and the first other e-mail in emails.secondary; displayName is the full name; the work address's formatted line
	 * (Entra's physicalDeliveryOfficeName) is the office; the first phone number, E.164; the enterprise organization
	 * (Entra's companyName) is the company; department names the primary team, as for the other sources.
	 */
	static final SourceKind SOURCE = new SourceKind(ScimUsers.SOURCE, "SCIM",
			"Any identity provider that provisions over SCIM 2.0.", null,
			List.of(trimmed("emails.value", "email"), trimmed("userName", "signInName"),
					trimmed("emails.secondary", "secondaryEmail"), trimmed("displayName", "fullName"),
					trimmed("name.givenName", "firstName"), trimmed("name.familyName", "lastName"),
					trimmed("title", "jobTitle"), trimmed("phoneNumber", "phone"),
					trimmed("addresses.streetAddress", "streetAddress"), trimmed("addresses.locality", "city"),
					trimmed("addresses.postalCode", "postalCode"), trimmed("addresses.country", "country"),
					trimmed("addresses.formatted", "office"), trimmed("organization", "companyName"),
					trimmed("department", "primaryTeam"),
					// The enterprise employeeNumber: the schema advertises it and read-back shows it, so writes store it.
					trimmed("employeeNumber", "employeeId")));

	/** Last on Integrations: it pushes, so there is nothing to sync from here. */
	@Bean
	@Order(50)
	SourceKind scimSourceKind() {
		return SOURCE;
	}

}
