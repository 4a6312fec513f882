package io.rollcall.identityprovider;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.rollcall.platform.RequestRejectedException;
import io.rollcall.platform.SecretTokens;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.util.Assert;

/**
 * The applications that sign people in through Rollcall, registered by the operator: checked here, kept as Spring
 * Authorization Server's registered clients. One registration serves every company: its URIs may hold
 * {@code {slug}}, which each company's issuer replaces with its own slug.
 */
@Service
public class Applications {

	/** The scope that adds the person's place in the company (company, role, teams, tags, manager). */
	public static final String ROLLCALL_SCOPE = "rollcall";

	/** The application's public keys given inline (a JWK Set, JSON), for {@code private_key_jwt}. */
	static final String JWKS = "settings.client.rollcall.jwks";

	/** The inline JWK Set's size limit: a handful of RSA keys, room for a rotation. */
	private static final int MAX_JWKS_LENGTH = 8_000;

	/** Where the application hears that a person's session ended (OpenID Connect Back-Channel Logout). */
	static final String BACKCHANNEL_LOGOUT_URI = "settings.client.rollcall.backchannel-logout-uri";

	private static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofMinutes(5);

	private final RegisteredClientRepository clients;

	private final JdbcClient jdbc;

	private final ClientSecretDigest digest = new ClientSecretDigest();

	Applications(JdbcClient jdbc, IdentityProviderStores stores) {
		Assert.notNull(jdbc, "jdbc cannot be null");
		this.jdbc = jdbc;
		this.clients = stores.registeredClients();
	}

	/**
	 * @param clientAuthentication {@code client_secret_basic} (a server-side application), {@code private_key_jwt}
	 * (a server-side application signing an assertion with its own key) or {@code none} (a public client, which must
	 * use PKCE)
	 * @param jwksUri for {@code private_key_jwt}: where the application publishes its public keys (a JWK Set)
	 * @param jwks for {@code private_key_jwt}, instead of {@code jwksUri}: the JWK Set itself, public keys only
	 * @param idTokenSigningAlgorithm {@code RS256} (the default, which every OpenID Connect library verifies) or
	 * {@code ES256} (a sixth of the signing cost, for applications that can verify it)
	 */
	public record NewApplication(String name, List<String> redirectUris, List<String> postLogoutRedirectUris,
			String backChannelLogoutUri, String clientAuthentication, String jwksUri, Map<String, Object> jwks,
			String idTokenSigningAlgorithm) {

		public NewApplication(String name, List<String> redirectUris, List<String> postLogoutRedirectUris,
				String backChannelLogoutUri, String clientAuthentication) {
			this(name, redirectUris, postLogoutRedirectUris, backChannelLogoutUri, clientAuthentication, null, null, null);
		}

	}

	/**
	 * @param clientSecret shown this once; null for a public client
	 */
	public record RegisteredApplication(String id, String clientId, String clientSecret, String name,
			List<String> redirectUris, List<String> postLogoutRedirectUris, String backChannelLogoutUri,
			String clientAuthentication, List<String> scopes, String jwksUri, Map<String, Object> jwks,
			String idTokenSigningAlgorithm) {
	}

	@Transactional
	public RegisteredApplication register(NewApplication request) {
		if (request == null || request.name() == null || request.name().isBlank() || request.name().length() > 200) {
			throw RequestRejectedException.invalid("name", "'name' is required: what people know the application as "
					+ "(at most 200 characters)");
		}
		ClientAuthenticationMethod method = method(request.clientAuthentication());
		SignatureAlgorithm idTokenAlgorithm = idTokenAlgorithm(request.idTokenSigningAlgorithm());
		List<String> redirects = uris("redirectUris", request.redirectUris(), true);
		List<String> postLogout = uris("postLogoutRedirectUris", request.postLogoutRedirectUris(), false);
		String backChannel = request.backChannelLogoutUri() == null || request.backChannelLogoutUri().isBlank() ? null
				: uris("backChannelLogoutUri", List.of(request.backChannelLogoutUri()), false).getFirst();
		String clientId = "app_" + UUID.randomUUID().toString().replace("-", "");
		String secret = method == ClientAuthenticationMethod.CLIENT_SECRET_BASIC ? SecretTokens.generate("rcs_") : null;
		ClientSettings.Builder settings = ClientSettings.builder()
			// The host application is the company's own: people are not asked to consent to it.
			.requireAuthorizationConsent(false)
			.requireProofKey(method == ClientAuthenticationMethod.NONE);
		assertionKeys(method, request, settings);
		if (backChannel != null) {
			settings.setting(BACKCHANNEL_LOGOUT_URI, stored(backChannel));
		}
		RegisteredClient client = RegisteredClient.withId(UUID.randomUUID().toString())
			.clientId(clientId)
			.clientSecret(secret == null ? null : this.digest.encode(secret))
			.clientName(request.name().strip())
			.clientAuthenticationMethod(method)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
			.redirectUris(set -> redirects.forEach(uri -> set.add(stored(uri))))
			.postLogoutRedirectUris(set -> postLogout.forEach(uri -> set.add(stored(uri))))
			.scope(OidcScopes.OPENID)
			.scope(OidcScopes.PROFILE)
			.scope(OidcScopes.EMAIL)
			.scope(ROLLCALL_SCOPE)
			.scope("offline_access")
			.clientSettings(settings.build())
			.tokenSettings(TokenSettings.builder()
				.accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
				.accessTokenTimeToLive(ACCESS_TOKEN_LIFETIME)
				.reuseRefreshTokens(false)
				.idTokenSignatureAlgorithm(idTokenAlgorithm)
				.build())
			.build();
		this.clients.save(client);
		return view(client, secret);
	}

	@Transactional(readOnly = true)
	public List<RegisteredApplication> list() {
		return this.jdbc.sql("select id from oauth2_registered_client order by client_id_issued_at, id")
			.query(String.class)
			.list()
			.stream()
			.map(this.clients::findById)
			.map(client -> view(client, null))
			.toList();
	}

	private static RegisteredApplication view(RegisteredClient client, String secret) {
		String backChannel = client.getClientSettings().getSetting(BACKCHANNEL_LOGOUT_URI);
		String jwks = client.getClientSettings().getSetting(JWKS);
		return new RegisteredApplication(client.getId(), client.getClientId(), secret, client.getClientName(),
				client.getRedirectUris().stream().map(Applications::shown).sorted().toList(),
				client.getPostLogoutRedirectUris().stream().map(Applications::shown).sorted().toList(),
				backChannel == null ? null : shown(backChannel),
				client.getClientAuthenticationMethods().iterator().next().getValue(),
				client.getScopes().stream().sorted().toList(), client.getClientSettings().getJwkSetUrl(),
				jwks == null ? null : parsed(jwks).toJSONObject(true),
				client.getTokenSettings().getIdTokenSignatureAlgorithm().getName());
	}

	private static SignatureAlgorithm idTokenAlgorithm(String given) {
		if (given == null || given.isBlank()) {
			return SignatureAlgorithm.RS256;
		}
		return switch (given.strip().toUpperCase(Locale.ROOT)) {
			case "RS256" -> SignatureAlgorithm.RS256;
			case "ES256" -> SignatureAlgorithm.ES256;
			default -> throw RequestRejectedException.invalid("idTokenSigningAlgorithm", "'idTokenSigningAlgorithm' must be "
					+ "'RS256' (the default, which every OpenID Connect library verifies) or 'ES256', not '" + given + "'");
		};
	}

	private static ClientAuthenticationMethod method(String given) {
		String method = given == null || given.isBlank() ? "client_secret_basic" : given.strip().toLowerCase(Locale.ROOT);
		return switch (method) {
			case "client_secret_basic" -> ClientAuthenticationMethod.CLIENT_SECRET_BASIC;
			case "private_key_jwt" -> ClientAuthenticationMethod.PRIVATE_KEY_JWT;
			case "none" -> ClientAuthenticationMethod.NONE;
			default -> throw RequestRejectedException.invalid("clientAuthentication", "'clientAuthentication' must be "
					+ "'client_secret_basic' (an application with a server), 'private_key_jwt' (an application with a "
					+ "server and its own signing key) or 'none' (a public client, with PKCE), not '" + given + "'");
		};
	}

	/**
	 * The keys a {@code private_key_jwt} application's assertions are checked with (RS256, RFC 7523): published at
	 * its {@code jwksUri}, or given inline as {@code jwks}. One set for every company: the assertion's audience
	 * tells the companies apart.
	 */
	private static void assertionKeys(ClientAuthenticationMethod method, NewApplication request,
			ClientSettings.Builder settings) {
		boolean uri = request.jwksUri() != null && !request.jwksUri().isBlank();
		boolean inline = request.jwks() != null;
		if (method != ClientAuthenticationMethod.PRIVATE_KEY_JWT) {
			if (uri || inline) {
				throw RequestRejectedException.invalid(uri ? "jwksUri" : "jwks", "'jwksUri' and 'jwks' are for "
						+ "'clientAuthentication': 'private_key_jwt' only");
			}
			return;
		}
		if (uri == inline) {
			throw RequestRejectedException.invalid("jwksUri", "'private_key_jwt' needs the application's public keys, "
					+ (uri ? "once: give 'jwksUri' or 'jwks', not both" : "as 'jwksUri' (where it publishes its JWK "
							+ "Set, e.g. https://learn.example.com/.well-known/jwks.json) or 'jwks' (the JWK Set itself)"));
		}
		settings.tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.RS256);
		if (uri) {
			if (request.jwksUri().contains(CompanyClients.PLACEHOLDER)) {
				throw RequestRejectedException.invalid("jwksUri", "'jwksUri' may not hold {slug}: the application "
						+ "signs with the same keys for every company");
			}
			settings.jwkSetUrl(uris("jwksUri", List.of(request.jwksUri()), true).getFirst());
			return;
		}
		settings.setting(JWKS, publicKeys(request.jwks()));
	}

	/** The inline JWK Set as stored: RSA public keys only, checked one by one. */
	private static String publicKeys(Map<String, Object> given) {
		JWKSet set;
		try {
			set = JWKSet.parse(given);
		}
		catch (java.text.ParseException ex) {
			throw RequestRejectedException.invalid("jwks", "'jwks' is not a JWK Set ({\"keys\": [{\"kty\": \"RSA\", "
					+ "\"n\": ..., \"e\": ...}]}): " + ex.getMessage());
		}
		if (set.getKeys().isEmpty()) {
			throw RequestRejectedException.invalid("jwks", "'jwks' holds no key: give the application's public keys");
		}
		for (JWK key : set.getKeys()) {
			String named = key.getKeyID() == null ? "a key without 'kid'" : "key '" + key.getKeyID() + "'";
			if (key.isPrivate()) {
				throw RequestRejectedException.invalid("jwks", "'jwks' holds private key material (" + named + " has "
						+ "'d' or other private members): give the public keys only; the private key never leaves "
						+ "the application");
			}
			if (!(key instanceof RSAKey)) {
				throw RequestRejectedException.invalid("jwks", "'jwks' " + named + " is " + key.getKeyType()
						+ ": assertions are checked as RS256, so give RSA public keys");
			}
		}
		String stored = set.toString(true);
		if (stored.length() > MAX_JWKS_LENGTH) {
			throw RequestRejectedException.invalid("jwks", "'jwks' is over " + MAX_JWKS_LENGTH + " characters: give the "
					+ "keys in use (a few), or publish them at a 'jwksUri'");
		}
		return stored;
	}

	static JWKSet parsed(String storedJwks) {
		try {
			return JWKSet.parse(storedJwks);
		}
		catch (java.text.ParseException ex) {
			throw new IllegalStateException("A stored JWK Set no longer parses", ex);
		}
	}

	private static List<String> uris(String field, List<String> given, boolean required) {
		if (given == null || given.isEmpty()) {
			if (required) {
				throw RequestRejectedException.invalid(field, "'" + field + "' needs at least one URI, such as "
						+ "https://{slug}.learn.example.com/login/oauth2/code/rollcall");
			}
			return List.of();
		}
		for (String uri : given) {
			check(field, uri);
		}
		return given.stream().map(String::strip).distinct().toList();
	}

	private static void check(String field, String uri) {
		String example = " (e.g. https://{slug}.learn.example.com/callback)";
		if (uri == null || uri.isBlank() || uri.length() > 300) {
			throw RequestRejectedException.invalid(field, "'" + field + "' holds an empty or over-long URI" + example);
		}
		URI parsed;
		try {
			// With a sample slug in place, the URI must be an absolute http(s) URI without fragment.
			parsed = new URI(uri.strip().replace(CompanyClients.PLACEHOLDER, "acme"));
		}
		catch (URISyntaxException ex) {
			throw RequestRejectedException.invalid(field, "'" + uri + "' is not a URI" + example);
		}
		if (parsed.getHost() == null || parsed.getFragment() != null
				|| !Set.of("https", "http").contains(String.valueOf(parsed.getScheme()))) {
			throw RequestRejectedException.invalid(field, "'" + uri + "' must be an absolute https URI without a "
					+ "fragment" + example);
		}
		// Codes and tokens must not cross a network in clear: plain http only for this machine (development, tests).
		if ("http".equals(parsed.getScheme()) && !isLoopback(parsed.getHost())) {
			throw RequestRejectedException.invalid(field, "'" + uri + "' must use https (http only for localhost)");
		}
	}

	private static boolean isLoopback(String host) {
		return "localhost".equals(host) || host.endsWith(".localhost") || host.startsWith("127.") || "[::1]".equals(host);
	}

	private static String stored(String uri) {
		return uri.replace(CompanyClients.PLACEHOLDER, CompanyClients.STORED_PLACEHOLDER);
	}

	private static String shown(String uri) {
		return uri.replace(CompanyClients.STORED_PLACEHOLDER, CompanyClients.PLACEHOLDER);
	}

}
