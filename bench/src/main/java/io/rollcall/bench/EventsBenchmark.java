package io.rollcall.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;

/**
 * Webhooks under load: receivers on loopback (in this JVM, answering 204 at once) and a server that makes changes
 * by the ten thousand. A delivery's latency runs from the event's {@code occurredAt} (its transaction's start, so
 * a little before its commit: the figure is an upper bound of commit → delivery) to the receiver reading it.
 */
final class EventsBenchmark {

	private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

	private static final Pattern OCCURRED = Pattern.compile("\"occurredAt\":\"([^\"]+)\"");

	private final ScimBenchmark.Http http;

	private final BiConsumer<String, String> row;

	private final String host;

	private final String apiKey;

	private final long serverPid;

	EventsBenchmark(ScimBenchmark.Http http, BiConsumer<String, String> row, String host, String apiKey,
			long serverPid) {
		this.serverPid = serverPid;
		this.http = http;
		this.row = row;
		this.host = host;
		this.apiKey = apiKey;
	}

	/** A receiver that counts deliveries and keeps each one's latency. */
	static final class Receiver implements AutoCloseable {

		final HttpServer server;

		final List<Long> latenciesMicros = Collections.synchronizedList(new ArrayList<>());

		final AtomicLong deliveries = new AtomicLong();

		private final ExecutorService threads = Executors.newFixedThreadPool(16);

		Receiver() throws IOException {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
			this.server.setExecutor(this.threads);
			this.server.createContext("/hook", exchange -> {
				byte[] body = exchange.getRequestBody().readAllBytes();
				Instant now = Instant.now();
				Matcher occurred = OCCURRED.matcher(new String(body, 0, Math.min(body.length, 400),
						java.nio.charset.StandardCharsets.UTF_8));
				if (occurred.find()) {
					Instant at = Instant.parse(occurred.group(1));
					this.latenciesMicros.add(java.time.Duration.between(at, now).toNanos() / 1000);
				}
				this.deliveries.incrementAndGet();
				exchange.sendResponseHeaders(204, -1);
				exchange.close();
			});
			this.server.start();
		}

		String url() {
			return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/hook";
		}

		@Override
		public void close() {
			this.server.stop(0);
			this.threads.shutdownNow();
		}

	}

	/** Registers an endpoint for these types; its id. */
	String endpoint(Receiver receiver, String types) throws Exception {
		return endpoint(receiver, types, true);
	}

	private String endpoint(Receiver receiver, String types, boolean enabled) throws Exception {
		HttpResponse<String> created = this.http.send("POST", this.host, "/api/v1/webhook-endpoints", this.apiKey,
				"{\"url\":\"" + receiver.url() + "\",\"eventTypes\":[" + types + "],\"enabled\":" + enabled + "}");
		if (created.statusCode() != 201) {
			throw new IllegalStateException("Endpoint refused: " + created.statusCode() + " " + created.body());
		}
		Matcher id = ID.matcher(created.body());
		id.find();
		return id.group(1);
	}

	/**
	 * What this machine can do at most, each part alone: the SCIM PATCHes of 1,000 members back to back with no endpoint
	 * listening (the fan-out's generator), then three endpoints switched on with those events waiting (Rollcall's
	 * deliveries with nothing else running: the ceiling of the fan-out on this machine).
	 */
	void capacity(List<String> memberIds, String scimToken) throws Exception {
		try (Receiver a = new Receiver(); Receiver b = new Receiver(); Receiver c = new Receiver()) {
			List<Receiver> receivers = List.of(a, b, c);
			List<String> endpoints = new ArrayList<>();
			for (Receiver receiver : receivers) {
				endpoints.add(endpoint(receiver, "\"membership.*\"", false));
			}
			String group = group(scimToken, "Capacity");
			List<Long> patchMillis = new ArrayList<>();
			long start = System.nanoTime();
			long events = 0;
			for (int tick = 0; tick < 100; tick++) {
				patchMillis.add(patch(memberIds, scimToken, group, tick, 1000));
				events += 1000;
			}
			double made = (System.nanoTime() - start) / 1e9;
			Collections.sort(patchMillis);
			this.row.accept(
					"fan-out's generator alone: SCIM PATCHes of 1,000 members back to back, no endpoint listening",
					String.format("%d membership events in %.1f s: %.0f events/s; PATCH median %d ms", events, made,
							events / made, patchMillis.get(patchMillis.size() / 2)));
			CpuShares.Reading before = CpuShares.read(this.serverPid);
			long enabled = System.nanoTime();
			for (String endpoint : endpoints) {
				this.http.send("PATCH", this.host, "/api/v1/webhook-endpoints/" + endpoint, this.apiKey,
						"{\"enabled\":true}");
			}
			long deadline = enabled + 600_000_000_000L;
			while (System.nanoTime() < deadline && !allHave(receivers, events)) {
				Thread.sleep(20);
			}
			double drained = (System.nanoTime() - enabled) / 1e9;
			CpuShares.Reading after = CpuShares.read(this.serverPid);
			long delivered = receivers.stream().mapToLong(r -> r.deliveries.get()).sum();
			this.row.accept("deliveries alone: 3 endpoints switched on with those events waiting",
					String.format("%d deliveries in %.1f s: **%.0f deliveries/s** (%.0f events/s to each endpoint); %s",
							delivered, drained, delivered / drained, delivered / drained / 3,
							CpuShares.perItem(before, after, delivered, "delivery")));
			endpoints.forEach(this::delete);
		}
	}

	/** Deletes an endpoint, so that it costs nothing in the parts after its own. */
	void delete(String endpoint) {
		try {
			this.http.send("DELETE", this.host, "/api/v1/webhook-endpoints/" + endpoint, this.apiKey, null);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Endpoint " + endpoint + " not deleted", ex);
		}
	}

	private String group(String scimToken, String name) throws Exception {
		String group = this.http.send("POST", this.host, "/scim/v2/Groups", scimToken,
				"{\"displayName\":\"" + name + "\",\"members\":[]}")
			.body();
		Matcher groupId = ID.matcher(group);
		if (!groupId.find()) {
			throw new IllegalStateException("Group not created: " + group);
		}
		return groupId.group(1);
	}

	/**
	 * Adds or removes {@code size} members: the 10,000 people in slices of {@code size}, added slice by slice, then
	 * removed slice by slice; the PATCH's milliseconds.
	 */
	private long patch(List<String> memberIds, String scimToken, String group, int tick, int size) throws Exception {
		int slices = memberIds.size() / size;
		int from = (tick % slices) * size;
		boolean add = (tick / slices) % 2 == 0;
		StringBuilder members = new StringBuilder();
		for (int i = from; i < from + size; i++) {
			members.append(members.isEmpty() ? "" : ",").append("{\"value\":\"").append(memberIds.get(i)).append("\"}");
		}
		String body = add ? "{\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":[" + members + "]}]}"
				: "{\"Operations\":[{\"op\":\"remove\",\"path\":\"members\",\"value\":[" + members + "]}]}";
		long t = System.nanoTime();
		HttpResponse<String> response = this.http.send("PATCH", this.host, "/scim/v2/Groups/" + group, scimToken, body);
		if (response.statusCode() != 204) {
			throw new IllegalStateException(response.statusCode() + " " + response.body());
		}
		return (System.nanoTime() - t) / 1_000_000;
	}

	/**
	 * Fan-out: a SCIM group gains or loses {@code perSecond / 10} members every 100 ms ({@code perSecond} membership
	 * events a second) for {@code seconds}, delivered to three endpoints; then waits until every receiver has every
	 * event.
	 */
	void fanOut(List<String> memberIds, String scimToken, int seconds, int perSecond) throws Exception {
		try (Receiver a = new Receiver(); Receiver b = new Receiver(); Receiver c = new Receiver()) {
			List<Receiver> receivers = List.of(a, b, c);
			List<String> endpoints = new ArrayList<>();
			for (Receiver receiver : receivers) {
				endpoints.add(endpoint(receiver, "\"membership.*\""));
			}
			String group = group(scimToken, "Fan-out");
			List<Long> commitMillis = new ArrayList<>();
			long start = System.nanoTime();
			long events = 0;
			for (int tick = 0; tick < seconds * 10; tick++) {
				long due = start + tick * 100_000_000L;
				while (System.nanoTime() < due) {
					Thread.sleep(1);
				}
				commitMillis.add(patch(memberIds, scimToken, group, tick, perSecond / 10));
				events += perSecond / 10;
			}
			double made = (System.nanoTime() - start) / 1e9;
			long lastCommit = System.nanoTime();
			long deadline = lastCommit + 300_000_000_000L;
			while (System.nanoTime() < deadline && !allHave(receivers, events)) {
				Thread.sleep(20);
			}
			double drained = (System.nanoTime() - lastCommit) / 1e9;
			List<Long> all = new ArrayList<>();
			receivers.forEach(r -> all.addAll(r.latenciesMicros));
			Collections.sort(all);
			Collections.sort(commitMillis);
			this.row.accept(String.format(
					"fan-out at %,d events/s: %d membership events in %.1f s (%.0f/s, %d a SCIM PATCH every 100 ms, "
							+ "PATCH median %d ms) to 3 endpoints on loopback",
					perSecond, events, made, events / made, perSecond / 10,
					commitMillis.get(commitMillis.size() / 2)),
					String.format("%d deliveries of %d; occurredAt → received p50 %.0f ms, p99 %.0f ms, max %.0f ms; "
							+ "last delivery %.1f s after the last commit", all.size(), events * 3, pct(all, 50) / 1000,
							pct(all, 99) / 1000, pct(all, 100) / 1000, drained));
			endpoints.forEach(this::delete);
		}
	}

	private static boolean allHave(List<Receiver> receivers, long events) {
		return receivers.stream().allMatch(r -> r.deliveries.get() >= events);
	}

	private static double pct(List<Long> sorted, int percentile) {
		if (sorted.isEmpty()) {
			return Double.NaN;
		}
		int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
	}

}
