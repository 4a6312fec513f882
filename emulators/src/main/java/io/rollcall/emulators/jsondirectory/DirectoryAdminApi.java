package io.rollcall.emulators.jsondirectory;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import io.rollcall.emulators.http.AdminRequests;
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
        AdminRequests.handle(call, this::route);
    }

    private void route(HttpCall call, List<String> s) {
        PeopleDirectory people = this.emulator.people();
        String method = call.method();
        String first = s.isEmpty() ? "" : s.get(0);
        switch (first) {
            case "" ->
                call.respondValue(200, Map.of("peopleUrl", this.emulator.peopleUrl(), "token", this.emulator.token(),
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
                    call.respondValue(200, people.person(s.get(1))
                        .orElseThrow(() -> new NoSuchElementException("No person " + s.get(1))));
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
                    this.emulator.faults().set(call.json());
                }
                Map<String, Object> answer = this.emulator.faults().asMap();
                call.respondValue(200, answer);
            }
            default -> throw new NoSuchElementException("No admin endpoint /_emulator/" + String.join("/", s));
        }
    }

}
