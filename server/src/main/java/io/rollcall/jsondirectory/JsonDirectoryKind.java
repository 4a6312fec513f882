package io.rollcall.jsondirectory;

import java.util.List;

import io.rollcall.connector.ProviderKind;
import io.rollcall.sync.SourceKind;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static io.rollcall.mapping.FieldMapping.trimmed;

/**
 * The JSON directory as a source: its name, its line on Integrations, its page, its field table out of the box, and what
 * to save before its first run.
 */
@Configuration(proxyBeanMethods = false)
class JsonDirectoryKind {

	static final SourceKind SOURCE = new SourceKind(JsonDirectorySource.KIND, "JSON directory",
			"An HR system or in-house directory that lists its people as JSON over HTTPS.",
			"/console/integrations/jsondirectory",
			// The JSON directory's contract (README, "A JSON directory"): its field names, department the primary team.
			List.of(trimmed("email", "email"), trimmed("givenName", "firstName"), trimmed("familyName", "lastName"),
					trimmed("displayName", "fullName"), trimmed("jobTitle", "jobTitle"),
					trimmed("department", "department"), trimmed("department", "primaryTeam")));

	static final ProviderKind PROVIDER = new ProviderKind(SOURCE,
			"The JSON directory is not set up for this company: save its people endpoint and token first");

	/** After Okta, the last of the directories read. */
	@Bean
	@Order(40)
	SourceKind jsonDirectorySourceKind() {
		return SOURCE;
	}

}
