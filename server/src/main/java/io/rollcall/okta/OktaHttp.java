package io.rollcall.okta;

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
 * What every {@link OktaClient} shares: one HTTP client (connection pool), the service app's access tokens cached
 * until shortly before they expire, and the retry policy.
 */
@Component
final class OktaHttp {

	private final HttpClient http;

	// Items are read one by one from a page's stream, with the rest of the page still to come.
	private final JsonMapper json = JsonMapper.builder()
		.disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private final Map<String, Token> tokens = new ConcurrentHashMap<>();

	private final int maxAttempts;

	private final Duration maxWait;

	OktaHttp(@Value("${rollcall.okta.max-attempts:6}") int maxAttempts,
			@Value("${rollcall.okta.max-retry-wait:70s}") Duration maxWait) {
		this.http = HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(10))
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		this.maxAttempts = maxAttempts;
		this.maxWait = maxWait;
	}

	OktaClient client(OktaConnection connection) {
		return new OktaClient(this, connection);
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

	/** The longest a client waits for a rate-limit window to reset before it tries again. */
	Duration maxWait() {
		return this.maxWait;
	}

	record Token(String value, Instant renewAfter) {
	}

	/** The cache key names the credentials by a hash, so that a changed secret never gets the old token. */
	static String tokenKey(String orgUrl, String clientId, String secret) {
		return orgUrl + "|" + clientId + "|" + HexFormat.of().formatHex(SecretTokens.hash(secret == null ? "" : secret));
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
