package io.rollcall.identityprovider;

import java.util.Optional;

import io.rollcall.platform.SecretTokens;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * The refresh tokens rotation replaced, kept by hash with the authorization they belonged to, so that one presented
 * again is recognised as reuse (RFC 9700 §4.14.2: a stolen token, or the application's copy of it).
 */
final class RotatedRefreshTokens {

	private final JdbcClient jdbc;

	RotatedRefreshTokens(JdbcClient jdbc) {
		Assert.notNull(jdbc, "jdbc cannot be null");
		this.jdbc = jdbc;
	}

	/**
	 * Before an authorization is saved with the refresh token stored as {@code nextDigest}: the one stored now, if
	 * another, is kept as replaced. One statement, with no read of the authorization (a JSON parse of every attribute):
	 * the stored digest ({@code sha256:} and unpadded base64url, {@link HashedTokenAuthorizations}) is turned back into
	 * the hash this table keys on, in the database.
	 */
	void keepIfReplaced(String authorizationId, String nextDigest) {
		this.jdbc.sql("""
				insert into oauth2_rotated_refresh_token (token_hash, authorization_id)
				select decode(translate(substr(refresh_token_value, 8), '-_', '+/') || '=', 'base64'), id
				from oauth2_authorization
				where id = :authorization and refresh_token_value like 'sha256:%' and refresh_token_value <> :next
				on conflict (token_hash) do nothing
				""").param("authorization", authorizationId).param("next", nextDigest).update();
	}

	/** The authorization a replaced refresh token belonged to. */
	Optional<String> authorizationOf(String token) {
		return this.jdbc.sql("select authorization_id from oauth2_rotated_refresh_token where token_hash = :hash")
			.param("hash", SecretTokens.hash(token))
			.query(String.class)
			.optional();
	}

}
