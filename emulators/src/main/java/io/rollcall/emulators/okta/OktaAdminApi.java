package io.rollcall.emulators.okta;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import javax.imageio.ImageIO;

import io.rollcall.emulators.http.AdminRequests;
import io.rollcall.emulators.http.HttpCall;
import tools.jackson.databind.JsonNode;

/**
 * The emulator's own HTTP API under {@code /_emulator}, mirroring {@link OktaOrg}'s admin operations for the
 * demo and manual use, plus the generated pictures that {@code pictureUrl} attributes point at.
 * Unauthenticated: the emulator is a local test tool. Errors answer {@code {"error": ...}}.
 */
final class OktaAdminApi {

    private static final byte[] PICTURE = picture();

    private final OktaEmulator emulator;

    OktaAdminApi(OktaEmulator emulator) {
        this.emulator = emulator;
    }

    void handle(HttpCall call) {
        AdminRequests.handle(call, this::route);
    }

    private void route(HttpCall call, List<String> s) {
        OktaOrg org = this.emulator.org();
        String method = call.method();
        String first = s.isEmpty() ? "" : s.get(0);
        switch (first) {
            case "" -> call.respondValue(200, describe(org));
            case "pictures" -> {
                if (s.size() == 2 && org.user(s.get(1).replace(".jpg", "")).isPresent()) {
                    call.respond(200, "image/jpeg", PICTURE);
                }
                else {
                    call.respondValue(404, Map.of("error", "No picture"));
                }
            }
            case "generate" -> {
                JsonNode body = call.json();
                OrgSpec spec = OrgSpec.people(body.path("people").asInt(100));
                if (body.has("departments")) {
                    spec = spec.withDepartments(body.get("departments").asInt());
                }
                if (body.has("assignedShare")) {
                    spec = spec.withAssignedShare(body.get("assignedShare").asDouble());
                }
                if (body.has("pictureShare")) {
                    spec = spec.withPictureShare(body.get("pictureShare").asDouble());
                }
                if (body.has("suspendedShare")) {
                    spec = spec.withSuspendedShare(body.get("suspendedShare").asDouble());
                }
                if (body.has("domain")) {
                    spec = spec.withDomain(body.get("domain").asString());
                }
                if (body.has("seed")) {
                    spec = spec.withSeed(body.get("seed").asLong());
                }
                GeneratedOrg generated = org.generate(spec);
                call.respondValue(201, Map.of("appId", generated.appId(), "users", generated.userIds().size(),
                        "assigned", generated.assignedUserIds().size(), "departments", generated.departments()));
            }
            case "users" -> users(call, org, method, s.subList(1, s.size()));
            case "eventHooks" -> {
                if (s.size() == 1 && method.equals("POST")) {
                    JsonNode body = call.json();
                    call.respondValue(201, org.registerEventHook(body.path("url").asString(null),
                            body.path("authorization").asString(null)));
                }
                else if (s.size() == 3 && s.get(2).equals("verify") && method.equals("POST")) {
                    call.respondValue(200, this.emulator.hooks().verify(s.get(1)));
                }
                else if (s.size() == 2 && method.equals("DELETE")) {
                    this.emulator.hooks().remove(s.get(1));
                    call.respondEmpty(204);
                }
                else {
                    call.respondValue(200, org.eventHooks());
                }
            }
            case "deliveries" -> call.respondValue(200, org.deliveries());
            case "counters" -> call.respondValue(200, this.emulator.counters().snapshot());
            case "faults" -> {
                if (method.equals("POST")) {
                    JsonNode body = call.json();
                    this.emulator.faults().set(body);
                    this.emulator.hookFaults()
                        .reset()
                        .duplicateShare(body.path("hookDuplicateShare").asDouble(0))
                        .reorderShare(body.path("hookReorderShare").asDouble(0));
                    if (body.has("rateLimit")) {
                        this.emulator.rateLimits().limit(body.get("rateLimit").asInt());
                    }
                }
                Map<String, Object> answer = this.emulator.faults().asMap();
                answer.put("rateLimit", this.emulator.rateLimits().limit());
                call.respondValue(200, answer);
            }
            case "clock" -> {
                if (method.equals("POST") && s.size() == 2 && s.get(1).equals("advance")) {
                    this.emulator.clock().advance(Duration.ofSeconds(call.json().path("seconds").asLong()));
                }
                call.respondValue(200, Map.of("now", this.emulator.clock().instant().toString()));
            }
            default -> throw new NoSuchElementException("No admin endpoint /_emulator/" + String.join("/", s));
        }
    }

    private void users(HttpCall call, OktaOrg org, String method, List<String> s) {
        if (s.isEmpty()) {
            if (method.equals("POST")) {
                JsonNode body = call.json();
                OktaUser user = org.createUser(strings(body.path("profile")), body.path("activate").asBoolean(true));
                if (body.path("assign").asBoolean(false)) {
                    org.assign(user.id());
                }
                call.respondValue(201, org.user(user.id()).orElseThrow());
            }
            else {
                call.respondValue(200, org.users());
            }
            return;
        }
        String id = s.get(0);
        String action = s.size() > 1 ? String.join("/", s.subList(1, s.size())) : "";
        switch (method + " " + action) {
            case "GET " ->
                call.respondValue(200, org.user(id).orElseThrow(() -> new NoSuchElementException("No user " + id)));
            case "POST ", "PATCH " ->
                call.respondValue(200, org.updateProfile(id, strings(call.json().path("profile"))));
            case "DELETE " -> {
                org.deleteUser(id);
                call.respondEmpty(204);
            }
            case "POST lifecycle/activate" -> call.respondValue(200, org.activate(id));
            case "POST lifecycle/reactivate" -> call.respondValue(200, org.reactivate(id));
            case "POST lifecycle/deactivate" -> call.respondValue(200, org.deactivate(id));
            case "POST lifecycle/suspend" -> call.respondValue(200, org.suspend(id));
            case "POST lifecycle/unsuspend" -> call.respondValue(200, org.unsuspend(id));
            case "POST assign", "PUT assignment" -> {
                org.assign(id);
                call.respondEmpty(204);
            }
            case "POST unassign", "DELETE assignment" -> {
                org.unassign(id);
                call.respondEmpty(204);
            }
            default ->
                throw new NoSuchElementException("No admin endpoint for " + method + " users/" + id + "/" + action);
        }
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            values.put(entry.getKey(), entry.getValue().isNull() ? null : entry.getValue().asString());
        }
        return values;
    }

    private Map<String, Object> describe(OktaOrg org) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("orgUrl", org.orgUrl());
        answer.put("apiToken", org.apiToken());
        answer.put("serviceClientId", org.serviceClientId());
        answer.put("serviceClientSecret", org.serviceClientSecret());
        answer.put("appId", org.appId());
        answer.put("appClientSecret", org.appClientSecret());
        answer.put("users", org.userMap().size());
        answer.put("assigned", org.assignedUserIds().size());
        return answer;
    }

    private static byte[] picture() {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        var graphics = image.createGraphics();
        graphics.setColor(new Color(0x2ca02c));
        graphics.fillRect(0, 0, 64, 64);
        graphics.setColor(Color.WHITE);
        graphics.fillOval(16, 8, 32, 32);
        graphics.fillRect(12, 44, 40, 20);
        graphics.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", out);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }
}
