package io.rollcall.okta;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rollcall.connector.NextPage;
import io.rollcall.connector.ProviderException;
import io.rollcall.connector.ProviderHttp;
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

	/** Okta's "the named resource does not exist": {@code Not found: Resource not found: {id} ({type})}. */
	static final String RESOURCE_NOT_FOUND = "E0000007";

	private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

	private final ProviderHttp http;

	/** Per client, as the rate-limit window it remembers is the org's. */
	private final OktaRules rules = new OktaRules();

	private final OktaConnection connection;

	private final String orgUrl;

	OktaClient(ProviderHttp http, OktaConnection connection) {
		this.http = http;
		this.connection = connection;
		this.orgUrl = stripSlash(connection.orgUrl());
	}

	/**
	 * Calls {@code each} for every item of every page from {@code pathOrUrl} on. The next page is fetched while
	 * this one's items are handled, so Okta's answer time and Rollcall's work overlap.
	 */
	void forEach(String pathOrUrl, Consumer<JsonNode> each) {
		HttpResponse<byte[]> response = call(url(pathOrUrl));
		while (response != null) {
			String next = next(response.headers().allValues("Link"));
			NextPage<HttpResponse<byte[]>> prefetch = next == null ? null : NextPage.fetch("Okta", () -> call(next));
			try {
				this.http.readPage(this.rules, response, null, each, null);
			}
			finally {
				if (prefetch != null) {
					prefetch.cancelIfInterrupted();
				}
			}
			response = prefetch == null ? null : prefetch.take();
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
		catch (ProviderException ex) {
			if (notFound(ex, id, type)) {
				return Optional.empty();
			}
			throw ex;
		}
	}

	/**
	 * Whether Okta said that the resource {@code id} of {@code type} ({@code AppUser}, {@code User},
	 * {@code AppInstance}) does not exist: a 404 with E0000007 naming it. Any other 404 (an unsupported endpoint
	 * E0000022, a proxy's page, E0000007 about another resource) says nothing about it.
	 */
	static boolean notFound(ProviderException ex, String id, String type) {
		return ex.notFound(RESOURCE_NOT_FOUND) && ex.summary() != null
				&& (ex.summary().contains(id) || ex.summary().contains("(" + type + ")"));
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
		return this.http.call(this.rules, authorization(),
				header -> ProviderHttp.request(url).header("Authorization", header).GET().build(), "GET " + path(url));
	}

	/** A service app's bearer token, or the API token ({@code SSWS}), which no second try would change. */
	private ProviderHttp.Authorization authorization() {
		if ("oauth".equals(this.connection.authMethod())) {
			return this.http.bearer(this::token, tokenKey());
		}
		if (this.connection.apiToken() == null || this.connection.apiToken().isBlank()) {
			throw new ProviderException(0, "no_token", "No API token is set; enter one in the Okta settings");
		}
		return ProviderHttp.Authorization.fixed("SSWS " + this.connection.apiToken());
	}

	/** A service-app token from the org authorization server, from the cache while it has over five minutes left. */
	private String token() {
		if (this.connection.clientSecret() == null || this.connection.clientSecret().isBlank()) {
			throw new ProviderException(0, "no_secret",
					"No client secret is set for the service app; enter it in the Okta settings");
		}
		String form = "grant_type=client_credentials&scope=" + enc(SCOPES) + "&client_id="
				+ enc(this.connection.clientId())
				+ "&client_secret=" + enc(this.connection.clientSecret());
		return this.http.token(this.rules, tokenKey(), this.orgUrl + "/oauth2/v1/token", form);
	}

	private String tokenKey() {
		return ProviderHttp.tokenKey(this.connection.clientSecret(), this.orgUrl, this.connection.clientId());
	}

	/**
	 * How Okta words its errors, and its rate limits: a 429 waits for the window's end ({@code X-Rate-Limit-Reset}),
	 * and a call that used a window's last request makes the next one wait for the reset instead of meeting a 429.
	 */
	private static final class OktaRules implements ProviderHttp.Rules {

		/** When the org's rate-limit window resets, after a call that used its last request; null when not known. */
		private volatile Instant exhaustedUntil;

		@Override
		public String name() {
			return "Okta";
		}

		@Override
		public String errorCode(JsonNode body) {
			return body.path("errorCode").asString(null);
		}

		@Override
		public void answered(HttpResponse<?> response) {
			Instant reset = reset(response);
			if (response.statusCode() != 429 && reset != null
					&& "0".equals(response.headers().firstValue("X-Rate-Limit-Remaining").orElse(null))) {
				this.exhaustedUntil = reset;
			}
		}

		@Override
		public Duration waitBeforeSending() {
			Instant until = this.exhaustedUntil;
			if (until == null) {
				return Duration.ZERO;
			}
			this.exhaustedUntil = null;
			return Duration.between(Instant.now(), until).plusMillis(100);
		}

		@Override
		public Duration retryWait(HttpResponse<?> response) {
			Instant reset = reset(response);
			if (response.statusCode() != 429 || reset == null) {
				return null;
			}
			// Okta says when the window resets; a little after it, the budget is back.
			Duration wait = Duration.between(Instant.now(), reset).plusMillis(250 + ProviderHttp.jitter(250));
			return wait.isNegative() ? Duration.ofMillis(250 + ProviderHttp.jitter(250)) : wait;
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

		/**
		 * Okta's answer as a message naming its error code and what to check, e.g. "Okta answered E0000022 (The
		 * endpoint does not support the provided HTTP method) for GET /api/v1/apps/0oa1/users/00u2; check the org URL,
		 * the app's id and the token's permissions".
		 */
		@Override
		public ProviderException error(String what, int status, JsonNode body) {
			String code = blankToNull(body.path("errorCode").asString(null));
			String summary = blankToNull(body.path("errorSummary").asString(null));
			String answer = code == null ? "HTTP " + status + (summary == null ? "" : " (" + summary + ")")
					: code + " (" + (summary == null ? "HTTP " + status : summary) + ")";
			return new ProviderException(status, code, summary,
					"Okta answered " + answer + " for " + what + hint(status, code));
		}

		@Override
		public ProviderException tokenRefused(int status, JsonNode body) {
			String description = body.path("error_description").asString(body.path("errorSummary").asString(""));
			String code = body.path("error").asString(null);
			return new ProviderException(status, code, "Okta refused the service app's token request: "
					+ (description.isBlank() ? (code == null ? "HTTP " + status : code) : description));
		}

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

	private JsonNode readJson(byte[] body) {
		return this.http.readJson(body);
	}

	/** A path on the org, or an absolute link Okta gave (used exactly as given). */
	String url(String pathOrUrl) {
		return ProviderHttp.url(this.orgUrl, pathOrUrl);
	}

	private static String path(String url) {
		return ProviderHttp.path(url);
	}

	static String enc(String value) {
		return ProviderHttp.enc(value);
	}

	static String stripSlash(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

}
