package io.rollcall.sso;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Reads a provider's OpenID Connect discovery document and checks that it describes the issuer the company set up.
 * Entra's multi-tenant documents name the issuer {@code .../{tenantid}/v2.0}: the template is filled with the
 * company's own tenant, so only that tenant's tokens can ever pass the issuer check.
 */
@Component
final class ProviderDiscovery {

	private final RestClient http;

	ProviderDiscovery() {
		var factory = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.followRedirects(HttpClient.Redirect.NEVER)
			.build());
		factory.setReadTimeout(Duration.ofSeconds(10));
		this.http = RestClient.builder().requestFactory(factory).build();
	}

	/** What Rollcall needs from the discovery document. */
	record ProviderMetadata(String issuer, String authorizationEndpoint, String tokenEndpoint, String jwksUri,
			String endSessionEndpoint) {
	}

	static final class DiscoveryException extends RuntimeException {

		DiscoveryException(String message) {
			super(message);
		}

	}

	ProviderMetadata discover(SsoSettings settings) {
		String issuer = settings.issuer();
		String location = issuer + "/.well-known/openid-configuration";
		JsonNode document;
		try {
			document = this.http.get().uri(location).retrieve().body(JsonNode.class);
		}
		catch (RestClientException ex) {
			throw new DiscoveryException("The provider's discovery document at " + location + " could not be read: "
					+ ex.getMessage());
		}
		if (document == null || !document.isObject()) {
			throw new DiscoveryException("The provider's discovery document at " + location + " is not JSON");
		}
		String announced = text(document, "issuer", location);
		if (settings.provider() == SsoProvider.ENTRA) {
			announced = announced.replace("{tenantid}", settings.tenantId());
		}
		if (!announced.equals(issuer)) {
			throw new DiscoveryException("The provider at " + location + " names its issuer " + announced
					+ ", not " + issuer + ": check the "
					+ (settings.provider() == SsoProvider.ENTRA ? "tenant id and authority" : "authority"));
		}
		JsonNode end = document.get("end_session_endpoint");
		return new ProviderMetadata(issuer, text(document, "authorization_endpoint", location),
				text(document, "token_endpoint", location), text(document, "jwks_uri", location),
				end == null || !end.isString() ? null : end.asString());
	}

	private static String text(JsonNode document, String name, String location) {
		JsonNode value = document.get(name);
		if (value == null || !value.isString() || value.asString().isBlank()) {
			throw new DiscoveryException("The provider's discovery document at " + location + " has no '" + name + "'");
		}
		return value.asString();
	}

	static Map<String, Object> asMetadata(ProviderMetadata metadata) {
		return metadata.endSessionEndpoint() == null ? Map.of()
				: Map.of("end_session_endpoint", metadata.endSessionEndpoint());
	}

}
