package io.rollcall.jsondirectory;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

import io.rollcall.connector.ProviderException;
import io.rollcall.connector.ProviderHttp;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * A client of one JSON directory's people endpoint: {@code GET {url}?limit=N} with the bearer token, each page's
 * {@code people} streamed item by item, its {@code next} link followed until there is none. The link is followed
 * only on the endpoint's own scheme, host and port (the token goes nowhere else) and never twice (a directory whose
 * links loop fails the run rather than running forever). 429 and 5xx are retried, waiting as {@code Retry-After}
 * says (seconds) or with exponential backoff.
 */
final class JsonDirectoryClient {

	/** The field of a page that holds its people. */
	static final String PEOPLE = "people";

	/** The field of a page that links to the next one. */
	static final String NEXT = "next";

	private static final ContractRules RULES = new ContractRules();

	private final ProviderHttp http;

	private final JsonDirectoryConnection connection;

	JsonDirectoryClient(ProviderHttp http, JsonDirectoryConnection connection) {
		this.http = http;
		this.connection = connection;
	}

	/** Calls {@code each} for every person of every page, {@code pageSize} asked for a page. */
	void forEachPerson(int pageSize, Consumer<JsonNode> each) {
		URI first = URI.create(this.connection.peopleUrl());
		String url = this.connection.peopleUrl() + (first.getRawQuery() == null ? "?" : "&") + "limit=" + pageSize;
		Set<String> visited = new HashSet<>();
		while (url != null) {
			if (!visited.add(url)) {
				throw new ProviderException(0, null, RULES.name() + " linked back to a page it already sent ("
						+ ProviderHttp.path(url) + "); its next links must end");
			}
			HttpResponse<byte[]> page = call(url);
			String[] next = new String[1];
			this.http.readPage(RULES, page, PEOPLE, each, (name, parser) -> {
				if (NEXT.equals(name) && parser.currentToken() == JsonToken.VALUE_STRING) {
					next[0] = parser.getString();
				}
				else {
					parser.skipChildren();
				}
			});
			url = next[0] == null || next[0].isBlank() ? null : follow(first, page.uri(), next[0].strip());
		}
	}

	/** The next page's URL, resolved against the page that named it; only on the endpoint's own origin. */
	static String follow(URI endpoint, URI page, String next) {
		URI target;
		try {
			// RFC 3986 keeps the page's path for a bare "?query"; java.net.URI (RFC 2396) would drop its last segment.
			target = next.startsWith("?")
					? URI.create(page.getScheme() + "://" + page.getRawAuthority() + page.getRawPath() + next)
					: page.resolve(next);
		}
		catch (IllegalArgumentException ex) {
			throw new ProviderException(0, null, RULES.name() + " sent a next link that is not a URL: " + next);
		}
		if (!endpoint.getScheme().equalsIgnoreCase(String.valueOf(target.getScheme()))
				|| !endpoint.getHost().equalsIgnoreCase(String.valueOf(target.getHost()))
				|| endpoint.getPort() != target.getPort()) {
			throw new ProviderException(0, null, RULES.name() + " sent a next link to another server ("
					+ target.getScheme() + "://" + target.getHost() + "), which Rollcall does not send its token to");
		}
		return target.toString();
	}

	private HttpResponse<byte[]> call(String url) {
		if (this.connection.token() == null || this.connection.token().isBlank()) {
			throw new ProviderException(0, "no_token",
					"No bearer token is set; enter one in the JSON directory settings");
		}
		return this.http.call(RULES, ProviderHttp.Authorization.fixed("Bearer " + this.connection.token()),
				header -> ProviderHttp.request(url).header("Authorization", header).GET().build(),
				"GET " + ProviderHttp.path(url));
	}

	/**
	 * How a JSON directory words its errors ({@code {"error": "code", "message": "..."}}, by the contract; any other
	 * body is read as no code) and paces its clients ({@code Retry-After} in seconds).
	 */
	private static final class ContractRules implements ProviderHttp.Rules {

		@Override
		public String name() {
			return "The JSON directory";
		}

		@Override
		public String errorCode(JsonNode body) {
			String code = body.path("error").asString(null);
			return code == null || code.isBlank() ? null : code;
		}

		@Override
		public Duration retryWait(HttpResponse<?> response) {
			return response.headers().firstValue("Retry-After").map(value -> {
				try {
					return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())))
						.plusMillis(ProviderHttp.jitter(250));
				}
				catch (NumberFormatException ex) {
					return null; // an HTTP date, which the contract does not use: the backoff instead
				}
			}).orElse(null);
		}

		/**
		 * The answer as a message naming its code and what to check, e.g. "The JSON directory answered 401
		 * invalid_token (The token has expired) for GET /people; check the bearer token in the JSON directory settings".
		 */
		@Override
		public ProviderException error(String what, int status, JsonNode body) {
			String code = errorCode(body);
			String message = body.path("message").asString(null);
			String answer = status + (code == null ? "" : " " + code)
					+ (message == null || message.isBlank() ? "" : " (" + message + ")");
			return new ProviderException(status, code, message, name() + " answered " + answer + " for " + what
					+ hint(status));
		}

		@Override
		public ProviderException tokenRefused(int status, JsonNode body) {
			// The contract has no token endpoint: the bearer token is given as it is.
			throw new UnsupportedOperationException("A JSON directory has no token endpoint");
		}

		private static String hint(int status) {
			return switch (status) {
				case 401 -> "; check the bearer token in the JSON directory settings";
				case 403 -> "; the token may not list people: ask the directory's owner for one that may";
				case 404, 405 -> "; check the people endpoint's URL in the JSON directory settings";
				default -> "";
			};
		}

	}

}
