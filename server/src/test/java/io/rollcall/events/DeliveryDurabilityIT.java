package io.rollcall.events;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.net.httpserver.HttpServer;
import io.rollcall.support.JarNode;
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

	private JarNode node;

	@AfterEach
	void stop() throws Exception {
		if (this.node != null) {
			this.node.close();
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
			// The killed node's lease runs out after 5 s; the default minute would only make the test longer.
			this.node = new JarNode("rollcall-webhook-durability", OPERATOR_TOKEN,
					Map.of("ROLLCALL_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", "true", "ROLLCALL_WEBHOOKS_LEASE", "5s"));
			Process first = this.node.start();
			this.node.awaitHealthy(first);
			JsonNode company = JSON
				.readTree(this.node.post("localhost", "/api/v1/companies", "Bearer " + OPERATOR_TOKEN,
						"{\"slug\":\"hooked\",\"name\":\"Hooked\",\"ownerEmail\":\"owner@hooked.test\"}")
					.body());
			String key = "Bearer " + company.path("apiKey").path("secret").asString();
			HttpResponse<String> endpoint = this.node.post("hooked.localhost", "/api/v1/webhook-endpoints", key,
					"{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort()
							+ "/hook\",\"eventTypes\":[\"person.*\"]}");
			assertThat(endpoint.statusCode()).as(endpoint.body()).isEqualTo(201);

			AtomicBoolean writing = new AtomicBoolean(true);
			Thread writer = Thread.ofPlatform().start(() -> {
				for (int i = 0; writing.get(); i++) {
					try {
						HttpResponse<String> created = this.node.post("hooked.localhost", "/api/v1/people", key,
								"{\"email\":\"p" + i + "@hooked.test\",\"lastName\":\"P" + i + "\"}");
						if (created.statusCode() == 201) {
							String id = JSON.readTree(created.body()).path("id").asString();
							this.node.patch("hooked.localhost", "/api/v1/people/" + id, key,
									"{\"title\":\"T" + i + "\"}");
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

			Process second = this.node.start();
			this.node.awaitHealthy(second);
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
			JsonNode page = JSON.readTree(this.node.get("hooked.localhost",
					"/api/v1/events?types=person.*&limit=1000" + (after.isEmpty() ? "" : "&after=" + after), key)
				.body());
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

}
