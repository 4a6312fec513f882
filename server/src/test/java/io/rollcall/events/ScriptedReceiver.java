package io.rollcall.events;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A receiver on loopback whose answers the test scripts: fail, recover, redirect, answer slowly. */
final class ScriptedReceiver implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** A request as it arrived, and when (real time). */
	record Received(String path, Map<String, List<String>> headers, String body, Instant at) {

		JsonNode event() {
			return JSON.readTree(this.body);
		}

		String header(String name) {
			return this.headers.entrySet()
				.stream()
				.filter(e -> e.getKey().equalsIgnoreCase(name))
				.map(e -> e.getValue().getFirst())
				.findFirst()
				.orElse(null);
		}

	}

	/** The answer to give: status, a Location header (for redirects) or null, and how long to wait first. */
	record Answer(int status, String location, long delayMillis) {

		static Answer of(int status) {
			return new Answer(status, null, 0);
		}

	}

	private final HttpServer server;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private volatile Function<Received, Answer> script;

	ScriptedReceiver(Function<Received, Answer> script) throws IOException {
		this.script = script;
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.createContext("/", exchange -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			Received request = new Received(exchange.getRequestURI().getPath(),
					Map.copyOf(exchange.getRequestHeaders()),
					body, Instant.now());
			this.received.add(request);
			Answer answer = this.script.apply(request);
			try {
				Thread.sleep(answer.delayMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			if (answer.location() != null) {
				exchange.getResponseHeaders().add("Location", answer.location());
			}
			byte[] reply = ("answer " + answer.status()).getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(answer.status(), answer.status() == 204 ? -1 : reply.length);
			if (answer.status() != 204) {
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(reply);
				}
			}
			exchange.close();
		});
		this.server.start();
	}

	void script(Function<Received, Answer> script) {
		this.script = script;
	}

	String url(String path) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
	}

	List<Received> received() {
		return List.copyOf(this.received);
	}

	List<Received> received(String path) {
		return this.received.stream().filter(r -> r.path().equals(path)).toList();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
