package io.rollcall.emulators.jsondirectory;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.rollcall.emulators.http.HttpCall;
import tools.jackson.databind.JsonNode;

class JsonDirectoryEmulatorTests {

    private final HttpClient http = HttpClient.newHttpClient();
    private JsonDirectoryEmulator hr;

    @BeforeEach
    void start() {
        this.hr = JsonDirectoryEmulator.start();
    }

    @AfterEach
    void stop() {
        this.hr.close();
    }

    @Test
    void peopleWhenPagedByNextThenEachPersonOnceInIdOrder() throws Exception {
        List<DirectoryPerson> made = this.hr.people().generate(23, 3, "acme.example", 7);
        List<String> seen = new ArrayList<>();
        String url = this.hr.peopleUrl() + "?limit=10";
        int pages = 0;
        while (url != null) {
            HttpResponse<String> response = get(url, "Bearer " + this.hr.token());
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode page = HttpCall.JSON.readTree(response.body());
            page.path("people").forEach(person -> seen.add(person.path("id").asString()));
            url = page.path("next").isNull() ? null : page.path("next").asString();
            pages++;
        }
        assertThat(seen).containsExactlyElementsOf(made.stream().map(DirectoryPerson::id).toList());
        assertThat(pages).isEqualTo(3);
        DirectoryPerson someone = made.get(10);
        assertThat(someone.managerId()).isNotNull();
        assertThat(this.hr.people().person(someone.managerId()).orElseThrow().department())
            .isEqualTo(someone.department());
    }

    @Test
    void peopleWhenSomeoneLeavesBetweenPagesThenTheCursorStillReadsTheRestOnce() throws Exception {
        this.hr.people().generate(6, 2, "acme.example", 7);
        JsonNode first = HttpCall.JSON
            .readTree(get(this.hr.peopleUrl() + "?limit=3", "Bearer " + this.hr.token()).body());
        this.hr.people().remove("e-0003");
        this.hr.people().remove("e-0004");
        JsonNode second = HttpCall.JSON
            .readTree(get(first.path("next").asString(), "Bearer " + this.hr.token()).body());
        assertThat(second.path("people").findValuesAsString("id")).containsExactly("e-0005", "e-0006");
        assertThat(second.path("next").isNull()).isTrue();
    }

    @Test
    void peopleWhenNoTokenOrAWrongOneThen401WithAJsonError() throws Exception {
        for (String authorization : new String[] { null, "Bearer wrong", this.hr.token() }) {
            HttpResponse<String> response = get(this.hr.peopleUrl(), authorization);
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
            assertThat(HttpCall.JSON.readTree(response.body()).path("error").asString()).isEqualTo("invalid_token");
        }
        assertThat(this.hr.counters().get("unauthorized")).isEqualTo(3);
    }

    @Test
    void peopleWhenThrottledThen429WithRetryAfterAndWhenFailingThen503() throws Exception {
        this.hr.faults().throttleShare(1.0);
        HttpResponse<String> throttled = get(this.hr.peopleUrl(), "Bearer " + this.hr.token());
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(HttpCall.JSON.readTree(throttled.body()).path("error").asString()).isEqualTo("rate_limited");

        this.hr.faults().reset().serverErrorShare(1.0);
        HttpResponse<String> failed = get(this.hr.peopleUrl(), "Bearer " + this.hr.token());
        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(HttpCall.JSON.readTree(failed.body()).path("error").asString()).isEqualTo("unavailable");

        this.hr.faults().reset();
        assertThat(get(this.hr.peopleUrl(), "Bearer " + this.hr.token()).statusCode()).isEqualTo(200);
        assertThat(this.hr.counters().get("throttled")).isEqualTo(1);
        assertThat(this.hr.counters().get("serverErrors")).isEqualTo(1);
    }

    @Test
    void peopleWhenLimitOutOfRangeOrCursorForeignThen400() throws Exception {
        assertThat(get(this.hr.peopleUrl() + "?limit=0", "Bearer " + this.hr.token()).statusCode()).isEqualTo(400);
        assertThat(get(this.hr.peopleUrl() + "?limit=501", "Bearer " + this.hr.token()).statusCode()).isEqualTo(400);
        HttpResponse<String> cursor = get(this.hr.peopleUrl() + "?cursor=bm9wZQ", "Bearer " + this.hr.token());
        assertThat(cursor.statusCode()).isEqualTo(400);
        assertThat(HttpCall.JSON.readTree(cursor.body()).path("error").asString()).isEqualTo("invalid_cursor");
    }

    @Test
    void adminWhenPersonPutAndRemovedThenTheEndpointFollowsAndFaultsAreSet() throws Exception {
        String person = """
                {"id": "x-1", "email": "ann@acme.example", "givenName": "Ann", "familyName": "Lee", "active": true}""";
        assertThat(send("PUT", this.hr.adminUrl() + "/people/x-1", person).statusCode()).isEqualTo(200);
        assertThat(this.hr.people().person("x-1").orElseThrow().email()).isEqualTo("ann@acme.example");
        assertThat(send("POST", this.hr.adminUrl() + "/faults", "{\"throttleShare\": 1, \"retryAfterSeconds\": 3}")
            .statusCode())
            .isEqualTo(200);
        assertThat(get(this.hr.peopleUrl(), "Bearer " + this.hr.token()).headers().firstValue("Retry-After"))
            .hasValue("3");
        assertThat(send("POST", this.hr.adminUrl() + "/faults", "{}").statusCode()).isEqualTo(200);
        assertThat(send("DELETE", this.hr.adminUrl() + "/people/x-1", null).statusCode()).isEqualTo(204);
        JsonNode page = HttpCall.JSON.readTree(get(this.hr.peopleUrl(), "Bearer " + this.hr.token()).body());
        assertThat(page.path("people").size()).isZero();
        assertThat(send("DELETE", this.hr.adminUrl() + "/people/x-1", null).statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> get(String url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String url, String body) throws Exception {
        return this.http.send(HttpRequest.newBuilder(URI.create(url))
            .method(method,
                    body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .build(), HttpResponse.BodyHandlers.ofString());
    }
}
