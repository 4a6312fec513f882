package io.rollcall.emulators.okta;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rollcall.emulators.http.Faults;
import io.rollcall.emulators.http.HttpCall;
import tools.jackson.core.JsonGenerator;

/**
 * The management API: users (list, search, by id or login) and an app's assigned users, with SSWS or
 * OAuth bearer auth, opaque {@code after} cursors in {@code Link} headers, rate limits and faults.
 */
final class ManagementApi {

    private static final Pattern CONDITION = Pattern
        .compile("\\s*([A-Za-z0-9_.]+)\\s+(eq|sw)\\s+\"((?:[^\"\\\\]|\\\\.)*)\"\\s*");

    private final OktaEmulator emulator;

    ManagementApi(OktaEmulator emulator) {
        this.emulator = emulator;
    }

    void handle(HttpCall call) throws Exception {
        List<String> s = call.segments();
        if (s.size() < 3 || !s.get(1).equals("v1")) {
            error(call, 404, OktaErrors.E0000022.code(), OktaErrors.E0000022.message());
            return;
        }
        if (!authenticated(call, s.get(2))) {
            return;
        }
        Faults.Fault fault = this.emulator.faults().nextRequest();
        if (!this.emulator.faults().latency().isZero()) {
            Thread.sleep(this.emulator.faults().latency().toMillis());
        }
        switch (fault) {
            case THROTTLE -> {
                long reset = this.emulator.clock().instant().plus(this.emulator.faults().retryAfter()).getEpochSecond();
                call.responseHeader("X-Rate-Limit-Limit", Integer.toString(this.emulator.rateLimits().limit()));
                call.responseHeader("X-Rate-Limit-Remaining", "0");
                call.responseHeader("X-Rate-Limit-Reset", Long.toString(reset));
                this.emulator.rateLimits().tooMany(call);
                return;
            }
            case SERVER_ERROR -> {
                this.emulator.counters().add("serverErrors", 1);
                error(call, OktaErrors.E0000009);
                return;
            }
            case DROP -> {
                this.emulator.counters().add("dropped", 1);
                call.drop();
            }
            case NONE -> {
            }
        }
        Optional<Faults.ErrorAnswer> answer = this.emulator.faults().answerFor(call.path());
        if (answer.isPresent()) {
            this.emulator.counters().add("errorAnswers", 1);
            error(call, answer.get());
            return;
        }
        if (!call.method().equals("GET")) {
            error(call, 405, OktaErrors.E0000022.code(), OktaErrors.E0000022.message());
            return;
        }
        OktaOrg org = this.emulator.org();
        if (s.size() == 3 && s.get(2).equals("users")) {
            if (this.emulator.rateLimits().admit(call, "users")) {
                listUsers(call, org);
            }
        }
        else if (s.size() == 4 && s.get(2).equals("users")) {
            if (this.emulator.rateLimits().admit(call, "user")) {
                Optional<OktaUser> user = org.user(s.get(3));
                if (user.isEmpty()) {
                    error(call, OktaErrors.E0000007(s.get(3), "User"));
                }
                else {
                    call.respondJson(200, json -> writeUser(json, user.get()));
                }
            }
        }
        else if (s.size() >= 5 && s.get(2).equals("apps") && s.get(4).equals("users")) {
            if (this.emulator.rateLimits().admit(call, "apps")) {
                appUsers(call, org, s.get(3), s.size() > 5 ? s.get(5) : null);
            }
        }
        else {
            // An endpoint Okta does not have is not a missing resource: Okta answers E0000022 for it.
            error(call, 404, OktaErrors.E0000022.code(), OktaErrors.E0000022.message());
        }
    }

    private boolean authenticated(HttpCall call, String resource) {
        String header = call.header("Authorization").orElse("");
        OktaOrg org = this.emulator.org();
        if (header.isBlank()) {
            error(call, 401, "E0000005", "Invalid session");
            return false;
        }
        if (header.regionMatches(true, 0, "SSWS ", 0, 5)) {
            if (header.substring(5).trim().equals(org.apiToken())) {
                return true;
            }
            error(call, OktaErrors.E0000011);
            return false;
        }
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            Optional<OktaOidc.ServiceToken> token = this.emulator.oidc().serviceToken(header.substring(7).trim());
            if (token.isEmpty()) {
                call.responseHeader("WWW-Authenticate", "Bearer authorization_uri=\"http://"
                        + "okta/oauth2/v1/authorize\", realm=\"IDX\", "
                        + "scope=\"okta.users.read\", error=\"invalid_token\", error_description=\"The token is not valid.\", resource=\"/api/v1/"
                        + resource + "\"");
                error(call, OktaErrors.E0000011);
                return false;
            }
            String needed = resource.equals("apps") ? "okta.apps.read" : "okta.users.read";
            if (!token.get().scopes().contains(needed)) {
                call.responseHeader("WWW-Authenticate",
                        "Bearer error=\"insufficient_scope\", error_description=\"The access token provided "
                                + "does not contain the required scopes.\", resource=\"/api/v1/" + resource + "\"");
                error(call, OktaErrors.E0000006);
                return false;
            }
            return true;
        }
        error(call, 401, "E0000005", "Invalid session");
        return false;
    }

    private void listUsers(HttpCall call, OktaOrg org) {
        int limit = limit(call, 200, 200);
        Predicate<OktaUser> match;
        String search = call.query("search").orElse(call.query("filter").orElse(null));
        if (search != null) {
            Optional<Predicate<OktaUser>> parsed = parse(search);
            if (parsed.isEmpty()) {
                error(call, 400, "E0000031", "Invalid search criteria.");
                return;
            }
            match = parsed.get();
        }
        else {
            // Without a search Okta lists every user but the deactivated ones.
            match = user -> !user.status().equals("DEPROVISIONED");
        }
        String q = call.query("q").orElse(null);
        if (q != null) {
            String prefix = q.toLowerCase(Locale.ROOT);
            match = match.and(user -> List.of("firstName", "lastName", "email", "login")
                .stream()
                .anyMatch(name -> user.profile().getOrDefault(name, "").toLowerCase(Locale.ROOT).startsWith(prefix)));
        }
        Optional<String> after = cursor(call);
        if (after == null) {
            return;
        }
        // Okta indexes users by id: a filter naming only ids answers without going through every user.
        NavigableSet<String> ids = search == null ? null : idsOnly(search).orElse(null);
        if (ids == null) {
            ids = org.userMap().navigableKeySet();
        }
        NavigableSet<String> candidates = ids;
        Iterator<String> iterator = after.map(id -> candidates.tailSet(id, false)).orElse(candidates).iterator();
        List<OktaUser> page = new ArrayList<>();
        String last = null;
        boolean more = false;
        while (iterator.hasNext()) {
            OktaUser user = org.userMap().get(iterator.next());
            if (user == null || !match.test(user)) {
                continue;
            }
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(user);
            last = user.id();
        }
        links(call, more ? last : null);
        call.respondJson(200, json -> {
            json.writeStartArray();
            for (OktaUser user : page) {
                writeUser(json, user);
            }
            json.writeEndArray();
        });
    }

    private void appUsers(HttpCall call, OktaOrg org, String appId, String userId) {
        Optional<java.util.concurrent.ConcurrentSkipListSet<String>> assigned = org.assignmentsOf(appId);
        if (assigned.isEmpty()) {
            error(call, OktaErrors.E0000007(appId, "AppInstance"));
            return;
        }
        boolean expand = call.query("expand").map(value -> value.equals("user")).orElse(false);
        if (userId != null) {
            OktaUser user = assigned.get().contains(userId) ? org.userMap().get(userId) : null;
            if (user == null) {
                error(call, OktaErrors.E0000007(userId, "AppUser"));
                return;
            }
            call.respondJson(200, json -> writeAppUser(json, appId, user, expand));
            return;
        }
        int limit = limit(call, 50, 500);
        Optional<String> after = cursor(call);
        if (after == null) {
            return;
        }
        Iterator<String> iterator = after.map(id -> assigned.get().tailSet(id, false))
            .orElse(assigned.get())
            .iterator();
        List<OktaUser> page = new ArrayList<>();
        String last = null;
        boolean more = false;
        while (iterator.hasNext()) {
            OktaUser user = org.userMap().get(iterator.next());
            if (user == null) {
                continue;
            }
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(user);
            last = user.id();
        }
        links(call, more ? last : null);
        call.respondJson(200, json -> {
            json.writeStartArray();
            for (OktaUser user : page) {
                writeAppUser(json, appId, user, expand);
            }
            json.writeEndArray();
        });
    }

    /** The {@code after} cursor's id; empty for the first page; null after answering 400 for a bad cursor. */
    private static Optional<String> cursor(HttpCall call) {
        Optional<String> raw = call.query("after");
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(raw.get()), StandardCharsets.UTF_8);
            if (decoded.startsWith("c1:")) {
                return Optional.of(decoded.substring(3));
            }
        }
        catch (IllegalArgumentException ex) {
            // falls through to the error
        }
        error(call, 400, "E0000001", "Api validation failed: after");
        return null;
    }

    private void links(HttpCall call, String lastId) {
        String base = this.emulator.baseUrl() + call.path();
        StringBuilder query = new StringBuilder();
        call.query().forEach((name, value) -> {
            if (!name.equals("after")) {
                query.append(query.isEmpty() ? "?" : "&").append(encode(name)).append('=').append(encode(value));
            }
        });
        call.responseHeader("Link", "<" + base + query + ">; rel=\"self\"");
        if (lastId != null) {
            String after = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("c1:" + lastId).getBytes(StandardCharsets.UTF_8));
            call.responseHeader("Link",
                    "<" + base + query + (query.isEmpty() ? "?" : "&") + "after=" + after + ">; rel=\"next\"");
        }
    }

    private static int limit(HttpCall call, int defaultLimit, int max) {
        try {
            int limit = Integer.parseInt(call.query("limit").orElse(Integer.toString(defaultLimit)));
            return Math.max(1, Math.min(limit, max));
        }
        catch (NumberFormatException ex) {
            return defaultLimit;
        }
    }

    /** The ids of an expression made only of {@code id eq "..."} joined by {@code or}; empty for any other. */
    static Optional<NavigableSet<String>> idsOnly(String expression) {
        NavigableSet<String> ids = new java.util.TreeSet<>();
        for (String disjunct : expression.split("(?i)\\s+or\\s+")) {
            Matcher matcher = CONDITION.matcher(disjunct);
            if (!matcher.matches() || !matcher.group(1).equals("id") || !matcher.group(2).equals("eq")) {
                return Optional.empty();
            }
            ids.add(matcher.group(3).replace("\\\"", "\""));
        }
        return Optional.of(ids);
    }

    /**
     * Parses {@code profile.email eq "x"}, {@code status eq "ACTIVE"}, {@code id eq "00u..."}, {@code sw}, joined by
     * {@code and} / {@code or}. Attribute values compare ignoring case; ids, as in Okta, exactly.
     */
    static Optional<Predicate<OktaUser>> parse(String expression) {
        Predicate<OktaUser> result = null;
        for (String disjunct : expression.split("(?i)\\s+or\\s+")) {
            Predicate<OktaUser> all = null;
            for (String conjunct : disjunct.split("(?i)\\s+and\\s+")) {
                Matcher matcher = CONDITION.matcher(conjunct);
                if (!matcher.matches()) {
                    return Optional.empty();
                }
                String attribute = matcher.group(1);
                boolean equals = matcher.group(2).equals("eq");
                String raw = matcher.group(3).replace("\\\"", "\"");
                String value = raw.toLowerCase(Locale.ROOT);
                java.util.function.Function<OktaUser, String> getter;
                if (attribute.startsWith("profile.")) {
                    String name = attribute.substring(8);
                    getter = user -> user.profile(name);
                }
                else if (attribute.equals("status")) {
                    getter = OktaUser::status;
                }
                else if (attribute.equals("id")) {
                    Predicate<OktaUser> condition = user -> equals ? user.id().equals(raw) : user.id().startsWith(raw);
                    all = all == null ? condition : all.and(condition);
                    continue;
                }
                else {
                    return Optional.empty();
                }
                Predicate<OktaUser> condition = user -> {
                    String actual = getter.apply(user);
                    if (actual == null) {
                        return false;
                    }
                    String lower = actual.toLowerCase(Locale.ROOT);
                    return equals ? lower.equals(value) : lower.startsWith(value);
                };
                all = all == null ? condition : all.and(condition);
            }
            result = result == null ? all : result.or(all);
        }
        return Optional.ofNullable(result);
    }

    void writeUser(JsonGenerator json, OktaUser user) throws IOException {
        json.writeStartObject();
        json.writeStringProperty("id", user.id());
        json.writeStringProperty("status", user.status());
        json.writeStringProperty("created", user.created().toString());
        json.writeStringProperty("activated", user.activated() == null ? null : user.activated().toString());
        json.writeStringProperty("statusChanged", user.statusChanged().toString());
        json.writeNullProperty("lastLogin");
        json.writeStringProperty("lastUpdated", user.lastUpdated().toString());
        json.writeNullProperty("passwordChanged");
        json.writeObjectPropertyStart("type");
        json.writeStringProperty("id", "oty1rcl0000000000rc7");
        json.writeEndObject();
        json.writeObjectPropertyStart("profile");
        for (Map.Entry<String, String> entry : user.profile().entrySet()) {
            json.writeStringProperty(entry.getKey(), entry.getValue());
        }
        json.writeEndObject();
        json.writeObjectPropertyStart("credentials");
        json.writeObjectPropertyStart("provider");
        json.writeStringProperty("type", "OKTA");
        json.writeStringProperty("name", "OKTA");
        json.writeEndObject();
        json.writeEndObject();
        json.writeObjectPropertyStart("_links");
        json.writeObjectPropertyStart("self");
        json.writeStringProperty("href", this.emulator.baseUrl() + "/api/v1/users/" + user.id());
        json.writeEndObject();
        json.writeEndObject();
        json.writeEndObject();
    }

    private void writeAppUser(JsonGenerator json, String appId, OktaUser user, boolean expand) throws IOException {
        json.writeStartObject();
        json.writeStringProperty("id", user.id());
        json.writeNullProperty("externalId");
        json.writeStringProperty("created", user.created().toString());
        json.writeStringProperty("lastUpdated", user.lastUpdated().toString());
        json.writeStringProperty("scope", "USER");
        json.writeStringProperty("status", user.active() ? "ACTIVE" : "INACTIVE");
        json.writeStringProperty("syncState", "DISABLED");
        json.writeObjectPropertyStart("credentials");
        json.writeStringProperty("userName", user.login());
        json.writeEndObject();
        json.writeObjectPropertyStart("profile");
        json.writeEndObject();
        json.writeObjectPropertyStart("_links");
        json.writeObjectPropertyStart("app");
        json.writeStringProperty("href", this.emulator.baseUrl() + "/api/v1/apps/" + appId);
        json.writeEndObject();
        json.writeObjectPropertyStart("user");
        json.writeStringProperty("href", this.emulator.baseUrl() + "/api/v1/users/" + user.id());
        json.writeEndObject();
        json.writeEndObject();
        if (expand) {
            json.writeObjectPropertyStart("_embedded");
            json.writeName("user");
            writeUser(json, user);
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    static void error(HttpCall call, Faults.ErrorAnswer error) {
        error(call, error.status(), error.code(), error.message());
    }

    /** Okta's error body: {@code errorCode}, {@code errorSummary}, {@code errorLink} (the code), {@code errorId}, {@code errorCauses}. */
    static void error(HttpCall call, int status, String code, String summary) {
        String id = "oae" + UUID.randomUUID().toString().replace("-", "").substring(0, 19);
        call.respondJson(status, json -> {
            json.writeStartObject();
            json.writeStringProperty("errorCode", code);
            json.writeStringProperty("errorSummary", summary);
            json.writeStringProperty("errorLink", code);
            json.writeStringProperty("errorId", id);
            json.writeArrayPropertyStart("errorCauses");
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
