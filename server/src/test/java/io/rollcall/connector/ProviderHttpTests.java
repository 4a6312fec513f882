package io.rollcall.connector;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The retry policy every provider shares, with a provider's rules plugged in, against a scripted local server. */
class ProviderHttpTests {

	private static final URI PAGE_URI = URI.create("https://provider.example/v1/users");

	private HttpServer server;

	private String base;

	private final AtomicInteger calls = new AtomicInteger();

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.start();
		this.base = "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	@Test
	void sendWhenThrottledThenWaitsAsTheRulesSayButNoLongerThanMaxWait() {
		this.server.createContext("/x",
				exchange -> send(exchange, this.calls.incrementAndGet() <= 2 ? 429 : 200, "{}"));
		ProviderHttp http = new ProviderHttp(3, Duration.ofMillis(200));
		long started = System.nanoTime();

		HttpResponse<byte[]> response = http.send(new TestRules(Duration.ofSeconds(30)), this::get, "GET /x");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.calls).hasValue(3);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(400),
				Duration.ofSeconds(5));
	}

	@Test
	void sendWhenEveryAttemptFailsThenNamesTheProviderAndItsLastAnswer() {
		this.server.createContext("/x", exchange -> {
			this.calls.incrementAndGet();
			send(exchange, 503, "{\"code\":\"Busy\"}");
		});

		assertThatThrownBy(
				() -> new ProviderHttp(2, Duration.ofMillis(50)).send(new TestRules(null), this::get, "GET /x"))
			.isInstanceOf(ProviderException.class)
			.hasMessage("Test did not answer GET /x after 2 attempts (last: HTTP 503 Busy)")
			.extracting(ex -> ((ProviderException) ex).status())
			.isEqualTo(503);
		assertThat(this.calls).hasValue(2);
	}

	@Test
	void callWhenUnauthorisedThenOneFreshCredentialThenTheRulesWordTheError() {
		this.server.createContext("/x", exchange -> {
			this.calls.incrementAndGet();
			send(exchange, 401, "{\"code\":\"Expired\"}");
		});
		AtomicInteger renewed = new AtomicInteger();
		ProviderHttp.Authorization authorization = new ProviderHttp.Authorization() {
			@Override
			public String header() {
				return "Bearer t" + renewed.get();
			}

			@Override
			public boolean renew() {
				renewed.incrementAndGet();
				return true;
			}
		};

		assertThatThrownBy(() -> new ProviderHttp(2, Duration.ofMillis(50)).call(new TestRules(null), authorization,
				header -> HttpRequest.newBuilder(URI.create(this.base + "/x"))
					.header("Authorization", header)
					.build(),
				"GET /x"))
			.isInstanceOf(ProviderException.class)
			.hasMessage("Test answered Expired (HTTP 401) for GET /x");
		assertThat(renewed).hasValue(1);
		assertThat(this.calls).hasValue(2);
	}

	@Test
	void callWhenTheCachedTokenIsRefusedThenForgetsItAndTheFreshOneIsCached() {
		AtomicInteger tokens = new AtomicInteger();
		this.server.createContext("/token", exchange -> send(exchange, 200,
				"{\"access_token\":\"t" + tokens.incrementAndGet() + "\",\"expires_in\":3600}"));
		this.server.createContext("/x", exchange -> {
			this.calls.incrementAndGet();
			boolean revoked = "Bearer t1".equals(exchange.getRequestHeaders().getFirst("Authorization"));
			send(exchange, revoked ? 401 : 200, "{}");
		});
		ProviderHttp http = new ProviderHttp(2, Duration.ofMillis(50));
		TestRules rules = new TestRules(null);
		ProviderHttp.Authorization bearer = http.bearer(
				() -> http.token(rules, "key", this.base + "/token", "grant_type=x"),
				"key");
		Function<String, HttpRequest> request = header -> HttpRequest
			.newBuilder(URI.create(this.base + "/x"))
			.header("Authorization", header)
			.build();

		assertThat(http.call(rules, bearer, request, "GET /x").statusCode()).isEqualTo(200);
		assertThat(http.call(rules, bearer, request, "GET /x").statusCode()).isEqualTo(200);

		assertThat(tokens).as("one token refused, one fresh, then from the cache").hasValue(2);
		assertThat(this.calls).hasValue(3);
	}

	@Test
	void callForPageWhenThePageIsLargeThenItsItemsAreReadAsFromOneArray() {
		StringBuilder page = new StringBuilder("{\"value\":[");
		for (int i = 0; i < 5000; i++) {
			page.append(i == 0 ? "" : ",").append("{\"id\":\"u").append(i).append("\",\"name\":\"J\u00e9r\u00f4me ");
			page.append("\u00e9\u4e2d\ud83d\ude00".repeat(i % 7)).append("\",\"n\":").append(i).append('}');
		}
		page.append("],\"next\":\"done\"}");
		this.server.createContext("/x", exchange -> send(exchange, 200, page.toString()));
		ProviderHttp http = new ProviderHttp(1, Duration.ofMillis(50));
		TestRules rules = new TestRules(null);
		Function<String, HttpRequest> request = header -> get();
		List<JsonNode> received = new ArrayList<>();
		List<JsonNode> whole = new ArrayList<>();
		List<String> next = new ArrayList<>();

		HttpResponse<ReceivedBody> answer = http.callForPage(rules, ProviderHttp.Authorization.fixed("x"), request,
				"GET /x");
		http.readPage(rules, answer, "value", parser -> http.json().readTree(parser), received::add,
				(name, parser) -> next.add(parser.getString()));
		http.readPage(rules, http.call(rules, ProviderHttp.Authorization.fixed("x"), request, "GET /x"), "value",
				whole::add, (name, parser) -> parser.skipChildren());

		assertThat(received).hasSize(5000).isEqualTo(whole);
		assertThat(received.get(6).path("name").asString()).isEqualTo("Jérôme " + "é中\uD83D\uDE00".repeat(6));
		assertThat(next).containsExactly("done");
	}

	@Test
	void callForPageWhenRefusedOrFailingThenTheRulesWordTheErrorFromItsBody() {
		this.server.createContext("/x", exchange -> {
			int n = this.calls.incrementAndGet();
			send(exchange, n == 1 ? 403 : 503, n == 1 ? "{\"code\":\"Denied\"}" : "{\"code\":\"Busy\"}");
		});
		ProviderHttp http = new ProviderHttp(2, Duration.ofMillis(50));
		Function<String, HttpRequest> request = header -> get();

		assertThatThrownBy(() -> http.callForPage(new TestRules(null), ProviderHttp.Authorization.fixed("x"), request,
				"GET /x"))
			.isInstanceOf(ProviderException.class)
			.hasMessage("Test answered Denied (HTTP 403) for GET /x");
		assertThatThrownBy(() -> http.callForPage(new TestRules(Duration.ofMillis(10)),
				ProviderHttp.Authorization.fixed("x"), request, "GET /x"))
			.isInstanceOf(ProviderException.class)
			.hasMessage("Test did not answer GET /x after 2 attempts (last: HTTP 503 Busy)");
	}

	@Test
	void readPageWhenReceivedInBuffersOfAnySizeThenReadsAsFromOneArrayEvenCutOff() {
		byte[] page = "{\"value\":[{\"id\":\"a\",\"name\":\"Zo\u00eb \u4e2d\ud83d\ude00\"},{\"id\":\"b\",\"x\":[1,2.5,null,true]}],\"n\":\"z\"}"
			.getBytes(StandardCharsets.UTF_8);
		ProviderHttp http = new ProviderHttp(1, Duration.ofMillis(50));
		for (int length = 0; length <= page.length; length++) {
			byte[] cut = Arrays.copyOf(page, length);
			Object expected = pageRead(http, new PageAnswer<>(PAGE_URI, cut));
			for (int size = 1; size <= 9; size++) {
				List<ByteBuffer> buffers = new ArrayList<>();
				for (int at = 0; at < length; at += size) {
					// Offset within a larger array, as the client's slices of its read buffers are.
					byte[] backing = new byte[size + 4];
					int n = Math.min(size, length - at);
					System.arraycopy(cut, at, backing, 2, n);
					buffers.add(ByteBuffer.wrap(backing, 2, n).slice());
				}
				ReceivedBody body = ReceivedBody.of(buffers);
				assertThat(pageRead(http, new PageAnswer<>(PAGE_URI, body)))
					.as("cut at %d, buffers of %d", length, size)
					.isEqualTo(expected);
				assertThat(body.bytes()).isEqualTo(cut);
			}
		}
		assertThat(pageRead(http, new PageAnswer<>(PAGE_URI, page))).asString().contains("Zoë 中\uD83D\uDE00");
	}

	/** The page's items and other fields as text, or the message of the exception reading it threw. */
	private static Object pageRead(ProviderHttp http, HttpResponse<?> page) {
		List<String> read = new ArrayList<>();
		try {
			http.readPage(new TestRules(null), page, "value", parser -> http.json().readTree(parser).toString(),
					read::add, (name, parser) -> read.add(name + "=" + parser.getString()));
			return read;
		}
		catch (ProviderException ex) {
			return ex.getMessage();
		}
	}

	private HttpRequest get() {
		return HttpRequest.newBuilder(URI.create(this.base + "/x")).build();
	}

	/** A provider whose error bodies are {@code {"code": ...}} and whose every retry waits {@code retryAfter}. */
	private record TestRules(Duration retryAfter) implements ProviderHttp.Rules {

		@Override
		public String name() {
			return "Test";
		}

		@Override
		public String errorCode(JsonNode body) {
			return body.path("code").asString(null);
		}

		@Override
		public Duration retryWait(HttpResponse<?> response) {
			return this.retryAfter;
		}

		@Override
		public ProviderException error(String what, int status, JsonNode body) {
			return new ProviderException(status, errorCode(body),
					"Test answered " + errorCode(body) + " (HTTP " + status + ") for " + what);
		}

		@Override
		public ProviderException tokenRefused(int status, JsonNode body) {
			return new ProviderException(status, null, "Test refused the token");
		}

	}

	private static void send(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		exchange.getResponseBody().write(bytes);
		exchange.close();
	}

}
