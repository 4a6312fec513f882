package io.rollcall.okta;

import java.util.List;

import io.rollcall.sync.SourceKind;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static io.rollcall.mapping.FieldMapping.trimmed;

/** Okta as a source: its name, its line on Integrations, its page and its field table out of the box. */
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

	/** After Entra ID. */
	@Bean
	@Order(30)
	SourceKind oktaSourceKind() {
		return SOURCE;
	}

}
