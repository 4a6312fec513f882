package io.rollcall.entra;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * A thin client of Microsoft Graph v1.0 for one tenant and app registration: client-credentials tokens, pages read
 * one at a time and parsed as a stream (memory holds one page, whatever the group's size), {@code @odata.nextLink}
 * followed exactly as returned, and one retry policy: 429 and 503 wait as long as {@code Retry-After} says, other
 * 5xx answers and dropped connections are retried a few times with exponential backoff and jitter, then the call
 * fails with a message an admin understands.
 */
final class GraphClient {

	/** Graph's largest page for directory objects. */
	static final int PAGE_SIZE = 999;

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private final Graph graph;

	private final GraphCloud cloud;

	private final String tenantId;

	private final String clientId;

	private final String clientSecret;

	private final String tokenKey;

	GraphClient(Graph graph, GraphCloud cloud, String tenantId, String clientId, String clientSecret) {
		this.graph = graph;
		this.cloud = cloud;
		this.tenantId = tenantId;
		this.clientId = clientId;
		this.clientSecret = clientSecret;
		this.tokenKey = Graph.tokenKey(cloud, tenantId, clientId, clientSecret);
	}

	GraphCloud cloud() {
		return this.cloud;
	}

	/** A page's items and its continuation: the next page's link or, for delta queries, the delta link. */
	record Page(List<JsonNode> items, String nextLink, String deltaLink) {
	}

	/**
	 * Reads every page from {@code pathOrUrl} on, handing each page's items to {@code handler}.
	 *
	 * @return the {@code @odata.deltaLink} of the last page, or null when there is none
	 */
	String forEachPage(String pathOrUrl, boolean eventual, Consumer<List<JsonNode>> handler) {
		String url = url(pathOrUrl);
		while (true) {
			Page page = page(url, eventual);
			handler.accept(page.items());
			if (page.nextLink() == null) {
				return page.deltaLink();
			}
			url = page.nextLink();
		}
	}

	Page page(String url, boolean eventual) {
		HttpResponse<byte[]> response = call("GET", url, null, eventual, true);
		List<JsonNode> items = new ArrayList<>();
		String next = null;
		String delta = null;
		try (JsonParser parser = this.graph.json().createParser(response.body())) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw new GraphException(response.statusCode(), null, "Graph sent a page that is not a JSON object (" + path(url) + ")");
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				if ("value".equals(name) && value == JsonToken.START_ARRAY) {
					while (parser.nextToken() == JsonToken.START_OBJECT) {
						items.add(this.graph.json().readTree(parser));
					}
				}
				else if ("@odata.nextLink".equals(name)) {
					next = parser.getString();
				}
				else if ("@odata.deltaLink".equals(name)) {
					delta = parser.getString();
				}
				else {
					parser.skipChildren();
				}
			}
		}
		catch (JacksonException ex) {
			throw new GraphException(response.statusCode(), null, "Graph sent a page that is not valid JSON (" + path(url)
					+ "): " + ex.getOriginalMessage());
		}
		return new Page(items, next, delta);
	}

	JsonNode get(String pathOrUrl) {
		return json(call("GET", url(pathOrUrl), null, false, true));
	}

	/**
	 * The directory object, or empty when Graph says it does not exist (404 {@code Request_ResourceNotFound}). Every
	 * other error, a 404 with another code or none included, throws: it says nothing about the object.
	 */
	Optional<JsonNode> find(String pathOrUrl) {
		try {
			return Optional.of(get(pathOrUrl));
		}
		catch (GraphException ex) {
			if (ex.resourceNotFound()) {
				return Optional.empty();
			}
			throw ex;
		}
	}

	/** A photo's metadata, or empty on any 404 (no photo, no mailbox): for a photo that means no photo, nothing more. */
	Optional<JsonNode> findPhoto(String pathOrUrl) {
		try {
			return Optional.of(get(pathOrUrl));
		}
		catch (GraphException ex) {
			if (ex.notFound()) {
				return Optional.empty();
			}
			throw ex;
		}
	}

	/** Binary content such as a photo, or empty on any 404 (only for what may be absent without meaning more). */
	Optional<Binary> binary(String pathOrUrl) {
		try {
			HttpResponse<byte[]> response = call("GET", url(pathOrUrl), null, false, true);
			return Optional.of(new Binary(response.body(),
					response.headers().firstValue("Content-Type").orElse("application/octet-stream"),
					response.headers().firstValue("ETag").orElse(null)));
		}
		catch (GraphException ex) {
			if (ex.notFound()) {
				return Optional.empty();
			}
			throw ex;
		}
	}

	/** @param etag the photo's etag when Graph sends one, so a first download needs no metadata call */
	record Binary(byte[] content, String contentType, String etag) {
	}

	JsonNode post(String path, Object body) {
		return json(call("POST", url(path), body, false, false));
	}

	JsonNode patch(String path, Object body) {
		return json(call("PATCH", url(path), body, false, false));
	}

	void delete(String path) {
		call("DELETE", url(path), null, false, false);
	}

	/** A token for Graph, from the cache while it has more than five minutes left. */
	String token() {
		Graph.Token cached = this.graph.cachedToken(this.tokenKey);
		if (cached != null) {
			return cached.value();
		}
		if (this.clientSecret == null || this.clientSecret.isBlank()) {
			throw new GraphException(0, "no_secret", "No client secret is set for the app registration; enter it in the Entra ID settings");
		}
		String form = "client_id=" + enc(this.clientId) + "&client_secret=" + enc(this.clientSecret) + "&scope="
				+ enc(this.cloud.scope()) + "&grant_type=client_credentials";
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.cloud.tokenUrl(this.tenantId)))
			.timeout(TIMEOUT)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build();
		HttpResponse<byte[]> response = withRetries(() -> request, "the token endpoint");
		JsonNode body = readJson(response.body());
		if (response.statusCode() != 200 || !body.path("access_token").isString()) {
			String description = body.path("error_description").asString("");
			String code = body.path("error").asString(null);
			throw new GraphException(response.statusCode(), code, "Graph refused the token: "
					+ (description.isBlank() ? (code == null ? "HTTP " + response.statusCode() : code) : firstSentence(description)));
		}
		long expiresIn = body.path("expires_in").asLong(3599);
		String token = body.path("access_token").asString();
		this.graph.cacheToken(this.tokenKey,
				new Graph.Token(token, Instant.now().plusSeconds(Math.max(0, expiresIn - 300))));
		return token;
	}

	private HttpResponse<byte[]> call(String method, String url, Object body, boolean eventual, boolean read) {
		boolean retriedToken = false;
		while (true) {
			String token = token();
			HttpResponse<byte[]> response = withRetries(() -> {
				HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
					.timeout(TIMEOUT)
					.header("Authorization", "Bearer " + token)
					.header("Accept", "application/json");
				if (eventual) {
					request.header("ConsistencyLevel", "eventual");
				}
				if (body != null) {
					request.header("Content-Type", "application/json")
						.method(method, HttpRequest.BodyPublishers.ofByteArray(this.graph.json().writeValueAsBytes(body)));
				}
				else {
					request.method(method, HttpRequest.BodyPublishers.noBody());
				}
				return request.build();
			}, method + " " + path(url));
			int status = response.statusCode();
			if (status == 401 && !retriedToken) {
				// The token may have been revoked or expired early: one fresh token, then the answer stands.
				this.graph.forgetToken(this.tokenKey);
				retriedToken = true;
				continue;
			}
			if (status >= 200 && status < 300) {
				return response;
			}
			throw error(method, url, response);
		}
	}

	/** Sends, retrying throttled, failed and dropped calls; returns the first answer that is not worth retrying. */
	private HttpResponse<byte[]> withRetries(java.util.function.Supplier<HttpRequest> request, String what) {
		int attempts = this.graph.maxAttempts();
		String last = null;
		int lastStatus = 0;
		for (int attempt = 1; attempt <= attempts; attempt++) {
			Duration wait;
			try {
				HttpResponse<byte[]> response = this.graph.http().send(request.get(), HttpResponse.BodyHandlers.ofByteArray());
				int status = response.statusCode();
				if (status != 429 && status < 500) {
					return response;
				}
				last = "HTTP " + status + describe(response);
				lastStatus = status;
				if (attempt == attempts) {
					break;
				}
				Duration retryAfter = retryAfter(response);
				wait = (status == 429 || status == 503) && retryAfter != null ? retryAfter : backoff(attempt);
			}
			catch (IOException ex) {
				last = ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
				if (attempt == attempts) {
					break;
				}
				wait = backoff(attempt);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new GraphException("Interrupted while calling " + what, ex);
			}
			sleep(wait.compareTo(this.graph.maxWait()) > 0 ? this.graph.maxWait() : wait);
		}
		throw new GraphException(lastStatus, null, "Graph did not answer " + what + " after " + attempts + " attempts (last: " + last + ")");
	}

	private static Duration retryAfter(HttpResponse<?> response) {
		return response.headers().firstValue("Retry-After").map(value -> {
			try {
				return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}).orElse(null);
	}

	/** 200 ms, 400 ms, 800 ms ... capped at 10 s, each with up to half of it added at random. */
	private static Duration backoff(int attempt) {
		long base = Math.min(10_000, 200L << Math.min(attempt - 1, 10));
		return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base / 2 + 1));
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new GraphException("Interrupted while waiting to retry a Graph call", ex);
		}
	}

	private GraphException error(String method, String url, HttpResponse<byte[]> response) {
		int status = response.statusCode();
		JsonNode body = readJson(response.body());
		String code = body.path("error").path("code").asString(null);
		String message = body.path("error").path("message").asString(null);
		String what = method + " " + path(url);
		String answer = code == null || code.isBlank() ? "HTTP " + status : code + " (HTTP " + status + ")";
		String said = message == null || message.isBlank() ? "" : ": " + message.strip().replaceAll("\\.$", "");
		String hint = switch (status) {
			case 401 -> "; check the app registration's client secret and the tenant";
			case 403 -> "; the app registration lacks a permission, or admin consent was not given";
			default -> "";
		};
		return new GraphException(status, code, "Graph answered " + answer + " for " + what + said + hint);
	}

	private String describe(HttpResponse<byte[]> response) {
		JsonNode body = readJson(response.body());
		String code = body.path("error").path("code").asString(null);
		return code == null ? "" : " " + code;
	}

	private JsonNode readJson(byte[] body) {
		if (body == null || body.length == 0) {
			return this.graph.json().createObjectNode();
		}
		try {
			return this.graph.json().readTree(body);
		}
		catch (JacksonException ex) {
			return this.graph.json().createObjectNode();
		}
	}

	private JsonNode json(HttpResponse<byte[]> response) {
		return readJson(response.body());
	}

	/** A path relative to Graph's base, or an absolute link Graph gave (used exactly as given). */
	String url(String pathOrUrl) {
		if (pathOrUrl.startsWith("https://") || pathOrUrl.startsWith("http://")) {
			return pathOrUrl;
		}
		return this.cloud.graph() + (pathOrUrl.startsWith("/") ? "" : "/") + pathOrUrl;
	}

	/** The URL without scheme, host and query, for messages: links carry skip tokens nobody needs to read. */
	private static String path(String url) {
		try {
			return URI.create(url).getPath();
		}
		catch (IllegalArgumentException ex) {
			return url;
		}
	}

	static String enc(String value) {
		return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
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
