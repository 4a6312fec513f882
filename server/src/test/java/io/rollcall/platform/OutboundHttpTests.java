package io.rollcall.platform;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.apache.hc.core5.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbound client against a local receiver: made by its first request, not by its owner's start. */
class OutboundHttpTests {

	private HttpServer server;

	private URI receiver;

	private final AtomicInteger received = new AtomicInteger();

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/hook", exchange -> {
			this.received.incrementAndGet();
			byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.server.start();
		this.receiver = URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/hook");
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	@Test
	void newWhenNothingSentThenNoClientMadeUntilTheFirstPost() {
		long evictorsBefore = idleConnectionEvictors();
		try (OutboundHttp http = OutboundHttp.toAnyAddress("Rollcall-Test/1", 2)) {
			assertThat(idleConnectionEvictors()).isEqualTo(evictorsBefore);

			OutboundHttp.Answer answer = http.post(this.receiver, Map.of(), "{}", ContentType.APPLICATION_JSON);

			assertThat(answer.delivered()).as(answer.answer()).isTrue();
			assertThat(answer.answer()).isEqualTo("ok");
			assertThat(idleConnectionEvictors()).isEqualTo(evictorsBefore + 1);
			http.post(this.receiver, Map.of(), "{}", ContentType.APPLICATION_JSON);
			assertThat(idleConnectionEvictors()).as("one client, kept").isEqualTo(evictorsBefore + 1);
		}
		assertThat(this.received).hasValue(2);
	}

	@Test
	void postWhenClosedBeforeAnyRequestThenNotSentAndSaysWhy() {
		OutboundHttp http = OutboundHttp.toAnyAddress("Rollcall-Test/1", 2);
		http.close();

		OutboundHttp.Answer answer = http.post(this.receiver, Map.of(), "{}", ContentType.APPLICATION_JSON);

		assertThat(answer.delivered()).isFalse();
		assertThat(answer.status()).isNull();
		assertThat(answer.answer()).contains("Rollcall is stopping");
		assertThat(this.received).hasValue(0);
	}

	/** Each Apache client made keeps one thread evicting its idle connections. */
	private static long idleConnectionEvictors() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(thread -> thread.isAlive() && thread.getName().startsWith("idle-connection-evictor"))
			.count();
	}

}
