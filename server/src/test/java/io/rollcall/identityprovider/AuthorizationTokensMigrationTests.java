package io.rollcall.identityprovider;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

import javax.sql.DataSource;

import io.rollcall.platform.SecretTokens;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V29 on a database with sign-ins from before it: each authorization's tokens are in its token row, its current
 * refresh token and those rotation replaced are in the list of refresh tokens by the same digest Java computes, so
 * the tokens handed out keep working and a replaced one presented again is still recognised until it expires.
 */
class AuthorizationTokensMigrationTests {

	private static final Instant REFRESH_EXPIRES = Instant.parse("2026-12-20T10:15:30Z");

	@Test
	void migrateWhenAuthorizationsHadTheirTokensInTheirRowThenTokensAndReplacedRefreshTokensAreKept()
			throws Exception {
		try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
			DataSource database = postgres.getPostgresDatabase();
			Flyway.configure().dataSource(database).locations("classpath:db/migration").target("28").load().migrate();
			JdbcClient jdbc = JdbcClient.create(database);
			jdbc.sql("""
					insert into oauth2_registered_client (id, client_id, client_name, client_authentication_methods,
					    authorization_grant_types, scopes, client_settings, token_settings)
					values ('client-1', 'app', 'App', 'client_secret_basic', 'authorization_code', 'openid', '{}', '{}')
					""").update();
			jdbc.sql(
					"""
							insert into oauth2_authorization (id, registered_client_id, principal_name, authorization_grant_type,
							    attributes, authorization_code_value, authorization_code_expires_at, authorization_code_metadata,
							    access_token_value, access_token_expires_at, access_token_metadata, access_token_type,
							    refresh_token_value, refresh_token_issued_at, refresh_token_expires_at, refresh_token_metadata)
							values ('auth-1', 'client-1', 'person-1', 'authorization_code', '{}', :code, :codeExpires,
							    '{"invalidated":true}', :access, :codeExpires, '{"claims":{}}', 'Bearer', :refresh, :codeExpires,
							    :refreshExpires, '{"invalidated":false}')
							""")
				.param("code", HashedTokenAuthorizations.digest("the code"))
				.param("codeExpires", Timestamp.from(Instant.parse("2026-12-06T10:00:00Z")))
				.param("access", HashedTokenAuthorizations.digest("the access token"))
				.param("refresh", HashedTokenAuthorizations.digest("the current refresh token"))
				.param("refreshExpires", Timestamp.from(REFRESH_EXPIRES))
				.update();
			// Kept by V18/V26's trigger: the raw SHA-256 of the token.
			jdbc.sql("insert into oauth2_rotated_refresh_token (token_hash, authorization_id) values (:hash, 'auth-1')")
				.param("hash", SecretTokens.hash("a replaced refresh token"))
				.update();

			Flyway.configure().dataSource(database).locations("classpath:db/migration").target("29").load().migrate();

			Map<String, Object> tokens = jdbc
				.sql("select * from oauth2_authorization_token where authorization_id = 'auth-1'")
				.query()
				.singleRow();
			assertThat(tokens.get("access_token_value"))
				.isEqualTo(HashedTokenAuthorizations.digest("the access token"));
			assertThat(tokens.get("access_token_type")).isEqualTo("Bearer");
			assertThat(tokens.get("authorization_code_metadata")).isEqualTo("{\"invalidated\":true}");
			assertThat(tokens.get("refresh_token_value"))
				.isEqualTo(HashedTokenAuthorizations.digest("the current refresh token"));
			assertThat(((Timestamp) tokens.get("retain_until")).toInstant())
				.as("the last expiry, rounded up to the hour")
				.isEqualTo(Instant.parse("2026-12-20T11:00:00Z"));
			assertThat(jdbc.sql("select token_value from oauth2_refresh_token")
				.query(String.class)
				.list()).containsExactlyInAnyOrder(HashedTokenAuthorizations.digest("the current refresh token"),
						HashedTokenAuthorizations.digest("a replaced refresh token"));
			RotatedRefreshTokens rotated = new RotatedRefreshTokens(jdbc);
			assertThat(rotated.authorizationOf("a replaced refresh token")).contains("auth-1");
			assertThat(rotated.authorizationOf("the current refresh token")).as("current, not replaced").isEmpty();
			assertThat(jdbc.sql("""
					select count(*) from information_schema.columns
					where table_name = 'oauth2_authorization' and column_name like 'refresh_token%'""")
				.query(Long.class)
				.single()).isZero();

			assertThat(jdbc.sql("select distinct expires_at from oauth2_refresh_token").query(Timestamp.class).list())
				.as("a replaced token expired no later than its replacement")
				.containsExactly(Timestamp.from(REFRESH_EXPIRES));

			// Deleting the authorization takes its token row with it; its refresh tokens count no more.
			jdbc.sql("delete from oauth2_authorization where id = 'auth-1'").update();
			assertThat(jdbc.sql("select count(*) from oauth2_authorization_token").query(Long.class).single())
				.isZero();
			assertThat(rotated.authorizationOf("a replaced refresh token")).isEmpty();
		}
	}

}
