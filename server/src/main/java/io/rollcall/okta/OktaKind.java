package io.rollcall.okta;

import java.util.List;

import io.rollcall.connector.ProviderKind;
import io.rollcall.sync.SourceKind;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static io.rollcall.mapping.FieldMapping.trimmed;

/**
 * Okta as a source: its name, its line on Integrations, its page, its field table out of the box, and what to save
 * before its first run.
 */
@Configuration(proxyBeanMethods = false)
class OktaKind {

	static final SourceKind SOURCE = new SourceKind(OktaSource.KIND, "Okta",
			"Okta users and their profiles.", "/console/integrations/okta",
			List.of(trimmed("honorificPrefix", "title"), trimmed("firstName", "firstName"),
					trimmed("lastName", "lastName"), trimmed("email", "email"), trimmed("title", "jobTitle"),
					trimmed("preferredLanguage", "language"), trimmed("city", "location"),
					trimmed("department", "primaryTeam"),
					// The connector fetches the picture URL's image and names its avatar URL in "avatar".
					trimmed("avatar", "avatarUrl")));

	static final ProviderKind PROVIDER = new ProviderKind(SOURCE,
			"Okta is not set up for this company: save the org URL, the API token or service app, and the app's id first");

	/** After Entra ID. */
	@Bean
	@Order(30)
	SourceKind oktaSourceKind() {
		return SOURCE;
	}

}
