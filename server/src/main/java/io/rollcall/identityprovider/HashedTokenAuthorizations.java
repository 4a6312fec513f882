package io.rollcall.identityprovider;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.rollcall.platform.SecretTokens;

import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.util.Assert;

/**
 * The authorization store keeps codes, access tokens, refresh tokens and ID tokens by their SHA-256 only, so that
 * whoever reads the database (a backup, a replica) holds nothing an application could present. A presented value is
 * found by its digest, one hash and the same one indexed lookup as before; the authorization handed back carries
 * the presented value in place of its digest, where Spring Authorization Server compares it (revocation,
 * introspection), and the digests of the other tokens, which it only reads the claims and expiry of. A stored digest
 * presented as a token is hashed like any other value, so it finds nothing.
 */
final class HashedTokenAuthorizations implements OAuth2AuthorizationService {

	/**
	 * Marks a stored digest. No token Rollcall issues holds a colon (JWTs and codes are base64url), so a value with
	 * it is a digest already and is kept as it is when an authorization read from the store is saved again.
	 */
	static final String PREFIX = "sha256:";

	private static final MappedJwtClaimSetConverter CLAIM_TYPES = MappedJwtClaimSetConverter.withDefaults(Map.of());

	private final OAuth2AuthorizationService store;

	HashedTokenAuthorizations(OAuth2AuthorizationService store) {
		Assert.notNull(store, "store cannot be null");
		this.store = store;
	}

	/** The digest of a presented value, always hashed: a stored digest presented as a token finds nothing. */
	static String digest(String presented) {
		return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(SecretTokens.hash(presented));
	}

	/** The stored form of a token value: a new token's digest, or the digest an authorization was read with. */
	static String stored(String value) {
		return value.startsWith(PREFIX) ? value : digest(value);
	}

	@Override
	public void save(OAuth2Authorization authorization) {
		this.store.save(withValues(authorization, null, null, null));
	}

	@Override
	public void remove(OAuth2Authorization authorization) {
		this.store.remove(authorization);
	}

	@Override
	public OAuth2Authorization findById(String id) {
		return this.store.findById(id);
	}

	@Override
	public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
		if (tokenType != null && OAuth2ParameterNames.STATE.equals(tokenType.getValue())) {
			// The consent step's state is no credential: kept as given.
			return this.store.findByToken(token, tokenType);
		}
		String digest = digest(token);
		OAuth2Authorization found;
		if (this.store instanceof AuthorizationRows rows
				&& (tokenType == null || AuthorizationRows.bySubject(tokenType))) {
			// Access and ID tokens are found among their subject's authorizations (AuthorizationRows).
			com.nimbusds.jwt.JWTClaimsSet claims = unverifiedClaims(token);
			found = claims != null && claims.getSubject() != null
					? rows.findByTokenOf(claims.getSubject(), digest, tokenType) : null;
			if (found == null && tokenType == null) {
				found = rows.findByToken(digest, null);
			}
			else if (found != null) {
				// Typed only once found, and only for an access token (introspection reads them; userinfo does not).
				return withValues(found, digest, token, found.getAccessToken() != null ? typed(claims) : null);
			}
		}
		else {
			found = this.store.findByToken(digest, tokenType);
		}
		return found == null ? null : withValues(found, digest, token, null);
	}

	/**
	 * The claims a JWT says it has, unverified: its {@code sub} only narrows the lookup,
	 * which still needs the digest of the whole token, so a forged one finds nothing; once found by its digest, the
	 * token is the one Rollcall signed, so its claims are what Rollcall issued. Null for anything else.
	 */
	private static com.nimbusds.jwt.JWTClaimsSet unverifiedClaims(String token) {
		if (token.chars().filter(c -> c == '.').count() != 2) {
			return null;
		}
		try {
			return com.nimbusds.jwt.JWTParser.parse(token).getJWTClaimsSet();
		}
		catch (java.text.ParseException | RuntimeException notAJwt) {
			return null;
		}
	}

	/** The claims as a JWT decoder types them (instants, lists of audiences), as the token's generator made them. */
	private static Map<String, Object> typed(com.nimbusds.jwt.JWTClaimsSet claims) {
		try {
			return CLAIM_TYPES.convert(claims.getClaims());
		}
		catch (RuntimeException unusual) {
			return null;
		}
	}

	/**
	 * The authorization with each token's value hashed, or, given a digest and the value it was found by, with that
	 * value back in place of its digest.
	 */
	private static OAuth2Authorization withValues(OAuth2Authorization authorization, String digest, String presented,
			Map<String, Object> presentedClaims) {
		OAuth2Authorization.Builder builder = OAuth2Authorization.from(authorization);
		OAuth2Authorization.Token<OAuth2AuthorizationCode> code = authorization.getToken(OAuth2AuthorizationCode.class);
		if (code != null) {
			OAuth2AuthorizationCode token = code.getToken();
			builder.token(new OAuth2AuthorizationCode(value(token, digest, presented), token.getIssuedAt(),
					token.getExpiresAt()));
		}
		OAuth2Authorization.Token<OAuth2AccessToken> access = authorization.getAccessToken();
		if (access != null) {
			OAuth2AccessToken token = access.getToken();
			String value = value(token, digest, presented);
			OAuth2AccessToken withValue = new OAuth2AccessToken(token.getTokenType(), value, token.getIssuedAt(),
					token.getExpiresAt(), token.getScopes());
			if (presentedClaims != null && value.equals(presented)) {
				// The store keeps its binding only (AuthorizationColumns): the rest of its claims are in the token.
				Map<String, Object> claims = new LinkedHashMap<>(presentedClaims);
				claims.putAll(access.getClaims() == null ? Map.of() : access.getClaims());
				builder.token(withValue,
						metadata -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, claims));
			}
			else {
				builder.token(withValue);
			}
		}
		OAuth2Authorization.Token<OidcIdToken> id = authorization.getToken(OidcIdToken.class);
		if (id != null) {
			OidcIdToken token = id.getToken();
			builder.token(new OidcIdToken(value(token, digest, presented), token.getIssuedAt(), token.getExpiresAt(),
					token.getClaims()));
		}
		OAuth2Authorization.Token<OAuth2RefreshToken> refresh = authorization.getRefreshToken();
		if (refresh != null) {
			OAuth2RefreshToken token = refresh.getToken();
			builder.token(new OAuth2RefreshToken(value(token, digest, presented), token.getIssuedAt(),
					token.getExpiresAt()));
		}
		return builder.build();
	}

	private static String value(OAuth2Token token, String digest, String presented) {
		if (digest == null) {
			return stored(token.getTokenValue());
		}
		return digest.equals(token.getTokenValue()) ? presented : token.getTokenValue();
	}

}
