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

	/** @param tokenHash the replaced token's {@link SecretTokens#hash}: the store knows it by that only */
	void rotated(byte[] tokenHash, String authorizationId) {
		this.jdbc.sql("""
				insert into oauth2_rotated_refresh_token (token_hash, authorization_id) values (:hash, :authorization)
				on conflict (token_hash) do nothing
				""").param("hash", tokenHash).param("authorization", authorizationId).update();
	}

	/** The authorization a replaced refresh token belonged to. */
	Optional<String> authorizationOf(String token) {
		return this.jdbc.sql("select authorization_id from oauth2_rotated_refresh_token where token_hash = :hash")
			.param("hash", SecretTokens.hash(token))
			.query(String.class)
			.optional();
	}

}
