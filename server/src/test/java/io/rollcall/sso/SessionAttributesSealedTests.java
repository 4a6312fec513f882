package io.rollcall.sso;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session's attributes lie in PostgreSQL sealed with the secrets key (AES-GCM), never as readable Java
 * serialization: a session holds what must not be in the database, its WAL or its backups in the clear.
 */
class SessionAttributesSealedTests extends IntegrationTest {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	@Autowired
	JdbcClient jdbc;

	@Test
	void sessionWhenItHoldsATokenThenItsAttributesAreStoredSealed() {
		TestCompany company = this.client.createCompany();
		Response login = this.client.page(company.slug() + ".localhost", "/login");
		assertThat(login.status()).isEqualTo(200);
		assertThat(login.headers().allValues("Set-Cookie")).as("a session was made")
			.anyMatch(cookie -> cookie.startsWith("ROLLCALL_SESSION="));
		Matcher csrf = CSRF.matcher(login.body());
		assertThat(csrf.find()).as("the sign-in page carries its CSRF token").isTrue();
		String token = csrf.group(1);

		List<byte[]> stored = this.jdbc.sql("""
				select a.attribute_bytes from sso_session_attributes a
				join sso_session s on s.primary_id = a.session_primary_id
				""").query(byte[].class).list();
		assertThat(stored).as("the session's attributes, the CSRF token among them").isNotEmpty();
		for (byte[] bytes : stored) {
			assertThat(bytes[0] == (byte) 0xAC && bytes[1] == (byte) 0xED).as("Java serialization in the clear")
				.isFalse();
			assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain(token);
		}
	}

}
