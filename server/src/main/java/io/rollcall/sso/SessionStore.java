package io.rollcall.sso;

import io.rollcall.platform.SecretBox;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.support.GenericConversionService;
import org.springframework.core.serializer.support.DeserializingConverter;
import org.springframework.core.serializer.support.SerializingConverter;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
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

	/**
	 * Session attributes are sealed with the secrets key before they are written: a session holds what must not lie
	 * in the database, its WAL or its backups in the clear (a secret shown once, kept as a flash attribute until the
	 * next page; the ID token of a single sign-on; a try's PKCE verifier). A customizer rather than a conversion
	 * service bean, which other beans asking for "the" conversion service would trip over.
	 */
	@Bean
	SessionRepositoryCustomizer<JdbcIndexedSessionRepository> sealedSessionAttributes(SecretBox secrets) {
		SerializingConverter serialize = new SerializingConverter();
		DeserializingConverter deserialize = new DeserializingConverter(SessionStore.class.getClassLoader());
		GenericConversionService conversions = new GenericConversionService();
		conversions.addConverter(Object.class, byte[].class, attribute -> secrets.seal(serialize.convert(attribute)));
		conversions.addConverter(byte[].class, Object.class, stored -> deserialize.convert(secrets.open(stored)));
		return repository -> repository.setConversionService(conversions);
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
