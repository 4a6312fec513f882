package io.rollcall.events;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.net.httpserver.HttpServer;
import io.rollcall.support.TempDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar killed with -9 while it delivers webhooks: after a restart the receiver has every event of the
 * feed at least once, and each subject's events first arrived in the feed's order.
 */
class DeliveryDurabilityIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String OPERATOR_TOKEN = "webhook-durability-operator-token";

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final List<Process> started = new ArrayList<>();

	private Path dataDir;

	private int port;

	@AfterEach
	void stop() throws Exception {
		for (Process process : this.started) {
			process.destroy();
			process.waitFor(30, TimeUnit.SECONDS);
		}
		Path pid = this.dataDir == null ? null : this.dataDir.resolve("postgres/postmaster.pid");
		if (pid != null && Files.exists(pid)) {
			ProcessHandle.of(Long.parseLong(Files.readAllLines(pid).getFirst().trim())).ifPresent(ProcessHandle::destroy);
		}
	}

	/** One delivery as the receiver got it. */
	record Received(String id, String subjectId) {
	}

	@Test
	void deliveryWhenKilledMidDeliveryThenEveryEventArrivesAtLeastOnceInOrderPerSubject() throws Exception {
		List<Received> received = new CopyOnWriteArrayList<>();
		HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		receiver.createContext("/hook", exchange -> {
			JsonNode event = JSON.readTree(exchange.getRequestBody().readAllBytes());
			try {
				Thread.sleep(30); // a receiver with some work to do, so that deliveries are under way at the kill
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			received.add(new Received(exchange.getRequestHeaders().getFirst("webhook-id"),
					event.path("subjectId").asString()));
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
		receiver.start();
		try {
			this.dataDir = TempDirs.create("rollcall-webhook-durability-");
			this.port = freePort();
			Process first = start();
			awaitHealthy(first);
			JsonNode company = JSON.readTree(post("localhost", "/api/v1/companies", "Bearer " + OPERATOR_TOKEN,
					"{\"slug\":\"hooked\",\"name\":\"Hooked\",\"ownerEmail\":\"owner@hooked.test\"}").body());
			String key = "Bearer " + company.path("apiKey").path("secret").asString();
			HttpResponse<String> endpoint = post("hooked.localhost", "/api/v1/webhook-endpoints", key,
					"{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook\",\"eventTypes\":[\"person.*\"]}");
			assertThat(endpoint.statusCode()).as(endpoint.body()).isEqualTo(201);

			AtomicBoolean writing = new AtomicBoolean(true);
			Thread writer = Thread.ofPlatform().start(() -> {
				for (int i = 0; writing.get(); i++) {
					try {
						HttpResponse<String> created = post("hooked.localhost", "/api/v1/people", key,
								"{\"email\":\"p" + i + "@hooked.test\",\"lastName\":\"P" + i + "\"}");
						if (created.statusCode() == 201) {
							String id = JSON.readTree(created.body()).path("id").asString();
							patch("hooked.localhost", "/api/v1/people/" + id, key, "{\"title\":\"T" + i + "\"}");
						}
					}
					catch (Exception ex) {
						return; // the server is gone
					}
				}
			});
			while (received.size() < 60) {
				Thread.sleep(10);
			}
			first.destroyForcibly(); // SIGKILL, mid-delivery
			first.waitFor();
			writing.set(false);
			writer.join(10_000);
			int beforeKill = received.size();

			Process second = start();
			awaitHealthy(second);
			List<JsonNode> feed = feed(key);
			assertThat(feed).hasSizeGreaterThan(beforeKill / 2);
			Set<String> wanted = new LinkedHashSet<>();
			feed.forEach(e -> wanted.add(e.path("id").asString()));
			long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
			while (!received.stream().map(Received::id).toList().containsAll(wanted) && System.nanoTime() < deadline) {
				Thread.sleep(100);
			}
			assertThat(received.stream().map(Received::id).toList()).containsAll(wanted);

			// Per subject, the order in which each event first arrived is the feed's.
			Map<String, List<String>> feedOrder = new LinkedHashMap<>();
			feed.forEach(e -> feedOrder.computeIfAbsent(e.path("subjectId").asString(), k -> new ArrayList<>())
				.add(e.path("id").asString()));
			Map<String, Set<String>> firstArrivals = new LinkedHashMap<>();
			received.forEach(r -> firstArrivals.computeIfAbsent(r.subjectId(), k -> new LinkedHashSet<>()).add(r.id()));
			feedOrder.forEach((subject, ids) -> assertThat(List.copyOf(firstArrivals.get(subject))).as(subject)
				.containsExactlyElementsOf(ids));
			System.out.printf("%d deliveries before kill -9; %d events in the feed, all delivered after the restart "
					+ "(%d deliveries in all, duplicates allowed)%n", beforeKill, wanted.size(), received.size());
		}
		finally {
			receiver.stop(0);
		}
	}

	private List<JsonNode> feed(String key) throws Exception {
		List<JsonNode> events = new ArrayList<>();
		String after = "";
		while (true) {
			JsonNode page = JSON.readTree(get("hooked.localhost",
					"/api/v1/events?types=person.*&limit=1000" + (after.isEmpty() ? "" : "&after=" + after), key).body());
			page.path("items").forEach(e -> {
				if (!e.path("subject").path("email").asString().startsWith("owner@")) {
					events.add(e);
				}
			});
			if (page.path("items").isEmpty()) {
				return events;
			}
			after = page.path("nextCursor").asString();
		}
	}

	private Process start() throws IOException {
		Path jar = Path.of(System.getProperty("rollcall.jar", "target/rollcall.jar")).toAbsolutePath();
		assertThat(jar).exists();
		String java = ProcessHandle.current().info().command().orElse("java");
		ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.dataDir.resolve("rollcall.log").toFile()));
		builder.environment().put("ROLLCALL_DATA_DIR", this.dataDir.toString());
		builder.environment().put("ROLLCALL_OPERATOR_TOKEN", OPERATOR_TOKEN);
		builder.environment().put("PORT", String.valueOf(this.port));
		builder.environment().put("ROLLCALL_SMTP_PORT", String.valueOf(freePort()));
		builder.environment().put("ROLLCALL_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", "true");
		// The killed node's lease runs out after this; the default minute would only make the test longer.
		builder.environment().put("ROLLCALL_WEBHOOKS_LEASE", "5s");
		Process process = builder.start();
		this.started.add(process);
		return process;
	}

	private void awaitHealthy(Process process) throws Exception {
		long start = System.nanoTime();
		while (System.nanoTime() - start < Duration.ofSeconds(90).toNanos()) {
			assertThat(process.isAlive()).as("Rollcall exited; see %s", this.dataDir.resolve("rollcall.log")).isTrue();
			try {
				HttpResponse<String> health = get("localhost", "/actuator/health", null);
				if (health.statusCode() == 200 && health.body().contains("\"UP\"")) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(100);
		}
		throw new AssertionError("Rollcall was not healthy within 90 s; see " + this.dataDir.resolve("rollcall.log"));
	}

	private HttpResponse<String> post(String host, String path, String authorization, String body) throws Exception {
		return send("POST", host, path, authorization, body);
	}

	private HttpResponse<String> patch(String host, String path, String authorization, String body) throws Exception {
		return send("PATCH", host, path, authorization, body);
	}

	private HttpResponse<String> send(String method, String host, String path, String authorization, String body)
			throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Host", host)
			.header("Authorization", authorization)
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(30))
			.method(method, HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String host, String path, String authorization) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Host", host)
			.timeout(Duration.ofSeconds(30));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return this.http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
