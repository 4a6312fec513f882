package io.rollcall.emulators.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.sun.net.httpserver.HttpExchange;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One HTTP exchange as an emulator sees it: the request decoded (path segments, query, form, JSON) and
 * helpers to answer it. JSON is written with a streaming generator straight from the emulator's data.
 */
public final class HttpCall {

    /** The one JSON mapper of the emulators. */
    public static final JsonMapper JSON = JsonMapper.builder().build();

    /** Writes a JSON body with a streaming generator. */
    @FunctionalInterface
    public interface JsonBody {
        void write(JsonGenerator json) throws IOException;
    }

    /** Thrown to cut the connection without any answer, as a flaky network would. */
    static final class DroppedConnection extends RuntimeException {
        DroppedConnection() {
            super("connection dropped on purpose", null, false, false);
        }
    }

    private final HttpExchange exchange;
    private final List<String> segments;
    private final Map<String, String> query;
    private byte[] body;
    private boolean responded;
    private int status;

    HttpCall(HttpExchange exchange) {
        this.exchange = exchange;
        String rawPath = exchange.getRequestURI().getRawPath();
        List<String> parts = new ArrayList<>();
        for (String part : rawPath.split("/")) {
            if (!part.isEmpty()) {
                parts.add(URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        this.segments = Collections.unmodifiableList(parts);
        this.query = Collections.unmodifiableMap(parseForm(exchange.getRequestURI().getRawQuery()));
    }

    /** Parses {@code a=1&b=2} (URL-encoded) keeping the first value of each name. */
    public static Map<String, String> parseForm(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.putIfAbsent(name, value);
        }
        return values;
    }

    public String method() {
        return this.exchange.getRequestMethod();
    }

    public URI uri() {
        return this.exchange.getRequestURI();
    }

    /** The raw path without query, e.g. {@code /v1.0/users/abc}. */
    public String path() {
        return this.exchange.getRequestURI().getRawPath();
    }

    /** The decoded, non-empty path segments. */
    public List<String> segments() {
        return this.segments;
    }

    public String segment(int index) {
        return index < this.segments.size() ? this.segments.get(index) : null;
    }

    public Map<String, String> query() {
        return this.query;
    }

    public Optional<String> query(String name) {
        return Optional.ofNullable(this.query.get(name));
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(this.exchange.getRequestHeaders().getFirst(name));
    }

    public byte[] body() {
        if (this.body == null) {
            try {
                this.body = this.exchange.getRequestBody().readAllBytes();
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return this.body;
    }

    public String bodyText() {
        return new String(body(), StandardCharsets.UTF_8);
    }

    /** The body as an {@code application/x-www-form-urlencoded} form. */
    public Map<String, String> form() {
        return parseForm(bodyText());
    }

    /** The body as JSON; throws {@link BadRequest} when it is not. */
    public JsonNode json() {
        try {
            byte[] bytes = body();
            if (bytes.length == 0) {
                throw new BadRequest("The request body is empty; a JSON object was expected.");
            }
            return JSON.readTree(bytes);
        }
        catch (tools.jackson.core.JacksonException ex) {
            throw new BadRequest("The request body is not valid JSON: " + ex.getOriginalMessage());
        }
    }

    /** Adds a response header; call before responding. */
    public HttpCall responseHeader(String name, String value) {
        this.exchange.getResponseHeaders().add(name, value);
        return this;
    }

    public boolean responded() {
        return this.responded;
    }

    /** The status sent, or 0 while none was. */
    public int status() {
        return this.status;
    }

    public void respondJson(int status, JsonBody body) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
        try (JsonGenerator json = JSON.createGenerator(buffer)) {
            body.write(json);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        respond(status, "application/json; charset=utf-8", buffer.toByteArray());
    }

    /** Answers with a value serialized by Jackson (records, maps, lists). */
    public void respondValue(int status, Object value) {
        respond(status, "application/json; charset=utf-8", JSON.writeValueAsBytes(value));
    }

    public void respondText(int status, String contentType, String text) {
        respond(status, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    public void respondEmpty(int status) {
        respond(status, null, new byte[0]);
    }

    public void redirect(String location) {
        responseHeader("Location", location);
        respondEmpty(302);
    }

    public void respond(int status, String contentType, byte[] bytes) {
        if (this.responded) {
            throw new IllegalStateException("Already responded to " + path());
        }
        this.responded = true;
        this.status = status;
        try {
            if (contentType != null) {
                this.exchange.getResponseHeaders().set("Content-Type", contentType);
            }
            boolean noBody = bytes.length == 0 || "HEAD".equals(method());
            this.exchange.sendResponseHeaders(status, noBody ? -1 : bytes.length);
            if (!noBody) {
                try (OutputStream out = this.exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
        catch (IOException ex) {
            // The client went away; nothing to tell it.
        }
    }

    /** Cuts the TCP connection without answering. */
    public void drop() {
        this.responded = true;
        throw new DroppedConnection();
    }

    void failSafely(Throwable ex) {
        if (this.responded) {
            return;
        }
        if (ex instanceof BadRequest bad) {
            respondJson(400, json -> {
                json.writeStartObject();
                json.writeObjectPropertyStart("error");
                json.writeStringProperty("code", "BadRequest");
                json.writeStringProperty("message", bad.getMessage());
                json.writeEndObject();
                json.writeEndObject();
            });
            return;
        }
        String message = String.valueOf(ex);
        respondJson(500, json -> {
            json.writeStartObject();
            json.writeObjectPropertyStart("error");
            json.writeStringProperty("code", "EmulatorBug");
            json.writeStringProperty("message", message);
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    void finish() {
        this.exchange.close();
    }
}
