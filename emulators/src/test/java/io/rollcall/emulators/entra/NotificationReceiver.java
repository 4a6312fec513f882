package io.rollcall.emulators.entra;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.rollcall.emulators.http.HttpCall;
import tools.jackson.databind.JsonNode;

/** A webhook endpoint for the tests: echoes validation tokens, records notification bodies, can be made to fail. */
final class NotificationReceiver implements AutoCloseable {

    private final HttpServer server;
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private final List<String> hosts = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile boolean validationEcho = true;
    private volatile Duration delay = Duration.ZERO;

    NotificationReceiver() throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        this.server.createContext("/", this::handle);
        this.server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
    }

    /** Answer the next n notifications with 503. */
    void failNext(int n) {
        this.failuresLeft.set(n);
    }

    void validationEcho(boolean echo) {
        this.validationEcho = echo;
    }

    void delay(Duration delay) {
        this.delay = delay;
    }

    /** Host headers of every request received. */
    List<String> hosts() {
        return List.copyOf(this.hosts);
    }

    int port() {
        return this.server.getAddress().getPort();
    }

    List<JsonNode> bodies() {
        return List.copyOf(this.bodies);
    }

    /** Every notification item received (bodies flattened). */
    List<JsonNode> items() {
        List<JsonNode> items = new ArrayList<>();
        for (JsonNode body : this.bodies) {
            body.get("value").forEach(items::add);
        }
        return items;
    }

    List<JsonNode> awaitItems(Predicate<List<JsonNode>> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<JsonNode> items = items();
            if (done.test(items)) {
                return items;
            }
            Thread.sleep(20);
        }
        return items();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            this.hosts.add(exchange.getRequestHeaders().getFirst("Host"));
            String query = exchange.getRequestURI().getRawQuery();
            if (query != null && query.startsWith("validationToken=")) {
                String token = URLDecoder.decode(query.substring("validationToken=".length()), StandardCharsets.UTF_8);
                byte[] bytes = (this.validationEcho ? token : "nope").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!this.delay.isZero()) {
                Thread.sleep(this.delay);
            }
            if (this.failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            this.bodies.add(HttpCall.JSON.readTree(body));
            exchange.sendResponseHeaders(202, -1);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        this.server.stop(0);
    }
}
