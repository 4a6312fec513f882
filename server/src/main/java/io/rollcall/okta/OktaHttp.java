package io.rollcall.okta;

import java.time.Duration;

import io.rollcall.connector.ProviderHttp;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * What every {@link OktaClient} shares: the connection pool, the service apps' cached tokens and Okta's retry
 * settings; {@code max-retry-wait} is the longest a client waits for a rate-limit window to reset.
 */
@Component
final class OktaHttp {

	private final ProviderHttp http;

	OktaHttp(@Value("${rollcall.okta.max-attempts:6}") int maxAttempts,
			@Value("${rollcall.okta.max-retry-wait:70s}") Duration maxWait) {
		this.http = new ProviderHttp(maxAttempts, maxWait);
	}

	OktaClient client(OktaConnection connection) {
		return new OktaClient(this.http, connection);
	}

}
