package io.rollcall.identityprovider;

import java.util.Optional;

import io.rollcall.platform.SecretTokens;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * The refresh tokens rotation replaced, kept by hash with the authorization they belonged to, so that one presented
 * again is recognised as reuse (RFC 9700 §4.14.2: a stolen token, or the application's copy of it). They are kept
 * by the UPDATE that replaces them (a trigger, V26), so that a refresh saves in one statement; this class reads
 * them.
 */
final class RotatedRefreshTokens {

	private final JdbcClient jdbc;

	RotatedRefreshTokens(JdbcClient jdbc) {
		Assert.notNull(jdbc, "jdbc cannot be null");
		this.jdbc = jdbc;
	}

	/** The authorization a replaced refresh token belonged to. */
	Optional<String> authorizationOf(String token) {
		return this.jdbc.sql("select authorization_id from oauth2_rotated_refresh_token where token_hash = :hash")
			.param("hash", SecretTokens.hash(token))
			.query(String.class)
			.optional();
	}

}
