package io.rollcall.connector;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import io.rollcall.platform.SecretTokens;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every provider client shares: one HTTP client (connection pool), access tokens cached until shortly before
 * they expire, and one retry policy: throttled answers (429) and failures (5xx, dropped connections) are retried up to
 * {@code maxAttempts} times, waiting as long as the provider's {@link Rules} say or else with exponential backoff and
 * jitter, never longer than {@code maxWait} at a time; then the call fails with a message an admin understands.
 * Pages are parsed as a stream, item by item ({@link #readPage}), whatever a group's size. One instance per
 * provider, so that each keeps its own settings and token cache.
 */
public final class ProviderHttp {

	/** What differs between providers in how their answers are read and paced. */
	public interface Rules {

		/** The provider's name in messages, e.g. "Graph" in "Graph did not answer ...". */
		String name();

		/** The provider's error code in an error body, or null. */
		String errorCode(JsonNode body);

		/**
		 * How long to wait before retrying a throttled (429) or failed (5xx) answer, as the provider says it; null for
		 * the exponential backoff.
		 */
		Duration retryWait(HttpResponse<?> response);

		/** Told of every answer, for a provider that announces its remaining budget. */
		default void answered(HttpResponse<?> response) {
		}

		/** How long the next request waits before it is sent: zero unless the provider said its budget is used up. */
		default Duration waitBeforeSending() {
			return Duration.ZERO;
		}

		/** The exception for an answer outside 2xx to {@code what}, e.g. "GET /v1.0/users/x". */
		ProviderException error(String what, int status, JsonNode body);

		/** The exception for a token endpoint that gave no token. */
		ProviderException tokenRefused(int status, JsonNode body);

	}

	/** How a call is authorised. */
	public interface Authorization {

		/** The {@code Authorization} header's value. */
		String header();

		/** After a 401: forgets a cached token and says whether a fresh one is worth one more try. */
		boolean renew();

		/** A header that does not change, such as an API token: a 401 is the answer. */
		static Authorization fixed(String header) {
			return new Authorization() {
				@Override
				public String header() {
					return header;
				}

				@Override
				public boolean renew() {
					return false;
				}
			};
		}

	}

	/** A field of a page's object beside its items, e.g. the link to the next page. */
	@FunctionalInterface
	public interface PageField {

		/** Reads the field's value from {@code parser}, which is on it, or skips it. */
		void read(String name, JsonParser parser);

	}

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private final HttpClient http;

	// Items are read one by one from a page's stream, with the rest of the page still to come.
	private final JsonMapper json = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private final Map<String, Token> tokens = new ConcurrentHashMap<>();

	private final int maxAttempts;

	private final Duration maxWait;

	public ProviderHttp(int maxAttempts, Duration maxWait) {
		this.http = HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(10))
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		this.maxAttempts = maxAttempts;
		this.maxWait = maxWait;
	}

	private record Token(String value, Instant renewAfter) {
	}

	public JsonMapper json() {
		return this.json;
	}

	/** A request to {@code url} with the timeout every provider call has. */
	public static HttpRequest.Builder request(String url) {
		return HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).header("Accept", "application/json");
	}

	/**
	 * Sends an authorised request, retrying as the rules say; after a 401, one fresh token when
	 * {@link Authorization#renew()} allows it, then the answer stands.
	 *
	 * @param request the request, given the {@code Authorization} header's value
	 * @param what the call in messages, e.g. "GET /v1.0/users/x"
	 * @return a 2xx answer
	 * @throws ProviderException for any other answer, as {@link Rules#error} words it
	 */
	public HttpResponse<byte[]> call(Rules rules, Authorization authorization, Function<String, HttpRequest> request,
			String what) {
		return call(rules, authorization, request, what, HttpResponse.BodyHandlers.ofByteArray(), body -> body);
	}

	/**
	 * As {@link #call(Rules, Authorization, Function, String)}, the body kept as received (see {@link ReceivedBody}):
	 * for pages, read with {@link #readPage(Rules, HttpResponse, String, Function, Consumer, PageField)}.
	 */
	public HttpResponse<ReceivedBody> callForPage(Rules rules, Authorization authorization,
			Function<String, HttpRequest> request, String what) {
		return call(rules, authorization, request, what, ReceivedBody.handler(), ReceivedBody::bytes);
	}

	private <T> HttpResponse<T> call(Rules rules, Authorization authorization, Function<String, HttpRequest> request,
			String what, HttpResponse.BodyHandler<T> handler, Function<T, byte[]> bytes) {
		boolean renewed = false;
		while (true) {
			String header = authorization.header();
			HttpResponse<T> response = send(rules, () -> request.apply(header), what, handler, bytes);
			int status = response.statusCode();
			if (status == 401 && !renewed && authorization.renew()) {
				// The token may have been revoked or expired early: one fresh token, then the answer stands.
				renewed = true;
				continue;
			}
			if (status >= 200 && status < 300) {
				return response;
			}
			throw rules.error(what, status, readJson(bytes.apply(response.body())));
		}
	}

	/**
	 * A client-credentials token from {@code tokenUrl}, from the cache while it has more than five minutes left.
	 *
	 * @param cacheKey names the credentials; see {@link #tokenKey}
	 * @param form the token request's form, credentials included
	 */
	public String token(Rules rules, String cacheKey, String tokenUrl, String form) {
		Token cached = this.tokens.get(cacheKey);
		if (cached != null && Instant.now().isBefore(cached.renewAfter())) {
			return cached.value();
		}
		HttpRequest request = request(tokenUrl).header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build();
		HttpResponse<byte[]> response = send(rules, () -> request, "the token endpoint");
		JsonNode body = readJson(response.body());
		if (response.statusCode() != 200 || !body.path("access_token").isString()) {
			throw rules.tokenRefused(response.statusCode(), body);
		}
		long expiresIn = body.path("expires_in").asLong(3599);
		String token = body.path("access_token").asString();
		this.tokens.put(cacheKey, new Token(token, Instant.now().plusSeconds(Math.max(0, expiresIn - 300))));
		return token;
	}

	/**
	 * A bearer token from {@code token} (which takes it from this cache under {@code cacheKey}); after a 401 the
	 * cached token is forgotten, so the one more try gets a fresh one.
	 */
	public Authorization bearer(Supplier<String> token, String cacheKey) {
		return new Authorization() {
			@Override
			public String header() {
				return "Bearer " + token.get();
			}

			@Override
			public boolean renew() {
				ProviderHttp.this.tokens.remove(cacheKey);
				return true;
			}
		};
	}

	/** A token cache key that names the secret by a hash, so that a changed secret never gets the old token. */
	public static String tokenKey(String secret, String... names) {
		return String.join("|", names) + "|"
				+ HexFormat.of().formatHex(SecretTokens.hash(secret == null ? "" : secret));
	}

	/** Sends, retrying throttled, failed and dropped calls; returns the first answer that is not worth retrying. */
	public HttpResponse<byte[]> send(Rules rules, Supplier<HttpRequest> request, String what) {
		return send(rules, request, what, HttpResponse.BodyHandlers.ofByteArray(), body -> body);
	}

	private <T> HttpResponse<T> send(Rules rules, Supplier<HttpRequest> request, String what,
			HttpResponse.BodyHandler<T> handler, Function<T, byte[]> bytes) {
		String last = null;
		int lastStatus = 0;
		for (int attempt = 1; attempt <= this.maxAttempts; attempt++) {
			Duration paced = rules.waitBeforeSending();
			if (paced.isPositive()) {
				sleep(rules, paced);
			}
			Duration wait;
			try {
				HttpResponse<T> response = this.http.send(request.get(), handler);
				rules.answered(response);
				int status = response.statusCode();
				if (status != 429 && status < 500) {
					return response;
				}
				String code = rules.errorCode(readJson(bytes.apply(response.body())));
				last = "HTTP " + status + (code == null ? "" : " " + code);
				lastStatus = status;
				if (attempt == this.maxAttempts) {
					break;
				}
				Duration said = rules.retryWait(response);
				wait = said != null ? said : backoff(attempt);
			}
			catch (IOException ex) {
				last = ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
				if (attempt == this.maxAttempts) {
					break;
				}
				wait = backoff(attempt);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new ProviderException("Interrupted while calling " + what, ex);
			}
			sleep(rules, wait);
		}
		throw new ProviderException(lastStatus, null, rules.name() + " did not answer " + what + " after "
				+ this.maxAttempts + " attempts (last: " + last + ")");
	}

	private void sleep(Rules rules, Duration wait) {
		try {
			Thread.sleep(wait.compareTo(this.maxWait) > 0 ? this.maxWait : wait);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ProviderException("Interrupted while waiting to call " + rules.name() + " again", ex);
		}
	}

	/** 200 ms, 400 ms, 800 ms ... capped at 10 s, each with up to half of it added at random. */
	private static Duration backoff(int attempt) {
		long base = Math.min(10_000, 200L << Math.min(attempt - 1, 10));
		return Duration.ofMillis(base + jitter(base / 2));
	}

	/** Up to {@code bound} milliseconds at random, so that clients throttled together do not retry together. */
	public static long jitter(long bound) {
		return ThreadLocalRandom.current().nextLong(bound + 1);
	}

	/**
	 * Streams a page's items to {@code each} as they are parsed, so that memory holds one item, not the page: the
	 * array that is the page or, given {@code itemsField}, the array in that field of the page's object, whose other
	 * fields go to {@code otherFields}.
	 *
	 * @throws ProviderException when the page is not what was asked for
	 */
	public void readPage(Rules rules, HttpResponse<byte[]> page, String itemsField, Consumer<JsonNode> each,
			PageField otherFields) {
		readPage(rules, page, itemsField, this.json::readTree, each, otherFields);
	}

	/**
	 * As {@link #readPage(Rules, HttpResponse, String, Consumer, PageField)}, each item made by {@code item} from the
	 * parser at the item's start (and left at its end), so that a provider can read its items without a tree of each;
	 * the page's body is an array or, from {@link #callForPage}, a {@link ReceivedBody}.
	 */
	public <T> void readPage(Rules rules, HttpResponse<?> page, String itemsField, Function<JsonParser, T> item,
			Consumer<? super T> each, PageField otherFields) {
		String where = " (" + path(page.uri().toString()) + ")";
		try (JsonParser parser = page.body() instanceof ReceivedBody received
				? this.json.createParser(received.stream()) : this.json.createParser((byte[]) page.body())) {
			if (itemsField == null) {
				if (parser.nextToken() != JsonToken.START_ARRAY) {
					throw new ProviderException(page.statusCode(), null,
							rules.name() + " sent a page that is not a JSON array" + where);
				}
				readItems(parser, item, each);
				return;
			}
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw new ProviderException(page.statusCode(), null,
						rules.name() + " sent a page that is not a JSON object" + where);
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				if (parser.nextToken() == JsonToken.START_ARRAY && itemsField.equals(name)) {
					readItems(parser, item, each);
				}
				else {
					otherFields.read(name, parser);
				}
			}
		}
		catch (JacksonException ex) {
			throw new ProviderException(page.statusCode(), null,
					rules.name() + " sent a page that is not valid JSON" + where + ": " + ex.getOriginalMessage());
		}
	}

	private static <T> void readItems(JsonParser parser, Function<JsonParser, T> item, Consumer<? super T> each) {
		while (parser.nextToken() == JsonToken.START_OBJECT) {
			each.accept(item.apply(parser));
		}
	}

	/** The body as JSON, or an empty object when it is empty or not JSON (a gateway's HTML page). */
	public JsonNode readJson(byte[] body) {
		if (body == null || body.length == 0) {
			return this.json.createObjectNode();
		}
		try {
			return this.json.readTree(body);
		}
		catch (JacksonException ex) {
			return this.json.createObjectNode();
		}
	}

	/** A path relative to {@code base}, or an absolute link the provider gave (used exactly as given). */
	public static String url(String base, String pathOrUrl) {
		if (pathOrUrl.startsWith("https://") || pathOrUrl.startsWith("http://")) {
			return pathOrUrl;
		}
		return base + (pathOrUrl.startsWith("/") ? "" : "/") + pathOrUrl;
	}

	/** The URL without scheme, host and query, for messages: links carry skip tokens nobody needs to read. */
	public static String path(String url) {
		try {
			return URI.create(url).getPath();
		}
		catch (IllegalArgumentException ex) {
			return url;
		}
	}

	public static String enc(String value) {
		return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
	}

}
