package io.rollcall.emulators.okta;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.rollcall.emulators.http.HttpCall;
import tools.jackson.databind.JsonNode;

/** An event-hook endpoint for the tests: answers the verification challenge, records POSTs, can fail on demand. */
final class HookReceiver implements AutoCloseable {

    private final HttpServer server;
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile boolean echo = true;

    HookReceiver() throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        this.server.createContext("/", this::handle);
        this.server.start();
    }

    String url() {
        return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/hooks/okta";
    }

    void failNext(int n) {
        this.failuresLeft.set(n);
    }

    void echo(boolean echo) {
        this.echo = echo;
    }

    List<JsonNode> bodies() {
        return List.copyOf(this.bodies);
    }

    List<String> authorizations() {
        return List.copyOf(this.authorizations);
    }

    /** Every event received, in arrival order. */
    List<JsonNode> events() {
        List<JsonNode> events = new ArrayList<>();
        for (JsonNode body : this.bodies) {
            body.path("data").path("events").forEach(events::add);
        }
        return events;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String challenge = exchange.getRequestHeaders().getFirst("X-Okta-Verification-Challenge");
        if (exchange.getRequestMethod().equals("GET")) {
            byte[] answer = (this.echo && challenge != null ? "{\"verification\":\"" + challenge + "\"}" : "{}")
                .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
            return;
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (this.failuresLeft.getAndDecrement() > 0) {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
            return;
        }
        this.authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
        this.bodies.add(HttpCall.JSON.readTree(body));
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
    }

    @Override
    public void close() {
        this.server.stop(0);
    }
}
