package io.rollcall.emulators.entra;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import io.rollcall.emulators.http.HttpCall;
import tools.jackson.databind.JsonNode;

/** A plain HTTP client for the tests: what a Graph client does, without any of its cleverness. */
final class GraphTestClient {

    record Response(int status, JsonNode json, HttpResponse<byte[]> raw) {
        String header(String name) {
            return this.raw.headers().firstValue(name).orElse(null);
        }
    }

    private final HttpClient http;
    private final EntraEmulator emulator;
    private String token;

    GraphTestClient(EntraEmulator emulator) {
        this(emulator, HttpClient.newHttpClient());
    }

    GraphTestClient(EntraEmulator emulator, HttpClient http) {
        this.emulator = emulator;
        this.http = http;
    }

    Response token(String tenant, String clientId, String secret) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("client_id", clientId);
        form.put("client_secret", secret);
        form.put("scope", "https://graph.microsoft.com/.default");
        form.put("grant_type", "client_credentials");
        Response response = postForm(this.emulator.tokenUrl(tenant), form);
        if (response.status() == 200) {
            this.token = response.json().get("access_token").asString();
        }
        return response;
    }

    GraphTestClient signIn(EntraTenant tenant) {
        Response response = token(tenant.tenantId(), tenant.clientId(), tenant.clientSecret());
        if (response.status() != 200) {
            throw new AssertionError("token failed: " + response.json());
        }
        return this;
    }

    String accessToken() {
        return this.token;
    }

    Response postForm(String url, Map<String, String> form) {
        String body = form.entrySet()
            .stream()
            .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
    }

    /** GET a Graph path (relative to graphUrl) or an absolute URL. */
    Response get(String pathOrUrl, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(absolute(pathOrUrl))).GET();
        return send(authorize(builder, headers).build());
    }

    Response post(String pathOrUrl, String json) {
        return send(authorize(HttpRequest.newBuilder(URI.create(absolute(pathOrUrl)))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))).build());
    }

    Response patch(String pathOrUrl, String json) {
        return send(authorize(HttpRequest.newBuilder(URI.create(absolute(pathOrUrl)))
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(json))).build());
    }

    Response delete(String pathOrUrl) {
        return send(authorize(HttpRequest.newBuilder(URI.create(absolute(pathOrUrl))).DELETE()).build());
    }

    private HttpRequest.Builder authorize(HttpRequest.Builder builder, String... headers) {
        if (this.token != null) {
            builder.header("Authorization", "Bearer " + this.token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder;
    }

    private String absolute(String pathOrUrl) {
        return pathOrUrl.startsWith("http") ? pathOrUrl : this.emulator.graphUrl() + pathOrUrl;
    }

    Response send(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = null;
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (type.startsWith("application/json") && response.body().length > 0) {
                json = HttpCall.JSON.readTree(response.body());
            }
            return new Response(response.statusCode(), json, response);
        }
        catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
