package io.rollcall.entra;

import java.net.http.HttpResponse;
import java.time.Duration;

import io.rollcall.connector.ProviderException;
import io.rollcall.connector.ProviderHttp;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * What every {@link GraphClient} shares: the connection pool, the cached tokens and the retry settings, and how Graph
 * words its errors and says how long to wait.
 */
@Component
final class Graph implements ProviderHttp.Rules {

	private final ProviderHttp http;

	Graph(@Value("${rollcall.entra.max-attempts:6}") int maxAttempts,
			@Value("${rollcall.entra.max-retry-wait:30s}") Duration maxWait) {
		this.http = new ProviderHttp(maxAttempts, maxWait);
	}

	GraphClient client(EntraConnection connection) {
		return new GraphClient(this, this.http, connection.cloud(), connection.tenantId(), connection.clientId(),
				connection.clientSecret());
	}

	@Override
	public String name() {
		return "Graph";
	}

	@Override
	public String errorCode(JsonNode body) {
		return body.path("error").path("code").asString(null);
	}

	/** 429 and 503 wait as long as {@code Retry-After} says; anything else backs off. */
	@Override
	public Duration retryWait(HttpResponse<?> response) {
		int status = response.statusCode();
		if (status != 429 && status != 503) {
			return null;
		}
		return response.headers().firstValue("Retry-After").map(value -> {
			try {
				return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}).orElse(null);
	}

	@Override
	public ProviderException error(String what, int status, JsonNode body) {
		String code = errorCode(body);
		String message = body.path("error").path("message").asString(null);
		String answer = code == null || code.isBlank() ? "HTTP " + status : code + " (HTTP " + status + ")";
		String said = message == null || message.isBlank() ? "" : ": " + message.strip().replaceAll("\\.$", "");
		String hint = switch (status) {
			case 401 -> "; check the app registration's client secret and the tenant";
			case 403 -> "; the app registration lacks a permission, or admin consent was not given";
			default -> "";
		};
		return new ProviderException(status, code, "Graph answered " + answer + " for " + what + said + hint);
	}

	@Override
	public ProviderException tokenRefused(int status, JsonNode body) {
		String description = body.path("error_description").asString("");
		String code = body.path("error").asString(null);
		return new ProviderException(status, code, "Graph refused the token: "
				+ (description.isBlank() ? (code == null ? "HTTP " + status : code) : firstSentence(description)));
	}

	/** "AADSTS7000215: Invalid client secret provided. Ensure ... Trace ID: ..." → its first sentence. */
	private static String firstSentence(String description) {
		String text = description.strip();
		int traceAt = text.indexOf("Trace ID");
		if (traceAt > 0) {
			text = text.substring(0, traceAt).strip();
		}
		int end = text.indexOf(". ");
		return end > 0 ? text.substring(0, end + 1) : text;
	}

}
