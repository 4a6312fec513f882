package io.rollcall.emulators.jsondirectory;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import io.rollcall.emulators.http.Faults;
import io.rollcall.emulators.http.HttpCall;

/**
 * The people endpoint, {@code GET /people?limit=N[&cursor=...]}, as the contract in Rollcall's README says: a bearer
 * token (401 {@code invalid_token} otherwise), pages of {@code people} with a {@code next} link while more follow,
 * {@code limit} 1 to {@value #MAX_LIMIT} (default {@value #DEFAULT_LIMIT}), errors as
 * {@code {"error": code, "message": text}}; 429 with {@code Retry-After} (seconds) and 503 when the faults say so.
 */
final class PeopleApi {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;

    private final JsonDirectoryEmulator emulator;

    PeopleApi(JsonDirectoryEmulator emulator) {
        this.emulator = emulator;
    }

    void handle(HttpCall call) throws InterruptedException {
        if (!call.method().equals("GET") || call.segments().size() != 1) {
            error(call, 404, "not_found", "Only GET /people is served here");
            return;
        }
        String expected = "Bearer " + this.emulator.token();
        if (!expected.equals(call.header("Authorization").orElse(null))) {
            this.emulator.counters().add("unauthorized", 1);
            call.responseHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            error(call, 401, "invalid_token", "The bearer token is missing or not valid");
            return;
        }
        Faults faults = this.emulator.faults();
        if (faults.latency().isPositive()) {
            Thread.sleep(faults.latency());
        }
        switch (faults.nextRequest()) {
            case THROTTLE -> {
                this.emulator.counters().add("throttled", 1);
                call.responseHeader("Retry-After", String.valueOf(Math.max(1, faults.retryAfter().toSeconds())));
                error(call, 429, "rate_limited", "Too many requests; try again after Retry-After seconds");
                return;
            }
            case SERVER_ERROR -> {
                this.emulator.counters().add("serverErrors", 1);
                error(call, 503, "unavailable", "The directory is unavailable");
                return;
            }
            case DROP -> {
                this.emulator.counters().add("dropped", 1);
                call.drop();
            }
            case NONE -> {
            }
        }
        int limit;
        try {
            limit = Integer.parseInt(call.query("limit").orElse(String.valueOf(DEFAULT_LIMIT)));
        }
        catch (NumberFormatException ex) {
            limit = 0;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            error(call, 400, "invalid_request", "limit must be a number from 1 to " + MAX_LIMIT);
            return;
        }
        String after;
        try {
            after = call.query("cursor").map(PeopleApi::decode).orElse(null);
        }
        catch (IllegalArgumentException ex) {
            error(call, 400, "invalid_cursor", "The cursor is not one this directory made");
            return;
        }
        PeopleDirectory people = this.emulator.people();
        List<DirectoryPerson> page = people.page(after, limit);
        String last = page.isEmpty() ? null : page.get(page.size() - 1).id();
        String next = last != null && page.size() == limit && people.anyAfter(last)
                ? this.emulator.peopleUrl() + "?limit=" + limit + "&cursor=" + encode(last) : null;
        call.respondJson(200, json -> {
            json.writeStartObject();
            json.writeArrayPropertyStart("people");
            for (DirectoryPerson person : page) {
                json.writeStartObject();
                json.writeStringProperty("id", person.id());
                optional(json, "email", person.email());
                optional(json, "givenName", person.givenName());
                optional(json, "familyName", person.familyName());
                optional(json, "displayName", person.displayName());
                optional(json, "department", person.department());
                optional(json, "jobTitle", person.jobTitle());
                optional(json, "managerId", person.managerId());
                json.writeBooleanProperty("active", person.active());
                optional(json, "pictureUrl", person.pictureUrl());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeStringProperty("next", next);
            json.writeEndObject();
        });
    }

    private static void optional(tools.jackson.core.JsonGenerator json, String name, String value) {
        if (value != null) {
            json.writeStringProperty(name, value);
        }
    }

    static void error(HttpCall call, int status, String code, String message) {
        call.respondJson(status, json -> {
            json.writeStartObject();
            json.writeStringProperty("error", code);
            json.writeStringProperty("message", message);
            json.writeEndObject();
        });
    }

    private static String encode(String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("after:" + id).getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        if (!text.startsWith("after:")) {
            throw new IllegalArgumentException("not a cursor");
        }
        return text.substring("after:".length());
    }

}
