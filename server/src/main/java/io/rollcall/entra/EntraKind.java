package io.rollcall.entra;

import java.util.List;

import io.rollcall.mapping.FieldMapping;
import io.rollcall.mapping.Transform;
import io.rollcall.connector.ProviderKind;
import io.rollcall.sync.SourceKind;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static io.rollcall.mapping.FieldMapping.trimmed;

/**
 * Entra ID as a source: its name, its line on Integrations, its page, its field table out of the box, and what to save
 * before its first run.
 */
@Configuration(proxyBeanMethods = false)
class EntraKind {

	static final SourceKind SOURCE = new SourceKind(EntraSource.KIND, "Entra ID",
			"Microsoft Entra ID (Azure AD) users and departments.", "/console/integrations/entra",
			List.of(trimmed("givenName", "firstName"), trimmed("surname", "lastName"),
					trimmed("userPrincipalName", "email"), trimmed("jobTitle", "jobTitle"),
					trimmed("department", "department"),
					// Department names both the profile field and the primary team.
					trimmed("department", "primaryTeam"), trimmed("officeLocation", "location"),
					trimmed("preferredLanguage", "language"),
					// The connector keeps the photo and names its avatar URL in "photo".
					trimmed("photo", "avatarUrl"),
					new FieldMapping("employeeHireDate", "hireDate", List.of(new Transform.DateParse("yyyy-MM-dd")))));

	static final ProviderKind PROVIDER = new ProviderKind(SOURCE,
			"Entra ID is not set up for this company: save the tenant ID, group ID and app registration first");

	/** After the file, with the other directories. */
	@Bean
	@Order(20)
	SourceKind entraSourceKind() {
		return SOURCE;
	}

}
