package io.rollcall.entra;

import java.time.Duration;

import io.rollcall.connector.ProviderHttp;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** What every {@link GraphClient} shares: the connection pool, the cached tokens and Entra's retry settings. */
@Component
final class Graph {

	private final ProviderHttp http;

	Graph(@Value("${rollcall.entra.max-attempts:6}") int maxAttempts,
			@Value("${rollcall.entra.max-retry-wait:30s}") Duration maxWait) {
		this.http = new ProviderHttp(maxAttempts, maxWait);
	}

	GraphClient client(EntraConnection connection) {
		return new GraphClient(this.http, connection.cloud(), connection.tenantId(), connection.clientId(),
				connection.clientSecret());
	}

}
