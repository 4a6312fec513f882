package io.rollcall.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A small OpenID Connect provider shaped like Microsoft Entra ID (tenant in the path, {@code tid}, {@code oid},
 * {@code preferred_username}, a discovery document with the {@code {tenantid}} issuer template), under the tests'
 * control so they can forge what a real provider never sends: bad signatures, {@code alg: none}, other issuers,
 * tenants or audiences, expired tokens, wrong nonces. Codes are single-use and bound to their PKCE challenge.
 */
public final class TestOidcProvider implements AutoCloseable {

	/** What the next ID token gets wrong, if anything. */
	public enum Forgery {
		NONE, BAD_SIGNATURE, ALG_NONE, WRONG_ISSUER, WRONG_TENANT, WRONG_AUDIENCE, EXPIRED, WRONG_NONCE
	}

	/** An authorization request as the provider received it. */
	public record AuthorizationRequest(Map<String, String> parameters) {

		public String get(String name) {
			return this.parameters.get(name);
		}

	}

	private record Grant(String clientId, String redirectUri, String nonce, String challenge,
			Map<String, Object> claims) {
	}

	private final HttpServer server;

	private final List<RSAKey> keys = new CopyOnWriteArrayList<>();

	private final Map<String, Grant> codes = new ConcurrentHashMap<>();

	private final List<AuthorizationRequest> authorizations = new CopyOnWriteArrayList<>();

	private final List<String> tokenErrors = new CopyOnWriteArrayList<>();

	private volatile Map<String, Object> nextUser = Map.of();

	private volatile Forgery forgery = Forgery.NONE;

	public TestOidcProvider() throws Exception {
		this.keys.add(new RSAKeyGenerator(2048).keyID("key-1").generate());
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	/** The authority to configure in Rollcall (like {@code https://login.microsoftonline.com}). */
	public String authority() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	public String issuer(String tenantId) {
		return authority() + "/" + tenantId + "/v2.0";
	}

	/** The person who "signs in" at the next authorization: claims such as oid, preferred_username, name. */
	public void signInAs(Map<String, Object> claims) {
		this.nextUser = Map.copyOf(claims);
	}

	public void forge(Forgery forgery) {
		this.forgery = forgery;
	}

	/** Publishes a new signing key and signs with it from now on; the old one leaves the key set. */
	public void rotateKey() throws Exception {
		RSAKey next = new RSAKeyGenerator(2048).keyID("key-" + (this.keys.size() + 1)).generate();
		this.keys.add(0, next);
		this.keys.subList(1, this.keys.size()).clear();
	}

	public List<AuthorizationRequest> authorizations() {
		return List.copyOf(this.authorizations);
	}

	/** Why token requests were refused (e.g. a replayed code), in order. */
	public List<String> tokenErrors() {
		return List.copyOf(this.tokenErrors);
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String path = exchange.getRequestURI().getPath();
			String[] parts = path.split("/");
			// /{tenant}/v2.0/.well-known/openid-configuration, /{tenant}/discovery/v2.0/keys,
			// /{tenant}/oauth2/v2.0/authorize|token|logout
			String tenant = parts.length > 1 ? parts[1] : "";
			if (path.endsWith("/v2.0/.well-known/openid-configuration")) {
				String base = authority() + "/" + tenant;
				Map<String, Object> document = new LinkedHashMap<>();
				// Entra's documents name the issuer with a template the relying party fills with the token's tid.
				document.put("issuer", authority() + "/{tenantid}/v2.0");
				document.put("authorization_endpoint", base + "/oauth2/v2.0/authorize");
				document.put("token_endpoint", base + "/oauth2/v2.0/token");
				document.put("jwks_uri", base + "/discovery/v2.0/keys");
				document.put("end_session_endpoint", base + "/oauth2/v2.0/logout");
				document.put("response_types_supported", List.of("code"));
				document.put("subject_types_supported", List.of("pairwise"));
				document.put("id_token_signing_alg_values_supported", List.of("RS256"));
				json(exchange, 200, com.nimbusds.jose.util.JSONObjectUtils.toJSONString(document));
			}
			else if (path.endsWith("/discovery/v2.0/keys")) {
				json(exchange, 200, new JWKSet(new ArrayList<>(this.keys)).toPublicJWKSet().toString());
			}
			else if (path.endsWith("/oauth2/v2.0/authorize")) {
				authorize(exchange, tenant);
			}
			else if (path.endsWith("/oauth2/v2.0/token")) {
				token(exchange, tenant);
			}
			else {
				json(exchange, 404, "{\"error\":\"not_found\"}");
			}
		}
		catch (Exception ex) {
			json(exchange, 500, "{\"error\":\"" + ex.getClass().getSimpleName() + "\"}");
		}
	}

	private void authorize(HttpExchange exchange, String tenant) throws IOException {
		Map<String, String> query = parse(exchange.getRequestURI().getRawQuery());
		this.authorizations.add(new AuthorizationRequest(query));
		String code = UUID.randomUUID().toString();
		Map<String, Object> claims = new HashMap<>(this.nextUser);
		claims.putIfAbsent("tid", tenant);
		this.codes.put(code, new Grant(query.get("client_id"), query.get("redirect_uri"), query.get("nonce"),
				query.get("code_challenge"), claims));
		String location = query.get("redirect_uri") + "?code=" + enc(code) + "&state=" + enc(query.get("state"));
		exchange.getResponseHeaders().add("Location", location);
		exchange.sendResponseHeaders(302, -1);
	}

	private void token(HttpExchange exchange, String tenant) throws Exception {
		Map<String, String> form = parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
		Grant grant = this.codes.remove(String.valueOf(form.get("code")));
		if (grant == null) {
			this.tokenErrors.add("invalid_grant: unknown or used code");
			json(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"code unknown or already used\"}");
			return;
		}
		String verifier = form.get("code_verifier");
		if (grant.challenge() == null || verifier == null || !grant.challenge().equals(s256(verifier))) {
			this.tokenErrors.add("invalid_grant: PKCE");
			json(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"PKCE verification failed\"}");
			return;
		}
		Forgery forgery = this.forgery;
		String tid = forgery == Forgery.WRONG_TENANT ? UUID.randomUUID().toString()
				: String.valueOf(grant.claims().get("tid"));
		Instant now = Instant.now();
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
			// WRONG_TENANT keeps the company's issuer: only the tid claim names another tenant.
			.issuer(forgery == Forgery.WRONG_ISSUER ? authority() + "/other/v2.0"
					: issuer(String.valueOf(grant.claims().get("tid"))))
			.audience(forgery == Forgery.WRONG_AUDIENCE ? "someone-else" : grant.clientId())
			.issueTime(Date.from(forgery == Forgery.EXPIRED ? now.minusSeconds(7200) : now))
			.expirationTime(Date.from(forgery == Forgery.EXPIRED ? now.minusSeconds(3600) : now.plusSeconds(3600)))
			.claim("nonce", forgery == Forgery.WRONG_NONCE ? "not-the-nonce" : grant.nonce());
		grant.claims().forEach(claims::claim);
		claims.claim("tid", tid);
		claims.subject(String.valueOf(grant.claims().getOrDefault("sub", "pairwise-" + grant.claims().get("oid"))));
		String idToken;
		if (forgery == Forgery.ALG_NONE) {
			idToken = new PlainJWT(claims.build()).serialize();
		}
		else {
			RSAKey key = forgery == Forgery.BAD_SIGNATURE
					? new RSAKeyGenerator(2048).keyID(this.keys.get(0).getKeyID()).generate() : this.keys.get(0);
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
				.type(JOSEObjectType.JWT)
				.build(), claims.build());
			jwt.sign(new RSASSASigner(key));
			idToken = jwt.serialize();
		}
		json(exchange, 200,
				"{\"access_token\":\"at-" + UUID.randomUUID() + "\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
						+ "\"scope\":\"openid profile email\",\"id_token\":\"" + idToken + "\"}");
	}

	private static String s256(String verifier) throws Exception {
		byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
		return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
	}

	private static void json(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private static Map<String, String> parse(String raw) {
		Map<String, String> values = new LinkedHashMap<>();
		if (raw == null || raw.isEmpty()) {
			return values;
		}
		for (String pair : raw.split("&")) {
			int eq = pair.indexOf('=');
			String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
			values.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
		}
		return values;
	}

	private static String enc(String value) {
		return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
	}

}
