package io.rollcall.entra;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rollcall.connector.ProviderException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The retry policy, paging and token handling of the Graph client, against a scripted local server. */
class GraphClientTests {

	private HttpServer server;

	private String base;

	private final ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();

	private final AtomicInteger tokens = new AtomicInteger();

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/tenant/oauth2/v2.0/token", exchange -> {
			this.tokens.incrementAndGet();
			String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			if (form.contains("client_secret=right")) {
				send(exchange, 200, "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"tok\"}", null);
			}
			else {
				send(exchange, 401,
						"{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret provided. "
								+ "Ensure the secret being sent in the request is the client secret value. Trace ID: 1\"}",
						null);
			}
		});
		this.server.start();
		this.base = "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	@Test
	void pagesWhenThrottledThenWaitsRetryAfterAndFollowsNextLinksVerbatim() {
		AtomicInteger throttled = new AtomicInteger();
		long[] retriedAt = new long[2];
		this.server.createContext("/v1.0/groups", exchange -> {
			this.calls.add(exchange.getRequestURI().toString());
			assertThat(exchange.getRequestHeaders().getFirst("Authorization")).isEqualTo("Bearer tok");
			if (exchange.getRequestURI().getQuery().contains("skip=2")) {
				send(exchange, 200, "{\"value\":[{\"id\":\"c\"}]}", null);
			}
			else if (throttled.getAndIncrement() == 0) {
				retriedAt[0] = System.nanoTime();
				send(exchange, 429, "{\"error\":{\"code\":\"TooManyRequests\"}}", "1");
			}
			else {
				retriedAt[1] = System.nanoTime();
				send(exchange, 200,
						"{\"@odata.nextLink\":\"" + this.base
								+ "/v1.0/groups/g/members?%24skip=2\",\"value\":[{\"id\":\"a\"},{\"id\":\"b\"}]}",
						null);
			}
		});
		List<String> ids = new ArrayList<>();

		client("right").forEachPage("/groups/g/members?$top=2", true,
				items -> items.forEach(i -> ids.add(i.path("id").asString())));

		assertThat(ids).containsExactly("a", "b", "c");
		assertThat(Duration.ofNanos(retriedAt[1] - retriedAt[0])).isGreaterThanOrEqualTo(Duration.ofMillis(950));
		assertThat(this.calls).last().asString().isEqualTo("/v1.0/groups/g/members?%24skip=2");
		assertThat(this.tokens.get()).as("the token is cached").isEqualTo(1);
	}

	@Test
	void pagesWhenTheirHandlingTakesTimeThenTheNextPageIsAskedForMeanwhileAndPagesAreHandledInOrder() {
		CountDownLatch secondAskedFor = new CountDownLatch(1);
		pages(3, 0, secondAskedFor);
		List<String> handled = new ArrayList<>();
		List<Boolean> askedWhileHandlingTheFirst = new ArrayList<>();

		client("right").forEachPage("/users?page=1", false, items -> {
			handled.add(items.getFirst().path("id").asString());
			if (handled.size() == 1) {
				askedWhileHandlingTheFirst.add(awaitLatch(secondAskedFor));
			}
		});

		assertThat(handled).containsExactly("u1", "u2", "u3");
		assertThat(askedWhileHandlingTheFirst).containsExactly(true);
	}

	@Test
	void pagesWhenALaterPageIsRefusedThenThePagesBeforeItAreHandledAndTheRefusalIsThrown() {
		pages(3, 2, new CountDownLatch(1));
		List<String> handled = new ArrayList<>();

		assertThatThrownBy(() -> client("right").forEachPage("/users?page=1", false,
				items -> handled.add(items.getFirst().path("id").asString())))
			.isInstanceOf(ProviderException.class)
			.hasMessageContaining("403");
		assertThat(handled).containsExactly("u1");
	}

	@Test
	void pagesOfUsersWhenALaterPageIsCutOffMidwayThenThePagesBeforeItAreHandledAndTheListingFails() {
		this.server.createContext("/v1.0/users", exchange -> {
			if (exchange.getRequestURI().getQuery().contains("page=2")) {
				// A whole answer (its length as sent) whose JSON ends inside the second user.
				send(exchange, 200,
						"{\"value\":[{\"id\":\"u2\",\"givenName\":\"Ada\"},{\"id\":\"u3\",\"manager\":{\"id\"",
						null);
				return;
			}
			send(exchange, 200, "{\"value\":[{\"id\":\"u1\",\"manager\":{\"id\":\"m1\",\"displayName\":\"M\u00e9\"}}],"
					+ "\"@odata.nextLink\":\"" + this.base + "/v1.0/users?page=2\"}", null);
		});
		GraphClient client = client("right");
		List<String> handled = new ArrayList<>();

		assertThatThrownBy(() -> client.forEachPage("/users?page=1", true, client::user,
				users -> users.forEach(u -> handled.add(u.id() + ">" + u.managerId()))))
			.isInstanceOf(ProviderException.class)
			.hasMessageStartingWith("Graph sent a page that is not valid JSON (/v1.0/users): Unexpected end-of-input");
		assertThat(handled).containsExactly("u1>m1");
	}

	/** Pages 1..{@code count} of one user each, linked by nextLink; page {@code refused} (0 for none) answers 403. */
	private void pages(int count, int refused, CountDownLatch secondAskedFor) {
		this.server.createContext("/v1.0/users", exchange -> {
			int n = Integer.parseInt(exchange.getRequestURI().getQuery().replaceAll(".*page=(\\d+).*", "$1"));
			if (n == 2) {
				secondAskedFor.countDown();
			}
			if (n == refused) {
				send(exchange, 403, "{\"error\":{\"code\":\"Authorization_RequestDenied\"}}", null);
				return;
			}
			String next = n < count ? ",\"@odata.nextLink\":\"" + this.base + "/v1.0/users?page=" + (n + 1) + "\"" : "";
			send(exchange, 200, "{\"value\":[{\"id\":\"u" + n + "\"}]" + next + "}", null);
		});
	}

	private static boolean awaitLatch(CountDownLatch latch) {
		try {
			return latch.await(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	@Test
	void getWhenServerKeepsFailingThenGivesUpAfterBoundedAttempts() {
		this.server.createContext("/v1.0/users", exchange -> {
			this.calls.add(exchange.getRequestURI().toString());
			send(exchange, 502, "{\"error\":{\"code\":\"BadGateway\"}}", null);
		});

		assertThatThrownBy(() -> client("right").get("/users/x"))
			.isInstanceOf(ProviderException.class)
			.hasMessageContaining("after 3 attempts")
			.hasMessageContaining("502");
		assertThat(this.calls).hasSize(3);
	}

	@Test
	void getWhenServerFailsOnceThenRetriedAndAnswered() {
		AtomicInteger n = new AtomicInteger();
		this.server.createContext("/v1.0/users", exchange -> {
			if (n.getAndIncrement() == 0) {
				send(exchange, 503, "", null);
			}
			else {
				send(exchange, 200, "{\"id\":\"x\",\"givenName\":\"Ada\"}", null);
			}
		});

		assertThat(client("right").get("/users/x").path("givenName").asString()).isEqualTo("Ada");
	}

	@Test
	void getWhenSecretIsWrongThenSaysGraphRefusedTheTokenWithTheAadstsCode() {
		assertThatThrownBy(() -> client("wrong").get("/users/x"))
			.isInstanceOf(ProviderException.class)
			.hasMessage("Graph refused the token: AADSTS7000215: Invalid client secret provided.");
	}

	@Test
	void findWhenNotFoundThenEmpty() {
		this.server.createContext("/v1.0/users", exchange -> send(exchange, 404,
				"{\"error\":{\"code\":\"Request_ResourceNotFound\",\"message\":\"gone\"}}", null));

		assertThat(client("right").find("/users/x")).isEmpty();
	}

	@Test
	void findWhenNotFoundWithAnotherCodeThenThrowsNamingIt() {
		this.server.createContext("/v1.0/users", exchange -> send(exchange, 404,
				"{\"error\":{\"code\":\"UnknownError\",\"message\":\"\"}}", null));

		assertThatThrownBy(() -> client("right").find("/users/x"))
			.isInstanceOf(ProviderException.class)
			.hasMessage("Graph answered UnknownError (HTTP 404) for GET /v1.0/users/x");
	}

	@Test
	void findWhenNotFoundWithoutAGraphErrorThenThrows() {
		this.server.createContext("/v1.0/users", exchange -> send(exchange, 404, "", null));

		assertThatThrownBy(() -> client("right").find("/users/x"))
			.isInstanceOf(ProviderException.class)
			.hasMessage("Graph answered HTTP 404 for GET /v1.0/users/x");
	}

	@Test
	void findWhenRefusedThenThrowsNamingTheCodeAndWhatToCheck() {
		this.server.createContext("/v1.0/users", exchange -> send(exchange, 403,
				"{\"error\":{\"code\":\"Authorization_RequestDenied\",\"message\":\"Insufficient privileges to complete the operation.\"}}",
				null));

		assertThatThrownBy(() -> client("right").find("/users/x"))
			.isInstanceOf(ProviderException.class)
			.hasMessage(
					"Graph answered Authorization_RequestDenied (HTTP 403) for GET /v1.0/users/x: Insufficient privileges "
							+ "to complete the operation; the app registration lacks a permission, or admin consent was not given");
	}

	@Test
	void findPhotoWhenAny404ThenEmpty() {
		this.server.createContext("/v1.0/users", exchange -> send(exchange, 404,
				"{\"error\":{\"code\":\"ImageNotFound\",\"message\":\"no photo\"}}", null));

		assertThat(client("right").findPhoto("/users/x/photo")).isEmpty();
	}

	private GraphClient client(String secret) {
		Graph graph = new Graph(3, Duration.ofSeconds(5));
		return graph.client(new EntraConnection(null, "tenant", "g", "app", secret,
				GraphCloud.of(GraphCloud.CUSTOM, this.base, this.base + "/v1.0"), "03:00", null, null, 0, null));
	}

	private static void send(HttpExchange exchange, int status, String body, String retryAfter) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		if (retryAfter != null) {
			exchange.getResponseHeaders().add("Retry-After", retryAfter);
		}
		exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
		if (bytes.length > 0) {
			exchange.getResponseBody().write(bytes);
		}
		exchange.close();
	}

}
