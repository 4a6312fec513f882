package io.rollcall.entra;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.rollcall.platform.SecretTokens;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * What every {@link GraphClient} shares: one HTTP client (connection pool), the access tokens cached until shortly
 * before they expire, and the retry policy.
 */
@Component
final class Graph {

	private final HttpClient http;

	// Items are read one by one from a page's stream, with the rest of the page still to come.
	private final JsonMapper json = JsonMapper.builder()
		.disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private final Map<String, Token> tokens = new ConcurrentHashMap<>();

	private final int maxAttempts;

	private final Duration maxWait;

	Graph(@Value("${rollcall.entra.max-attempts:6}") int maxAttempts,
			@Value("${rollcall.entra.max-retry-wait:30s}") Duration maxWait) {
		this.http = HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(10))
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		this.maxAttempts = maxAttempts;
		this.maxWait = maxWait;
	}

	GraphClient client(EntraConnection connection) {
		return new GraphClient(this, connection.cloud(), connection.tenantId(), connection.clientId(),
				connection.clientSecret());
	}

	HttpClient http() {
		return this.http;
	}

	JsonMapper json() {
		return this.json;
	}

	int maxAttempts() {
		return this.maxAttempts;
	}

	Duration maxWait() {
		return this.maxWait;
	}

	record Token(String value, Instant renewAfter) {
	}

	/** The cache key names the credentials by a hash, so that a changed secret never gets the old token. */
	static String tokenKey(GraphCloud cloud, String tenantId, String clientId, String secret) {
		return cloud.authority() + "|" + tenantId + "|" + clientId + "|"
				+ HexFormat.of().formatHex(SecretTokens.hash(secret == null ? "" : secret));
	}

	Token cachedToken(String key) {
		Token token = this.tokens.get(key);
		return token != null && Instant.now().isBefore(token.renewAfter()) ? token : null;
	}

	void cacheToken(String key, Token token) {
		this.tokens.put(key, token);
	}

	void forgetToken(String key) {
		this.tokens.remove(key);
	}

}
