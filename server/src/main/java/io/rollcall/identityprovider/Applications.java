package io.rollcall.identityprovider;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.rollcall.audit.AuditLog;
import io.rollcall.audit.FieldChange;
import io.rollcall.directory.People;
import io.rollcall.directory.Person;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import io.rollcall.platform.SecretTokens;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * The applications that sign people in through Rollcall: checked here, kept as Spring Authorization Server's
 * registered clients. The operator's (the platform's host application) serve every company: their URIs may hold
 * {@code {slug}}, which each company's issuer replaces with its own slug. A company may register applications of its
 * own in the console: such a registration carries its company ({@link #COMPANY}) and is unknown at every other
 * company's issuer ({@link CompanyClients}). Secrets are shown once, when made, and kept as their SHA-256 only.
 */
@Service
public class Applications {

	private static final Logger log = LoggerFactory.getLogger(Applications.class);

	/** The scope that adds the person's place in the company (company, role, teams, tags, manager). */
	public static final String ROLLCALL_SCOPE = "rollcall";

	/** The application's public keys given inline (a JWK Set, JSON), for {@code private_key_jwt}. */
	static final String JWKS = "settings.client.rollcall.jwks";

	/** The inline JWK Set's size limit: a handful of RSA keys, room for a rotation. */
	private static final int MAX_JWKS_LENGTH = 8_000;

	/** Where the application hears that a person's session ended (OpenID Connect Back-Channel Logout). */
	static final String BACKCHANNEL_LOGOUT_URI = "settings.client.rollcall.backchannel-logout-uri";

	/**
	 * The company an application belongs to, by id (a string); absent on the platform's applications, which serve
	 * every company. Read in SQL too (an index of V19 is on it), so its name must not change.
	 */
	static final String COMPANY = "settings.client.rollcall.company";

	/** Marks a company's built-in client of the console's "Try it" ({@link TrySignIn}): never listed. */
	static final String CONSOLE_TEST = "settings.client.rollcall.console-test";

	/** The setting as SQL reads it from the stored JSON; a constant so that V19's expression index applies. */
	static final String COMPANY_SQL = "(cast(client_settings as jsonb) ->> '" + COMPANY + "')";

	static final String CONSOLE_TEST_SQL = "coalesce(cast(client_settings as jsonb) ->> '" + CONSOLE_TEST
			+ "', 'false')";

	private static final String AUDIT_SUBJECT = "application";

	private static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofMinutes(5);

	private final RegisteredClientRepository clients;

	private final IdentityProviderStores stores;

	private final JdbcClient jdbc;

	private final AuditLog audit;

	private final ApplicationSignIns signIns;

	private final People people;

	private final ClientSecretDigest digest = new ClientSecretDigest();

	Applications(JdbcClient jdbc, IdentityProviderStores stores, AuditLog audit, People people) {
		Assert.notNull(jdbc, "jdbc cannot be null");
		Assert.notNull(audit, "audit cannot be null");
		Assert.notNull(people, "people cannot be null");
		this.people = people;
		this.jdbc = jdbc;
		this.stores = stores;
		this.clients = stores.registeredClients();
		this.signIns = stores.signIns();
		this.audit = audit;
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
			this(name, redirectUris, postLogoutRedirectUris, backChannelLogoutUri, clientAuthentication, null, null,
					null);
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

	/**
	 * An application as a company's console shows it: one of its own, or one of the platform's (read-only there).
	 *
	 * @param platform registered by the operator for every company: the company may not rotate or delete it
	 */
	public record CompanyApplication(String id, String clientId, String name, List<String> redirectUris,
			List<String> postLogoutRedirectUris, String backChannelLogoutUri, String clientAuthentication,
			List<String> scopes, boolean platform, Instant registeredAt) {

		public boolean publicClient() {
			return "none".equals(this.clientAuthentication);
		}

	}

	/**
	 * One sign-in to an application at a company: who (name and e-mail as the directory has them now; null when the
	 * person was deleted since), when, and how they had signed in to Rollcall ({@code password} or {@code sso}).
	 */
	public record SignIn(Instant at, UUID personId, String name, String email, String signedInWith) {
	}

	/** Registers one of the platform's applications, which serve every company (the operator's API). */
	@Transactional
	public RegisteredApplication register(NewApplication request) {
		return register(request, null);
	}

	/** Registers an application of the company's own, unknown at every other company's issuer (the console). */
	@Transactional
	public RegisteredApplication register(UUID companyId, NewApplication request, Actor actor) {
		Assert.notNull(companyId, "companyId cannot be null");
		RegisteredApplication registered = register(request, companyId);
		Map<String, FieldChange> changes = new LinkedHashMap<>();
		changes.put("name", new FieldChange(null, registered.name()));
		changes.put("clientId", new FieldChange(null, registered.clientId()));
		changes.put("clientAuthentication", new FieldChange(null, registered.clientAuthentication()));
		changes.put("redirectUris", new FieldChange(null, registered.redirectUris()));
		if (!registered.postLogoutRedirectUris().isEmpty()) {
			changes.put("postLogoutRedirectUris", new FieldChange(null, registered.postLogoutRedirectUris()));
		}
		if (registered.backChannelLogoutUri() != null) {
			changes.put("backChannelLogoutUri", new FieldChange(null, registered.backChannelLogoutUri()));
		}
		this.audit.record(companyId, actor, AUDIT_SUBJECT, UUID.fromString(registered.id()), "created", changes);
		return registered;
	}

	private RegisteredApplication register(NewApplication request, UUID companyId) {
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
		if (companyId != null) {
			settings.setting(COMPANY, companyId.toString());
			// A company admin's URI must not reach inside the platform's network: the same rule as their webhooks.
			settings.setting(BackChannelLogouts.PUBLIC_ADDRESSES_ONLY, true);
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

	/** The platform's applications (the operator's API); no company's own. */
	@Transactional(readOnly = true)
	public List<RegisteredApplication> list() {
		return this.jdbc.sql("select id from oauth2_registered_client where " + COMPANY_SQL
				+ " is null order by client_id_issued_at, id")
			.query(String.class)
			.list()
			.stream()
			.map(this.clients::findById)
			.filter(Objects::nonNull)
			.map(client -> view(client, null))
			.toList();
	}

	/**
	 * Replaces the secret of one of the platform's applications (the operator's API): the new one is in the answer,
	 * this once; the old one is refused from now on. Tokens already issued stay valid.
	 */
	@Transactional
	public RegisteredApplication rotateSecret(String id) {
		RegisteredClient client = find(id).filter(found -> owner(found) == null)
			.orElseThrow(() -> RequestRejectedException.notFound("Application " + id));
		RegisteredApplication rotated = rotate(client);
		log.info("The operator rotated the secret of application {} ({})", client.getClientId(),
				client.getClientName());
		return rotated;
	}

	/** The platform's applications, then the company's own, oldest first; never another company's, nor test clients. */
	@Transactional(readOnly = true)
	public List<CompanyApplication> list(UUID companyId) {
		Assert.notNull(companyId, "companyId cannot be null");
		return this.jdbc.sql("select id from oauth2_registered_client where (" + COMPANY_SQL + " is null or "
				+ COMPANY_SQL + " = :company) and " + CONSOLE_TEST_SQL + " <> 'true' order by " + COMPANY_SQL
				+ " nulls first, client_id_issued_at, id")
			.param("company", companyId.toString())
			.query(String.class)
			.list()
			.stream()
			.map(this.clients::findById)
			.filter(Objects::nonNull)
			.map(Applications::companyView)
			.toList();
	}

	/** One of the company's own applications, or one of the platform's; any other is "not found". */
	@Transactional(readOnly = true)
	public CompanyApplication get(UUID companyId, String id) {
		return companyView(visible(companyId, id));
	}

	/**
	 * Replaces the secret of one of the company's own applications: the new one is returned, to be shown this once;
	 * the old one is refused at the token endpoint from now on (no overlap). Tokens already issued stay valid.
	 */
	@Transactional
	public RegisteredApplication rotateSecret(UUID companyId, String id, Actor actor) {
		RegisteredClient client = own(companyId, id, "rotate its secret");
		RegisteredApplication rotated = rotate(client);
		// Neither secret is recorded, not even as a digest: the entry says that it changed, by whom, when.
		this.audit.record(companyId, actor, AUDIT_SUBJECT, UUID.fromString(client.getId()), "secret_rotated", Map.of());
		return rotated;
	}

	/**
	 * Deletes one of the company's own applications with every authorization and consent it held: its codes,
	 * access and refresh tokens stop working at once, and its recent sign-ins go with it.
	 */
	@Transactional
	public void delete(UUID companyId, String id, Actor actor) {
		RegisteredClient client = own(companyId, id, "delete it");
		for (String table : List.of("oauth2_authorization", "oauth2_authorization_consent", "backchannel_logout")) {
			this.jdbc.sql("delete from " + table + " where registered_client_id = :id")
				.param("id", client.getId())
				.update();
		}
		// The application's recent sign-ins go by the foreign key (V19).
		this.jdbc.sql("delete from oauth2_registered_client where id = :id").param("id", client.getId()).update();
		this.stores.forgetClients();
		this.audit.record(companyId, actor, AUDIT_SUBJECT, UUID.fromString(client.getId()), "deleted",
				Map.of("name", new FieldChange(client.getClientName(), null), "clientId",
						new FieldChange(client.getClientId(), null)));
	}

	/** The last sign-ins to an application at this company, newest first (at most {@link ApplicationSignIns#KEPT}). */
	@Transactional(readOnly = true)
	public List<SignIn> recentSignIns(UUID companyId, String id) {
		List<ApplicationSignIns.Row> rows = this.signIns.recent(companyId, visible(companyId, id).getId());
		Map<UUID, Person> people = new java.util.HashMap<>();
		if (!rows.isEmpty()) {
			this.people.load(companyId, rows.stream().map(ApplicationSignIns.Row::personId).distinct().toList())
				.forEach(person -> people.put(person.id(), person));
		}
		return rows.stream().map(row -> {
			Person person = people.get(row.personId());
			return new SignIn(row.at(), row.personId(), person == null ? null : person.displayName(),
					person == null ? null : person.email(), row.signedInWith());
		}).toList();
	}

	private RegisteredApplication rotate(RegisteredClient client) {
		if (client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE)) {
			throw RequestRejectedException.invalid("clientAuthentication", "'" + client.getClientName()
					+ "' is a public client (PKCE, no secret): it has no secret to rotate");
		}
		String secret = SecretTokens.generate("rcs_");
		RegisteredClient rotated = RegisteredClient.from(client).clientSecret(this.digest.encode(secret)).build();
		this.clients.save(rotated);
		return view(rotated, secret);
	}

	/** The company's own application, else why not: another's or the platform's is not the company's to change. */
	private RegisteredClient own(UUID companyId, String id, String what) {
		RegisteredClient client = visible(companyId, id);
		if (owner(client) == null) {
			throw new RequestRejectedException(org.springframework.http.HttpStatus.FORBIDDEN, null, "'"
					+ client.getClientName() + "' is the platform's application, registered by the operator for every "
					+ "company: only the operator may " + what);
		}
		return client;
	}

	/** The platform's applications and the company's own; a test client or another company's is not found. */
	private RegisteredClient visible(UUID companyId, String id) {
		Assert.notNull(companyId, "companyId cannot be null");
		return find(id).filter(client -> !isConsoleTest(client))
			.filter(client -> owner(client) == null || owner(client).equals(companyId.toString()))
			.orElseThrow(() -> RequestRejectedException.notFound("Application " + id));
	}

	private java.util.Optional<RegisteredClient> find(String id) {
		if (id == null || id.isBlank() || id.length() > 100) {
			return java.util.Optional.empty();
		}
		return java.util.Optional.ofNullable(this.clients.findById(id));
	}

	/** The company that registered the client, as a string; null for the platform's. */
	static String owner(RegisteredClient client) {
		return client.getClientSettings().getSetting(COMPANY);
	}

	static boolean isConsoleTest(RegisteredClient client) {
		return Boolean.TRUE.equals(client.getClientSettings().getSetting(CONSOLE_TEST));
	}

	private static CompanyApplication companyView(RegisteredClient client) {
		RegisteredApplication view = view(client, null);
		return new CompanyApplication(view.id(), view.clientId(), view.name(), view.redirectUris(),
				view.postLogoutRedirectUris(), view.backChannelLogoutUri(), view.clientAuthentication(), view.scopes(),
				owner(client) == null, client.getClientIdIssuedAt());
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
			default -> throw RequestRejectedException.invalid("idTokenSigningAlgorithm",
					"'idTokenSigningAlgorithm' must be "
							+ "'RS256' (the default, which every OpenID Connect library verifies) or 'ES256', not '"
							+ given + "'");
		};
	}

	private static ClientAuthenticationMethod method(String given) {
		String method = given == null || given.isBlank() ? "client_secret_basic"
				: given.strip().toLowerCase(Locale.ROOT);
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
			throw RequestRejectedException.invalid("jwks",
					"'jwks' is over " + MAX_JWKS_LENGTH + " characters: give the "
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
		return "localhost".equals(host) || host.endsWith(".localhost") || host.startsWith("127.")
				|| "[::1]".equals(host);
	}

	private static String stored(String uri) {
		return uri.replace(CompanyClients.PLACEHOLDER, CompanyClients.STORED_PLACEHOLDER);
	}

	private static String shown(String uri) {
		return uri.replace(CompanyClients.STORED_PLACEHOLDER, CompanyClients.PLACEHOLDER);
	}

}
