package io.rollcall.identityprovider;

import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * The refresh tokens rotation replaced, so that one presented again is recognised as reuse (RFC 9700 §4.14.2: a
 * stolen token, or the application's copy of it). Every refresh token issued is listed with its authorization by its
 * stored digest (V29, written with the token by {@link AuthorizationRows}); one listed that is not its authorization's
 * current refresh token was replaced.
 */
final class RotatedRefreshTokens {

	private final JdbcClient jdbc;

	RotatedRefreshTokens(JdbcClient jdbc) {
		Assert.notNull(jdbc, "jdbc cannot be null");
		this.jdbc = jdbc;
	}

	/** The authorization a replaced refresh token, as presented, belonged to. */
	Optional<String> authorizationOf(String token) {
		return this.jdbc.sql("""
				select r.authorization_id from oauth2_refresh_token r
				join oauth2_authorization_token t on t.authorization_id = r.authorization_id
				where r.token_value = :digest and t.refresh_token_value is distinct from r.token_value""")
			.param("digest", HashedTokenAuthorizations.digest(token))
			.query(String.class)
			.optional();
	}

}
