package io.rollcall.jsondirectory;

import java.time.Duration;

import io.rollcall.connector.ProviderHttp;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * What every {@link JsonDirectoryClient} shares: the connection pool and the retry settings; {@code max-retry-wait}
 * is the longest a client waits for what a {@code Retry-After} asks.
 */
@Component
final class JsonDirectoryHttp {

	private final ProviderHttp http;

	JsonDirectoryHttp(@Value("${rollcall.jsondirectory.max-attempts:6}") int maxAttempts,
			@Value("${rollcall.jsondirectory.max-retry-wait:30s}") Duration maxWait) {
		this.http = new ProviderHttp(maxAttempts, maxWait);
	}

	JsonDirectoryClient client(JsonDirectoryConnection connection) {
		return new JsonDirectoryClient(this.http, connection);
	}

}
