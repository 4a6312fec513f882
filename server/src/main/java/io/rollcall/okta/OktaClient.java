package io.rollcall.okta;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * A thin client of Okta's management API for one org: an API token ({@code SSWS}) or a service app's
 * client-credentials bearer token; list pages parsed as a stream item by item; {@code Link: rel="next"} followed
 * exactly as given; rate limits honoured from {@code X-Rate-Limit-Reset} (a 429 waits for the window's end, and a
 * call that used a window's last request waits before the next one); 5xx answers and dropped connections retried a
 * few times with exponential backoff and jitter; then a message an admin understands.
 */
final class OktaClient {

	static final String SCOPES = "okta.users.read okta.apps.read";

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	/** Where the next page is fetched while the current one is handled. */
	private static final Executor PREFETCH = Executors.newVirtualThreadPerTaskExecutor();

	private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

	private final OktaHttp okta;

	private final OktaConnection connection;

	private final String orgUrl;

	/** When the org's rate-limit window resets, after a call that used its last request; null when not known. */
	private volatile Instant exhaustedUntil;

	OktaClient(OktaHttp okta, OktaConnection connection) {
		this.okta = okta;
		this.connection = connection;
		this.orgUrl = stripSlash(connection.orgUrl());
	}

	/**
	 * Calls {@code each} for every item of every page from {@code pathOrUrl} on. The next page is fetched while
	 * this one's items are handled, so Okta's answer time and Rollcall's work overlap.
	 */
	void forEach(String pathOrUrl, Consumer<JsonNode> each) {
		String url = url(pathOrUrl);
		HttpResponse<byte[]> response = call(url);
		while (response != null) {
			String next = next(response.headers().allValues("Link"));
			CompletableFuture<HttpResponse<byte[]>> prefetch = next == null ? null
					: CompletableFuture.supplyAsync(() -> call(next), PREFETCH);
			try (JsonParser parser = this.okta.json().createParser(response.body())) {
				if (parser.nextToken() != JsonToken.START_ARRAY) {
					throw new OktaException(response.statusCode(), null, "Okta sent a page that is not a JSON array (" + path(url) + ")");
				}
				while (parser.nextToken() == JsonToken.START_OBJECT) {
					each.accept(this.okta.json().readTree(parser));
				}
			}
			catch (JacksonException ex) {
				throw new OktaException(response.statusCode(), null, "Okta sent a page that is not valid JSON (" + path(url) + "): "
						+ ex.getOriginalMessage());
			}
			finally {
				if (prefetch != null && Thread.currentThread().isInterrupted()) {
					prefetch.cancel(true);
				}
			}
			url = next;
			response = prefetch == null ? null : await(prefetch);
		}
	}

	private static HttpResponse<byte[]> await(CompletableFuture<HttpResponse<byte[]>> future) {
		try {
			return future.join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new OktaException("Reading a page from Okta failed: " + ex.getCause(), ex.getCause());
		}
	}

	/**
	 * The object, or empty when Okta says that it, the {@code id} of {@code type}, does not exist (E0000007 naming
	 * it). Every other error, a 404 with another code included, throws: it says nothing about the object.
	 */
	Optional<JsonNode> find(String pathOrUrl, String id, String type) {
		try {
			return Optional.of(readJson(call(url(pathOrUrl)).body()));
		}
		catch (OktaException ex) {
			if (ex.notFound(id, type)) {
				return Optional.empty();
			}
			throw ex;
		}
	}

	static String next(List<String> links) {
		for (String header : links) {
			// One header may carry several links separated by commas.
			for (String link : header.split(",(?=\\s*<)")) {
				Matcher matcher = NEXT.matcher(link);
				if (matcher.find()) {
					return matcher.group(1);
				}
			}
		}
		return null;
	}

	private HttpResponse<byte[]> call(String url) {
		boolean retriedToken = false;
		while (true) {
			String authorization = authorization();
			HttpResponse<byte[]> response = withRetries(() -> HttpRequest.newBuilder(URI.create(url))
				.timeout(TIMEOUT)
				.header("Authorization", authorization)
				.header("Accept", "application/json")
				.GET()
				.build(), "GET " + path(url));
			int status = response.statusCode();
			if (status == 401 && !retriedToken && "oauth".equals(this.connection.authMethod())) {
				// The token may have been revoked or expired early: one fresh token, then the answer stands.
				this.okta.forgetToken(tokenKey());
				retriedToken = true;
				continue;
			}
			if (status >= 200 && status < 300) {
				return response;
			}
			throw error(url, response);
		}
	}

	private String authorization() {
		if ("oauth".equals(this.connection.authMethod())) {
			return "Bearer " + token();
		}
		if (this.connection.apiToken() == null || this.connection.apiToken().isBlank()) {
			throw new OktaException(0, "no_token", "No API token is set; enter one in the Okta settings");
		}
		return "SSWS " + this.connection.apiToken();
	}

	/** A service-app token from the org authorization server, from the cache while it has over five minutes left. */
	private String token() {
		OktaHttp.Token cached = this.okta.cachedToken(tokenKey());
		if (cached != null) {
			return cached.value();
		}
		if (this.connection.clientSecret() == null || this.connection.clientSecret().isBlank()) {
			throw new OktaException(0, "no_secret", "No client secret is set for the service app; enter it in the Okta settings");
		}
		String form = "grant_type=client_credentials&scope=" + enc(SCOPES) + "&client_id=" + enc(this.connection.clientId())
				+ "&client_secret=" + enc(this.connection.clientSecret());
		HttpResponse<byte[]> response = withRetries(() -> HttpRequest.newBuilder(URI.create(this.orgUrl + "/oauth2/v1/token"))
			.timeout(TIMEOUT)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), "the token endpoint");
		JsonNode body = readJson(response.body());
		if (response.statusCode() != 200 || !body.path("access_token").isString()) {
			String description = body.path("error_description").asString(body.path("errorSummary").asString(""));
			String code = body.path("error").asString(null);
			throw new OktaException(response.statusCode(), code, "Okta refused the service app's token request: "
					+ (description.isBlank() ? (code == null ? "HTTP " + response.statusCode() : code) : description));
		}
		long expiresIn = body.path("expires_in").asLong(3600);
		String token = body.path("access_token").asString();
		this.okta.cacheToken(tokenKey(), new OktaHttp.Token(token, Instant.now().plusSeconds(Math.max(0, expiresIn - 300))));
		return token;
	}

	private String tokenKey() {
		return OktaHttp.tokenKey(this.orgUrl, this.connection.clientId(), this.connection.clientSecret());
	}

	/** Sends, waiting out rate limits and retrying failures; returns the first answer not worth retrying. */
	private HttpResponse<byte[]> withRetries(java.util.function.Supplier<HttpRequest> request, String what) {
		int attempts = this.okta.maxAttempts();
		String last = null;
		int lastStatus = 0;
		for (int attempt = 1; attempt <= attempts; attempt++) {
			waitForWindow();
			Duration wait;
			try {
				HttpResponse<byte[]> response = this.okta.http().send(request.get(), HttpResponse.BodyHandlers.ofByteArray());
				int status = response.statusCode();
				Instant reset = reset(response);
				if (status != 429 && reset != null && "0".equals(response.headers().firstValue("X-Rate-Limit-Remaining").orElse(null))) {
					this.exhaustedUntil = reset;
				}
				if (status != 429 && status < 500) {
					return response;
				}
				last = "HTTP " + status + describe(response);
				lastStatus = status;
				if (attempt == attempts) {
					break;
				}
				if (status == 429) {
					// Okta says when the window resets; a little after it, the budget is back.
					wait = reset == null ? backoff(attempt) : Duration.between(Instant.now(), reset).plusMillis(250 + jitter(250));
					if (wait.isNegative()) {
						wait = Duration.ofMillis(250 + jitter(250));
					}
				}
				else {
					wait = backoff(attempt);
				}
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
				throw new OktaException("Interrupted while calling " + what, ex);
			}
			sleep(wait.compareTo(this.okta.maxWait()) > 0 ? this.okta.maxWait() : wait);
		}
		throw new OktaException(lastStatus, null, "Okta did not answer " + what + " after " + attempts + " attempts (last: " + last + ")");
	}

	/** After a call used the window's last request, the next one waits for the reset instead of meeting a 429. */
	private void waitForWindow() {
		Instant until = this.exhaustedUntil;
		if (until == null) {
			return;
		}
		this.exhaustedUntil = null;
		Duration wait = Duration.between(Instant.now(), until).plusMillis(100);
		if (!wait.isNegative() && !wait.isZero()) {
			sleep(wait.compareTo(this.okta.maxWait()) > 0 ? this.okta.maxWait() : wait);
		}
	}

	private static Instant reset(HttpResponse<?> response) {
		return response.headers().firstValue("X-Rate-Limit-Reset").map(value -> {
			try {
				return Instant.ofEpochSecond(Long.parseLong(value.strip()));
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}).orElse(null);
	}

	/** 200 ms, 400 ms, 800 ms ... capped at 10 s, each with up to half of it added at random. */
	private static Duration backoff(int attempt) {
		long base = Math.min(10_000, 200L << Math.min(attempt - 1, 10));
		return Duration.ofMillis(base + jitter(base / 2));
	}

	private static long jitter(long bound) {
		return ThreadLocalRandom.current().nextLong(bound + 1);
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new OktaException("Interrupted while waiting to call Okta again", ex);
		}
	}

	/**
	 * Okta's answer as a message naming its error code and what to check, e.g. "Okta answered E0000022 (The endpoint
	 * does not support the provided HTTP method) for GET /api/v1/apps/0oa1/users/00u2; check the org URL, the app's id
	 * and the token's permissions".
	 */
	private OktaException error(String url, HttpResponse<byte[]> response) {
		int status = response.statusCode();
		JsonNode body = readJson(response.body());
		String code = blankToNull(body.path("errorCode").asString(null));
		String summary = blankToNull(body.path("errorSummary").asString(null));
		String what = "GET " + path(url);
		String answer = code == null ? "HTTP " + status + (summary == null ? "" : " (" + summary + ")")
				: code + " (" + (summary == null ? "HTTP " + status : summary) + ")";
		return new OktaException(status, code, summary, "Okta answered " + answer + " for " + what + hint(status, code));
	}

	/** What an admin checks after such an answer. */
	private static String hint(int status, String code) {
		if ("E0000022".equals(code)) {
			return "; check the org URL, the app's id and the token's permissions";
		}
		return switch (status) {
			case 401 -> "; check the API token or the service app's credentials";
			case 403 -> "; the token lacks a permission (an API token's admin needs read access to users and apps, "
					+ "a service app the scopes " + SCOPES + ")";
			case 404, 405 -> "; check the org URL, the app's id and the token's permissions";
			default -> "";
		};
	}

	private static String blankToNull(String value) {
		return value == null || value.isBlank() ? null : value;
	}

	private String describe(HttpResponse<byte[]> response) {
		String code = readJson(response.body()).path("errorCode").asString(null);
		return code == null ? "" : " " + code;
	}

	private JsonNode readJson(byte[] body) {
		if (body == null || body.length == 0) {
			return this.okta.json().createObjectNode();
		}
		try {
			return this.okta.json().readTree(body);
		}
		catch (JacksonException ex) {
			return this.okta.json().createObjectNode();
		}
	}

	/** A path on the org, or an absolute link Okta gave (used exactly as given). */
	String url(String pathOrUrl) {
		if (pathOrUrl.startsWith("https://") || pathOrUrl.startsWith("http://")) {
			return pathOrUrl;
		}
		return this.orgUrl + (pathOrUrl.startsWith("/") ? "" : "/") + pathOrUrl;
	}

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

	static String stripSlash(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

}
