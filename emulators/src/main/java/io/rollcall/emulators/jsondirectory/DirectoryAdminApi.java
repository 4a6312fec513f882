package io.rollcall.emulators.jsondirectory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import io.rollcall.emulators.http.BadRequest;
import io.rollcall.emulators.http.HttpCall;
import tools.jackson.databind.JsonNode;

/**
 * The emulator's own HTTP API under {@code /_emulator}, for the demo and manual use: the people (list, put, remove,
 * generate), the token, the faults and the counters. Unauthenticated: the emulator is a local test tool. Errors
 * answer {@code {"error": ...}}.
 */
final class DirectoryAdminApi {

    private final JsonDirectoryEmulator emulator;

    DirectoryAdminApi(JsonDirectoryEmulator emulator) {
        this.emulator = emulator;
    }

    void handle(HttpCall call) {
        try {
            route(call, call.segments().subList(1, call.segments().size()));
        }
        catch (IllegalArgumentException | IllegalStateException | BadRequest ex) {
            call.respondValue(400, Map.of("error", String.valueOf(ex.getMessage())));
        }
        catch (NoSuchElementException ex) {
            call.respondValue(404, Map.of("error", String.valueOf(ex.getMessage())));
        }
    }

    private void route(HttpCall call, List<String> s) {
        PeopleDirectory people = this.emulator.people();
        String method = call.method();
        String first = s.isEmpty() ? "" : s.get(0);
        switch (first) {
            case "" -> call.respondValue(200, Map.of("peopleUrl", this.emulator.peopleUrl(), "token", this.emulator.token(),
                    "people", people.size()));
            case "generate" -> {
                JsonNode body = call.json();
                List<DirectoryPerson> made = people.generate(body.path("people").asInt(100),
                        body.path("departments").asInt(5), body.path("domain").asString("example.com"),
                        body.path("seed").asLong(42));
                call.respondValue(201, Map.of("people", made.size()));
            }
            case "people" -> {
                if (s.size() == 1) {
                    call.respondValue(200, people.list());
                }
                else if (method.equals("PUT")) {
                    DirectoryPerson person = HttpCall.JSON.treeToValue(call.json(), DirectoryPerson.class);
                    if (!s.get(1).equals(person.id())) {
                        throw new BadRequest("The body's id must be the path's, " + s.get(1));
                    }
                    call.respondValue(200, people.put(person));
                }
                else if (method.equals("DELETE")) {
                    people.remove(s.get(1));
                    call.respondEmpty(204);
                }
                else {
                    call.respondValue(200, people.person(s.get(1)).orElseThrow(() -> new NoSuchElementException("No person " + s.get(1))));
                }
            }
            case "token" -> {
                if (method.equals("POST")) {
                    this.emulator.token(call.json().path("token").asString(null));
                }
                call.respondValue(200, Map.of("token", this.emulator.token()));
            }
            case "counters" -> call.respondValue(200, this.emulator.counters().snapshot());
            case "faults" -> {
                if (method.equals("POST")) {
                    JsonNode body = call.json();
                    this.emulator.faults().reset()
                            .throttleShare(body.path("throttleShare").asDouble(0))
                            .serverErrorShare(body.path("serverErrorShare").asDouble(0))
                            .dropShare(body.path("dropShare").asDouble(0))
                            .latency(Duration.ofMillis(body.path("latencyMillis").asLong(0)))
                            .retryAfter(Duration.ofSeconds(body.path("retryAfterSeconds").asLong(1)));
                }
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("throttleShare", this.emulator.faults().throttleShare());
                answer.put("serverErrorShare", this.emulator.faults().serverErrorShare());
                answer.put("dropShare", this.emulator.faults().dropShare());
                answer.put("latencyMillis", this.emulator.faults().latency().toMillis());
                answer.put("retryAfterSeconds", this.emulator.faults().retryAfter().toSeconds());
                call.respondValue(200, answer);
            }
            default -> throw new NoSuchElementException("No admin endpoint /_emulator/" + String.join("/", s));
        }
    }

}
