package io.rollcall.sso;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.jdbc.PostgreSqlJdbcIndexedSessionRepositoryCustomizer;
import org.springframework.session.web.http.SessionRepositoryFilter;

/**
 * Sessions in PostgreSQL: Spring Session JDBC, set up by Spring Boot from {@code spring.session.jdbc} (the tables
 * {@code sso_session} and {@code sso_session_attributes}, V27), so that a sign-in, the single sign-on flow under way
 * and an authorize request waiting for a sign-in hold on whichever node the next request reaches. Attributes are kept
 * with Java serialization: whatever a session holds (flash attributes included) must be {@link java.io.Serializable}.
 * Rollcall's own are records, which read back across releases; Spring Security's classes carry its version as their
 * serialVersionUID, so an upgrade of it to another minor version leaves the sessions written before unreadable.
 */
@Configuration(proxyBeanMethods = false)
class SessionStore {

	/**
	 * PostgreSQL's upsert for a new attribute: two requests of one session (a page and its htmx call) that both set
	 * the same attribute no longer fail the second on the primary key.
	 */
	@Bean
	PostgreSqlJdbcIndexedSessionRepositoryCustomizer sessionAttributesUpserted() {
		return new PostgreSqlJdbcIndexedSessionRepositoryCustomizer();
	}

	/** Before Spring Session's filter, which must not see the cookie on these paths. */
	@Bean
	FilterRegistrationBean<SessionlessPaths> sessionlessPaths(
			@Value("${server.servlet.session.cookie.name}") String cookieName) {
		FilterRegistrationBean<SessionlessPaths> registration = new FilterRegistrationBean<>(
				new SessionlessPaths(cookieName));
		registration.setName("sessionlessPaths");
		registration.setOrder(SessionRepositoryFilter.DEFAULT_ORDER - 1);
		return registration;
	}

}
