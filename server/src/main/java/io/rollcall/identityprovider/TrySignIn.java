package io.rollcall.identityprovider;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.rollcall.company.Company;
import io.rollcall.company.CompanyHosts;
import tools.jackson.databind.json.JsonMapper;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.util.Assert;

/**
 * The console's "Try it": a real sign-in at the company's issuer, as an application makes it (authorization code with
 * PKCE, state and nonce), whose ID token's claims the console shows once its signature checked out against the
 * company's JWKS. The console cannot receive codes at an application's own redirect URI, so the flow runs through the
 * company's built-in test client, as WorkOS' "test sign-in" does: a public client (PKCE, no secret) of that company
 * alone ({@link Applications#COMPANY}, unknown elsewhere), whose one redirect URI is the console's callback page on
 * the company's address; never listed among the applications. The code is exchanged by Rollcall itself over HTTP, at
 * the company's token endpoint on this node (loopback, the company's public address in the Host and forwarded
 * headers so the issuer is the one people see), and the tokens it gets are revoked right after.
 */
@Service
public class TrySignIn implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(TrySignIn.class);

	/** The console page the test client's codes come back to, on the company's address. */
	public static final String CALLBACK = "/console/applications/try/callback";

	private static final String SCOPES = "openid profile email " + Applications.ROLLCALL_SCOPE;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final SecureRandom RANDOM = new SecureRandom();

	private final Applications applications;

	private final IdentityProviderStores stores;

	private final CompanyHosts hosts;

	private final JdbcClient jdbc;

	private final CloseableHttpClient http = HttpClients.custom()
		.setDefaultRequestConfig(RequestConfig.custom()
			.setConnectionRequestTimeout(Timeout.ofSeconds(5))
			.setResponseTimeout(Timeout.ofSeconds(20))
			.setRedirectsEnabled(false)
			.build())
		.disableCookieManagement()
		.build();

	/** The port this node's web server listens on, for the loopback requests; known once it started. */
	private volatile int port = -1;

	TrySignIn(Applications applications, IdentityProviderStores stores, CompanyHosts hosts, JdbcClient jdbc) {
		Assert.notNull(applications, "applications cannot be null");
		Assert.notNull(hosts, "hosts cannot be null");
		this.applications = applications;
		this.stores = stores;
		this.hosts = hosts;
		this.jdbc = jdbc;
	}

	/**
	 * A flow under way, kept in the admin's session between the start and the callback: what the callback checks
	 * (state, nonce) and proves (the PKCE verifier). Holds no token.
	 */
	public record Pending(String applicationId, String clientId, String redirectUri, String state, String nonce,
			String verifier, String authorizeUri) implements Serializable {
	}

	/**
	 * What a try showed.
	 *
	 * @param verified the ID token's signature, issuer, audience, expiry and nonce checked out
	 * @param message what happened, in a sentence
	 * @param claims the ID token's claims, {@code sub}, {@code iss}, {@code aud} first; nested ones as JSON
	 */
	public record Result(String applicationId, boolean verified, String message,
			Map<String, String> claims) implements Serializable {
	}

	/**
	 * Starts a try for one of the applications the company sees (its own or the platform's): the authorize request
	 * the admin's browser is sent to, on the company's address, made once the company's test client is in place.
	 */
	@Transactional
	public Pending start(Company company, String applicationId) {
		Assert.notNull(company, "company cannot be null");
		this.applications.get(company.id(), applicationId);
		String redirectUri = this.hosts.baseUrl(company) + CALLBACK;
		RegisteredClient client = testClient(company, redirectUri);
		String state = random(24);
		String nonce = random(24);
		String verifier = random(48);
		Map<String, String> query = new LinkedHashMap<>();
		query.put("response_type", "code");
		query.put("client_id", client.getClientId());
		query.put("redirect_uri", redirectUri);
		query.put("scope", SCOPES);
		query.put("state", state);
		query.put("nonce", nonce);
		query.put("code_challenge", challenge(verifier));
		query.put("code_challenge_method", "S256");
		return new Pending(applicationId, client.getClientId(), redirectUri, state, nonce, verifier,
				"/oauth2/authorize?" + form(query));
	}

	/**
	 * The callback's part: checks the state, exchanges the code at the company's token endpoint, verifies the ID
	 * token against the company's JWKS, revokes what the exchange issued, and returns the claims (or why not).
	 */
	public Result finish(Company company, Pending pending, Map<String, String> callback) {
		Assert.notNull(company, "company cannot be null");
		Assert.notNull(pending, "pending cannot be null");
		String application = pending.applicationId();
		if (callback.get("error") != null) {
			return new Result(application, false, "The authorization server refused: " + callback.get("error")
					+ (callback.get("error_description") == null ? "" : " (" + callback.get("error_description") + ")"),
					Map.of());
		}
		if (!pending.state().equals(callback.get("state")) || callback.get("code") == null) {
			return new Result(application, false, "The answer did not match the sign-in this page started (state): "
					+ "press Try it again.", Map.of());
		}
		String issuer = this.hosts.baseUrl(company);
		try {
			Map<String, String> fields = new LinkedHashMap<>();
			fields.put("grant_type", "authorization_code");
			fields.put("code", callback.get("code"));
			fields.put("redirect_uri", pending.redirectUri());
			fields.put("client_id", pending.clientId());
			fields.put("code_verifier", pending.verifier());
			HttpPost token = new HttpPost(local("/oauth2/token"));
			token.setEntity(new StringEntity(form(fields), ContentType.APPLICATION_FORM_URLENCODED));
			Answer tokens = send(token, issuer);
			if (tokens.status() != 200) {
				return new Result(application, false, "The token endpoint answered " + tokens.status() + ": "
						+ tokens.body(), Map.of());
			}
			Map<String, Object> body = JSONObjectUtils.parse(tokens.body());
			String idToken = JSONObjectUtils.getString(body, "id_token");
			revoke(JSONObjectUtils.getString(body, "access_token"));
			if (idToken == null) {
				return new Result(application, false, "The token endpoint sent no ID token.", Map.of());
			}
			Answer jwks = send(new HttpGet(local("/oauth2/jwks")), issuer);
			if (jwks.status() != 200) {
				return new Result(application, false, "The JWKS endpoint answered " + jwks.status() + ".", Map.of());
			}
			DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
			processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
					new ImmutableJWKSet<>(JWKSet.parse(jwks.body()))));
			processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(pending.clientId(),
					new JWTClaimsSet.Builder().issuer(issuer).claim("nonce", pending.nonce()).build(),
					Set.of("sub", "iat", "exp")));
			JWTClaimsSet claims = processor.process(idToken, null);
			return new Result(application, true, "Signed in: the ID token's signature checked out against " + issuer
					+ "/oauth2/jwks, and so did its issuer, audience, expiry and nonce.", shown(claims));
		}
		catch (Exception ex) {
			log.info("Try it at {} failed: {}", company.slug(), ex.toString());
			return new Result(application, false, "The ID token did not check out: " + ex.getMessage(), Map.of());
		}
	}

	@EventListener
	void webServerStarted(WebServerInitializedEvent event) {
		this.port = event.getWebServer().getPort();
	}

	@Override
	public void destroy() throws IOException {
		this.http.close();
	}

	/** The company's test client, made the first time, its redirect URI kept to the company's current address. */
	private RegisteredClient testClient(Company company, String redirectUri) {
		// One at a time per company, so that two admins trying at once do not make two.
		this.jdbc.sql("select pg_advisory_xact_lock(hashtext(:key))")
			.param("key", "try-sign-in:" + company.id())
			.query((rs, n) -> true)
			.list();
		List<String> ids = this.jdbc.sql("select id from oauth2_registered_client where " + Applications.COMPANY_SQL
				+ " = :company and " + Applications.CONSOLE_TEST_SQL + " = 'true' order by client_id_issued_at, id")
			.param("company", company.id().toString())
			.query(String.class)
			.list();
		RegisteredClient existing = ids.isEmpty() ? null : this.stores.registeredClients().findById(ids.getFirst());
		if (existing != null) {
			if (!existing.getRedirectUris().equals(Set.of(redirectUri))) {
				existing = RegisteredClient.from(existing)
					.redirectUris(uris -> {
						uris.clear();
						uris.add(redirectUri);
					})
					.build();
				this.stores.registeredClients().save(existing);
			}
			return existing;
		}
		RegisteredClient client = RegisteredClient.withId(UUID.randomUUID().toString())
			.clientId("rollcall_try_" + UUID.randomUUID().toString().replace("-", ""))
			.clientName("Rollcall console: Try it")
			.clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri(redirectUri)
			.scope(OidcScopes.OPENID)
			.scope(OidcScopes.PROFILE)
			.scope(OidcScopes.EMAIL)
			.scope(Applications.ROLLCALL_SCOPE)
			.clientSettings(ClientSettings.builder()
				.requireAuthorizationConsent(false)
				.requireProofKey(true)
				.setting(Applications.COMPANY, company.id().toString())
				.setting(Applications.CONSOLE_TEST, true)
				.build())
			.tokenSettings(TokenSettings.builder()
				.accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
				.accessTokenTimeToLive(java.time.Duration.ofMinutes(1))
				.build())
			.build();
		this.stores.registeredClients().save(client);
		return client;
	}

	/** The tokens the exchange issued are of no further use: the authorization goes (on this company's host). */
	private void revoke(String accessToken) {
		if (accessToken == null) {
			return;
		}
		OAuth2Authorization authorization = this.stores.companyAuthorizations()
			.findByToken(accessToken, OAuth2TokenType.ACCESS_TOKEN);
		if (authorization != null) {
			this.stores.companyAuthorizations().remove(authorization);
		}
	}

	private record Answer(int status, String body) {
	}

	/**
	 * To this node's web server, as a request to the company's public address: its Host names the company (and so
	 * the issuer's host), the forwarded headers its public scheme and port (Rollcall behind a TLS proxy).
	 */
	private Answer send(HttpUriRequestBase request, String issuer) throws IOException {
		URI address = URI.create(issuer);
		request.setHeader("Host", address.getRawAuthority());
		request.setHeader("X-Forwarded-Host", address.getRawAuthority());
		request.setHeader("X-Forwarded-Proto", address.getScheme());
		request.setHeader("X-Forwarded-Port", String.valueOf(address.getPort() != -1 ? address.getPort()
				: "https".equals(address.getScheme()) ? 443 : 80));
		request.setHeader("Accept", "application/json");
		return this.http.execute(request, response -> new Answer(response.getCode(),
				response.getEntity() == null ? ""
						: EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8)));
	}

	private URI local(String path) {
		if (this.port <= 0) {
			throw new IllegalStateException("The web server has not started");
		}
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	/** {@code sub}, {@code iss}, {@code aud} first, then the rest by name; times as ISO instants, nested as JSON. */
	private static Map<String, String> shown(JWTClaimsSet claims) {
		Map<String, String> shown = new LinkedHashMap<>();
		Map<String, Object> all = new TreeMap<>(claims.getClaims());
		for (String first : List.of("sub", "iss", "aud")) {
			if (all.containsKey(first)) {
				shown.put(first, value(all.remove(first)));
			}
		}
		all.forEach((name, value) -> shown.put(name, value(value)));
		return shown;
	}

	private static String value(Object value) {
		if (value instanceof String string) {
			return string;
		}
		if (value instanceof Date date) {
			return Instant.ofEpochMilli(date.getTime()).toString();
		}
		if (value instanceof List<?> list && list.size() == 1 && list.getFirst() instanceof String only) {
			return only;
		}
		return JSON.writeValueAsString(value);
	}

	private static String form(Map<String, String> fields) {
		return fields.entrySet()
			.stream()
			.map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

	private static String challenge(String verifier) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String random(int bytes) {
		byte[] value = new byte[bytes];
		RANDOM.nextBytes(value);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
	}

}
