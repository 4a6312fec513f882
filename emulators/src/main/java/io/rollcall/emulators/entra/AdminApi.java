package io.rollcall.emulators.entra;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import io.rollcall.emulators.http.BadRequest;
import io.rollcall.emulators.http.Faults;
import io.rollcall.emulators.http.HttpCall;
import tools.jackson.databind.JsonNode;

/**
 * The emulator's own HTTP API under {@code /_emulator}, mirroring the Java admin operations for the demo
 * and manual use. Unauthenticated: the emulator is a local test tool. Errors answer {@code {"error": ...}}.
 */
final class AdminApi {

    private final EntraEmulator emulator;

    AdminApi(EntraEmulator emulator) {
        this.emulator = emulator;
    }

    void handle(HttpCall call) {
        try {
            route(call, call.segments().subList(1, call.segments().size()));
        }
        catch (IllegalArgumentException | BadRequest ex) {
            call.respondValue(400, Map.of("error", String.valueOf(ex.getMessage())));
        }
        catch (NoSuchElementException ex) {
            call.respondValue(404, Map.of("error", String.valueOf(ex.getMessage())));
        }
    }

    private void route(HttpCall call, List<String> s) {
        String method = call.method();
        String first = s.isEmpty() ? "" : s.get(0);
        switch (first) {
            case "" ->
                call.respondValue(200, Map.of("tenants", this.emulator.tenants().stream().map(this::describe).toList(),
                        "authority", this.emulator.authority(), "graphUrl", this.emulator.graphUrl()));
            case "faults" -> faults(call, method);
            case "counters" -> call.respondValue(200, this.emulator.counters().snapshot());
            case "deliveries" -> call.respondValue(200, this.emulator.deliveries());
            case "clock" -> {
                if (method.equals("POST") && s.size() == 2 && s.get(1).equals("advance")) {
                    JsonNode body = call.json();
                    this.emulator.clock().advance(Duration.ofSeconds(body.path("seconds").asLong()));
                }
                call.respondValue(200, Map.of("now", this.emulator.clock().instant().toString()));
            }
            case "tenants" -> tenants(call, method, s.subList(1, s.size()));
            default -> throw new NoSuchElementException("No admin endpoint /_emulator/" + String.join("/", s));
        }
    }

    private void tenants(HttpCall call, String method, List<String> s) {
        if (s.isEmpty()) {
            if (method.equals("POST")) {
                JsonNode body = call.body().length == 0 ? HttpCall.JSON.createObjectNode() : call.json();
                EntraTenant tenant = body.hasNonNull("domain")
                        ? this.emulator.createTenant(body.get("domain").asString()) : this.emulator.createTenant();
                Map<String, Object> answer = describe(tenant);
                if (body.hasNonNull("people")) {
                    answer.put("directory", generate(tenant, body));
                }
                call.respondValue(201, answer);
            }
            else {
                call.respondValue(200, this.emulator.tenants().stream().map(this::describe).toList());
            }
            return;
        }
        EntraTenant tenant = this.emulator.tenant(s.get(0))
            .orElseThrow(() -> new NoSuchElementException("No tenant " + s.get(0)));
        List<String> rest = s.subList(1, s.size());
        String what = rest.isEmpty() ? "" : rest.get(0);
        switch (what) {
            case "" -> call.respondValue(200, describe(tenant));
            case "generate" -> call.respondValue(201, generate(tenant, call.json()));
            case "consent" -> {
                if (method.equals("DELETE")) {
                    tenant.revokeConsent();
                }
                else if (method.equals("POST") || method.equals("PUT")) {
                    tenant.grantConsent();
                }
                call.respondValue(200, Map.of("consentGranted", tenant.consentGranted()));
            }
            case "delta-tokens" -> {
                require(method, "DELETE");
                tenant.invalidateDeltaTokens();
                call.respondEmpty(204);
            }
            case "users" -> users(call, method, tenant, rest.subList(1, rest.size()));
            case "groups" -> groups(call, method, tenant, rest.subList(1, rest.size()));
            case "subscriptions" -> {
                if (rest.size() == 3 && rest.get(2).equals("lifecycle") && method.equals("POST")) {
                    tenant.sendLifecycle(rest.get(1), call.json().path("event").asString());
                    call.respondEmpty(202);
                }
                else {
                    call.respondValue(200, tenant.subscriptions());
                }
            }
            case "deliveries" -> call.respondValue(200, tenant.deliveries());
            default -> throw new NoSuchElementException("No admin endpoint " + call.path());
        }
    }

    private void users(HttpCall call, String method, EntraTenant tenant, List<String> s) {
        if (s.isEmpty()) {
            if (method.equals("POST")) {
                call.respondValue(201, tenant.createUser(properties(call.json())));
            }
            else {
                call.respondValue(200, tenant.users());
            }
            return;
        }
        String id = tenant.user(s.get(0))
            .map(EntraUser::id)
            .orElseThrow(() -> new NoSuchElementException("No user " + s.get(0)));
        String action = s.size() > 1 ? s.get(1) : "";
        switch (action) {
            case "" -> {
                switch (method) {
                    case "GET" -> call.respondValue(200, tenant.user(id).orElseThrow());
                    case "PATCH" -> call.respondValue(200, tenant.updateUser(id, properties(call.json())));
                    case "DELETE" -> {
                        tenant.deleteUser(id);
                        call.respondEmpty(204);
                    }
                    default -> throw new IllegalArgumentException("Use GET, PATCH or DELETE on a user");
                }
            }
            case "disable" -> call.respondValue(200, tenant.disableUser(id));
            case "enable" -> call.respondValue(200, tenant.enableUser(id));
            case "restore" -> call.respondValue(200, tenant.restoreUser(id));
            case "manager" -> {
                if (method.equals("DELETE")) {
                    call.respondValue(200, tenant.clearManager(id));
                }
                else {
                    call.respondValue(200, tenant.setManager(id, call.json().path("id").asString()));
                }
            }
            case "photo" -> {
                if (method.equals("DELETE")) {
                    tenant.removePhoto(id);
                }
                else if (call.body().length > 0) {
                    tenant.setPhoto(id, call.body());
                }
                else {
                    tenant.setPhoto(id);
                }
                call.respondValue(200, tenant.user(id).orElseThrow());
            }
            default -> throw new NoSuchElementException("No admin endpoint " + call.path());
        }
    }

    private void groups(HttpCall call, String method, EntraTenant tenant, List<String> s) {
        if (s.isEmpty()) {
            if (method.equals("POST")) {
                call.respondValue(201, tenant.createGroup(call.json().path("displayName").asString()));
            }
            else {
                call.respondValue(200, tenant.groups());
            }
            return;
        }
        EntraGroup group = tenant.group(s.get(0)).orElseThrow(() -> new NoSuchElementException("No group " + s.get(0)));
        if (s.size() == 1 && method.equals("DELETE")) {
            tenant.deleteGroup(group.id());
            call.respondEmpty(204);
            return;
        }
        if (s.size() == 1) {
            call.respondValue(200, group);
            return;
        }
        if (!s.get(1).equals("members")) {
            throw new NoSuchElementException("No admin endpoint " + call.path());
        }
        if (method.equals("POST")) {
            tenant.addMember(group.id(), call.json().path("id").asString());
        }
        else if (method.equals("DELETE") && s.size() == 3) {
            tenant.removeMember(group.id(), s.get(2));
        }
        call.respondValue(200, tenant.group(group.id()).orElseThrow());
    }

    private void faults(HttpCall call, String method) {
        Faults faults = this.emulator.faults();
        if (method.equals("PUT") || method.equals("POST")) {
            faults.set(call.json());
        }
        else if (method.equals("DELETE")) {
            faults.reset();
        }
        Map<String, Object> state = faults.asMap();
        call.respondValue(200, state);
    }

    private Map<String, Object> generate(EntraTenant tenant, JsonNode body) {
        DirectorySpec spec = DirectorySpec.people(body.path("people").asInt(100));
        if (body.has("outsiders")) {
            spec = spec.withOutsiders(body.get("outsiders").asInt());
        }
        if (body.has("departments")) {
            spec = spec.withDepartments(body.get("departments").asInt());
        }
        if (body.has("photoShare")) {
            spec = spec.withPhotoShare(body.get("photoShare").asDouble());
        }
        if (body.has("disabledShare")) {
            spec = spec.withDisabledShare(body.get("disabledShare").asDouble());
        }
        if (body.has("seed")) {
            spec = spec.withSeed(body.get("seed").asLong());
        }
        if (body.has("domain")) {
            spec = spec.withDomain(body.get("domain").asString());
        }
        GeneratedDirectory directory = tenant.generate(spec);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("topGroupId", directory.topGroupId());
        answer.put("people", directory.memberUserIds().size());
        answer.put("outsiders", directory.outsiderUserIds().size());
        answer.put("groups", directory.groupIds().size());
        return answer;
    }

    private Map<String, Object> describe(EntraTenant tenant) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("tenantId", tenant.tenantId());
        answer.put("domain", tenant.domain());
        answer.put("clientId", tenant.clientId());
        answer.put("clientSecret", tenant.clientSecret());
        answer.put("consentGranted", tenant.consentGranted());
        answer.put("users", tenant.users().size());
        answer.put("groups", tenant.groups().size());
        answer.put("tokenUrl", this.emulator.tokenUrl(tenant.tenantId()));
        return answer;
    }

    private static Map<String, Object> properties(JsonNode body) {
        if (!body.isObject()) {
            throw new IllegalArgumentException("A JSON object of Graph user properties was expected");
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : body.properties()) {
            JsonNode value = entry.getValue();
            Object converted;
            if (value.isNull()) {
                converted = null;
            }
            else if (value.isBoolean()) {
                converted = value.asBoolean();
            }
            else if (value.isArray()) {
                converted = value.valueStream().map(JsonNode::asString).toList();
            }
            else {
                converted = value.asString();
            }
            properties.put(entry.getKey(), converted);
        }
        return properties;
    }

    private static void require(String method, String expected) {
        if (!method.equals(expected)) {
            throw new IllegalArgumentException("Use " + expected + " here");
        }
    }
}
