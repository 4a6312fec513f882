package io.rollcall.emulators.entra;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.rollcall.emulators.entra.GraphJson.GraphError;
import io.rollcall.emulators.http.BadRequest;
import io.rollcall.emulators.http.Faults;
import io.rollcall.emulators.http.HttpCall;
import tools.jackson.databind.JsonNode;

/** Microsoft Graph v1.0 as far as Rollcall's connector and its tests need it. */
final class GraphApi {

    static final long MAX_SUBSCRIPTION_MINUTES = 41_760;
    static final int MAX_SUBSCRIPTIONS = 100;
    static final Duration DELTA_TOKEN_LIFETIME = Duration.ofDays(7);
    static final int GROUP_DELTA_MEMBER_CHUNK = 200;

    /** A paged listing of users and/or groups. */
    record ListPage(String tenantId, String path, List<String> ids, int offset, int top, List<String> select,
            boolean expandManager, boolean withType, Integer count) {
        ListPage at(int newOffset) {
            return new ListPage(this.tenantId, this.path, this.ids, newOffset, this.top, this.select,
                    this.expandManager, this.withType, this.count);
        }
    }

    /** A member as listed in {@code members@delta}. */
    record MemberRef(String id, boolean group, boolean removed) {
    }

    /** One group entry of a groups/delta round; a large group spans several entries. */
    record GroupDeltaItem(String groupId, List<MemberRef> members, boolean removed) {
    }

    /** A round of users/delta or groups/delta being paged through. */
    record DeltaPage(String tenantId, boolean groups, List<?> items, int offset, int top, List<String> select,
            boolean expandManager, long endSeq) {
        DeltaPage at(int newOffset) {
            return new DeltaPage(this.tenantId, this.groups, this.items, newOffset, this.top, this.select,
                    this.expandManager, this.endSeq);
        }
    }

    private final EntraEmulator emulator;
    private final Pages pages = new Pages();

    GraphApi(EntraEmulator emulator) {
        this.emulator = emulator;
    }

    void handle(HttpCall call) throws Exception {
        this.emulator.counters().request(call.method(), call.path());
        String requestId = UUID.randomUUID().toString();
        String clientRequestId = call.header("client-request-id").orElse(requestId);
        call.responseHeader("request-id", requestId);
        call.responseHeader("client-request-id", clientRequestId);
        try {
            serve(call);
        }
        catch (GraphError error) {
            error(call, error.status, error.code, error.getMessage(), requestId, clientRequestId);
        }
        catch (BadRequest bad) {
            error(call, 400, "BadRequest", bad.getMessage(), requestId, clientRequestId);
        }
    }

    private void serve(HttpCall call) throws Exception {
        Duration latency = this.emulator.faults().latency();
        if (!latency.isZero()) {
            Thread.sleep(latency);
        }
        EntraTenant tenant = authenticate(call);
        Faults.Fault fault = this.emulator.faults().nextRequest();
        switch (fault) {
            case DROP -> {
                this.emulator.counters().add("dropped", 1);
                call.drop();
            }
            case THROTTLE -> {
                this.emulator.counters().add("throttled", 1);
                long seconds = Math.max(1, (this.emulator.faults().retryAfter().toMillis() + 999) / 1000);
                call.responseHeader("Retry-After", Long.toString(seconds));
                throw new GraphError(429, "TooManyRequests", "Too many requests. Retry after " + seconds + " seconds.");
            }
            case SERVER_ERROR -> {
                this.emulator.counters().add("serverErrors", 1);
                throw new GraphError(503, "serviceNotAvailable",
                        "The service is temporarily unavailable. Please retry.");
            }
            case NONE -> {
            }
        }
        Optional<Faults.ErrorAnswer> answer = this.emulator.faults().answerFor(call.path());
        if (answer.isPresent()) {
            this.emulator.counters().add("errorAnswers", 1);
            throw new GraphError(answer.get().status(), answer.get().code(), answer.get().message());
        }
        List<String> s = call.segments().subList(1, call.segments().size());
        int cost = cost(s);
        int limit = tenant.effectiveResourceUnitLimit();
        long retryAfter = tenant.resourceUnits().charge(cost, limit, this.emulator.clock().instant());
        if (retryAfter > 0) {
            this.emulator.counters().add("throttled", 1);
            call.responseHeader("Retry-After", Long.toString(retryAfter));
            call.responseHeader("x-ms-throttle-limit-percentage", "1.0");
            throw new GraphError(429, "TooManyRequests",
                    "Too many requests for this tenant and application; the resource-unit "
                            + "budget of " + limit + " per 10 seconds is spent. Retry after " + retryAfter
                            + " seconds.");
        }
        this.emulator.counters().add("resourceUnits", cost);
        call.responseHeader("x-ms-resource-unit", Integer.toString(cost));
        int percent = tenant.resourceUnits().percentUsed(limit);
        if (percent >= 80) {
            call.responseHeader("x-ms-throttle-limit-percentage", String.format(Locale.ROOT, "%.1f", percent / 100.0));
        }
        route(call, tenant, s);
    }

    private EntraTenant authenticate(HttpCall call) {
        String header = call.header("Authorization").orElse("");
        if (header.isBlank()) {
            throw new GraphError(401, "InvalidAuthenticationToken", "Access token is empty.");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new GraphError(401, "InvalidAuthenticationToken",
                    "Access token validation failure. The Authorization header must be 'Bearer {token}'.");
        }
        EntraEmulator.IssuedToken token = this.emulator.accessTokens().get(header.substring(7).trim());
        if (token == null) {
            throw new GraphError(401, "InvalidAuthenticationToken",
                    "Access token validation failure. Invalid audience or signature.");
        }
        if (!token.expiresAt().isAfter(this.emulator.clock().instant())) {
            throw new GraphError(401, "InvalidAuthenticationToken",
                    "Lifetime validation failed, the token is expired.");
        }
        if (!token.tenant().consentGranted()) {
            throw new GraphError(403, "Authorization_RequestDenied",
                    "Insufficient privileges to complete the operation.");
        }
        return token.tenant();
    }

    /** Resource units per request, as Graph's identity throttling counts them. */
    private static int cost(List<String> s) {
        if (s.isEmpty()) {
            return 1;
        }
        if (s.contains("transitiveMembers")) {
            return 5;
        }
        if (s.size() >= 2 && (s.get(1).equals("delta") || s.get(1).equals("delta()"))) {
            return 5;
        }
        if (s.size() == 1 && (s.get(0).equals("users") || s.get(0).equals("groups"))) {
            return 2;
        }
        if (s.size() >= 3 && (s.get(2).equals("members") || s.get(2).equals("directReports"))) {
            return 2;
        }
        return 1;
    }

    private void route(HttpCall call, EntraTenant tenant, List<String> s) throws Exception {
        String method = call.method();
        String root = s.isEmpty() ? "" : s.get(0);
        int size = s.size();
        if (root.equals("subscriptions")) {
            subscriptions(call, tenant, s);
            return;
        }
        if (!method.equals("GET")) {
            throw new GraphError(405, "Request_BadRequest",
                    "The emulator serves only GET on /" + String.join("/", s) + ".");
        }
        if (root.equals("users")) {
            if (size == 1) {
                listUsers(call, tenant);
            }
            else if (size == 2 && isDelta(s.get(1))) {
                delta(call, tenant, false);
            }
            else {
                EntraUser user = tenant.liveUser(s.get(1));
                if (user == null) {
                    throw new GraphError(404, "Request_ResourceNotFound", "Resource '" + s.get(1)
                            + "' does not exist or one of its queried reference-property objects are not present.");
                }
                userRoute(call, tenant, user, s.subList(2, size));
            }
        }
        else if (root.equals("groups")) {
            if (size == 1) {
                noUnsupportedOptions(call);
                List<String> select = GraphJson.select(call.query("$select").orElse(null), "microsoft.graph.group",
                        GraphJson.GROUP_PROPERTIES);
                servePage(call, tenant, new ListPage(tenant.tenantId(), "/groups", tenant.groupIds(), 0, top(call),
                        select, false, false, null));
            }
            else if (size == 2 && isDelta(s.get(1))) {
                delta(call, tenant, true);
            }
            else {
                if (!isGuid(s.get(1))) {
                    throw new GraphError(400, "Request_BadRequest", "Invalid object identifier '" + s.get(1) + "'.");
                }
                EntraGroup group = tenant.rawGroup(s.get(1));
                if (group == null) {
                    throw new GraphError(404, "Request_ResourceNotFound", "Resource '" + s.get(1)
                            + "' does not exist or one of its queried reference-property objects are not present.");
                }
                groupRoute(call, tenant, group, s.subList(2, size));
            }
        }
        else {
            throw new GraphError(400, "BadRequest", "Resource not found for the segment '" + root + "'.");
        }
    }

    private static boolean isGuid(String value) {
        return value.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    }

    private static boolean isDelta(String segment) {
        return segment.equals("delta") || segment.equals("delta()");
    }

    // ---- users ----

    private void listUsers(HttpCall call, EntraTenant tenant) {
        if (call.query("$skiptoken").isPresent()) {
            continuePage(call, tenant);
            return;
        }
        noUnsupportedOptions(call);
        List<String> select = GraphJson.select(call.query("$select").orElse(null), "microsoft.graph.user",
                GraphJson.USER_PROPERTIES);
        boolean expand = expandManager(call);
        Integer count = countRequested(call) ? tenant.liveUserIds().size() : null;
        servePage(call, tenant, new ListPage(tenant.tenantId(), "/users", tenant.liveUserIds(), 0, top(call), select,
                expand, false, count));
    }

    private void userRoute(HttpCall call, EntraTenant tenant, EntraUser user, List<String> rest) {
        if (rest.isEmpty()) {
            noUnsupportedOptions(call);
            List<String> select = GraphJson.select(call.query("$select").orElse(null), "microsoft.graph.user",
                    GraphJson.USER_PROPERTIES);
            boolean expand = expandManager(call);
            String context = this.emulator.graphUrl() + "/$metadata#users/$entity";
            call.respondJson(200, json -> GraphJson.writeUser(json, user, select, false, expand, context));
            return;
        }
        String what = rest.get(0);
        switch (what) {
            case "manager" -> {
                if (rest.size() != 1) {
                    throw notFoundSegment(rest);
                }
                EntraUser manager = user.managerId() == null ? null : tenant.liveUser(user.managerId());
                if (manager == null) {
                    throw new GraphError(404, "Request_ResourceNotFound",
                            "Resource 'manager' does not exist or one of its queried reference-property objects are not present.");
                }
                List<String> select = GraphJson.select(call.query("$select").orElse(null), "microsoft.graph.user",
                        GraphJson.USER_PROPERTIES);
                call.respondJson(200, json -> GraphJson.writeUser(json, manager, select, true, false));
            }
            case "directReports" -> {
                if (call.query("$skiptoken").isPresent()) {
                    continuePage(call, tenant);
                    return;
                }
                List<String> select = GraphJson.select(call.query("$select").orElse(null), "microsoft.graph.user",
                        GraphJson.USER_PROPERTIES);
                servePage(call, tenant, new ListPage(tenant.tenantId(), "/users/" + user.id() + "/directReports",
                        tenant.directReportIds(user.id()), 0, top(call), select, false, true, null));
            }
            case "photo", "photos" -> photo(call, tenant, user, rest);
            default -> throw notFoundSegment(rest);
        }
    }

    private void photo(HttpCall call, EntraTenant tenant, EntraUser user, List<String> rest) {
        // photo | photo/$value | photos/{size} | photos/{size}/$value
        boolean sized = rest.get(0).equals("photos");
        if (sized && rest.size() < 2) {
            throw notFoundSegment(rest);
        }
        String size = sized ? rest.get(1) : null;
        if (size != null
                && !Set.of("48x48", "64x64", "96x96", "120x120", "240x240", "360x360", "432x432", "504x504", "648x648")
                    .contains(size)) {
            throw new GraphError(404, "ImageNotFound", "The photo size '" + size + "' was not found.");
        }
        int next = sized ? 2 : 1;
        boolean value = rest.size() > next && rest.get(next).equals("$value");
        if (rest.size() > next + (value ? 1 : 0)) {
            throw notFoundSegment(rest);
        }
        Optional<byte[]> bytes = tenant.photo(user.id());
        if (bytes.isEmpty()) {
            throw new GraphError(404, "ImageNotFound",
                    "Exception of type 'Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException' was thrown.");
        }
        byte[] jpeg = bytes.get();
        String etag = Photos.etag(jpeg);
        if (value) {
            call.responseHeader("ETag", etag);
            call.respond(200, "image/jpeg", jpeg);
            return;
        }
        int pixels = size == null ? Photos.SIZE : Integer.parseInt(size.substring(0, size.indexOf('x')));
        String context = this.emulator.graphUrl() + "/$metadata#users('" + user.id() + "')/photo/$entity";
        call.respondJson(200, json -> {
            json.writeStartObject();
            json.writeStringProperty("@odata.context", context);
            json.writeStringProperty("@odata.mediaContentType", "image/jpeg");
            json.writeStringProperty("@odata.mediaEtag", etag);
            json.writeStringProperty("id",
                    size == null ? Photos.SIZE + "X" + Photos.SIZE : size.toUpperCase(Locale.ROOT));
            json.writeNumberProperty("height", pixels);
            json.writeNumberProperty("width", pixels);
            json.writeEndObject();
        });
    }

    // ---- groups ----

    private void groupRoute(HttpCall call, EntraTenant tenant, EntraGroup group, List<String> rest) {
        if (rest.isEmpty()) {
            noUnsupportedOptions(call);
            List<String> select = GraphJson.select(call.query("$select").orElse(null), "microsoft.graph.group",
                    GraphJson.GROUP_PROPERTIES);
            String context = this.emulator.graphUrl() + "/$metadata#groups/$entity";
            call.respondJson(200, json -> GraphJson.writeGroup(json, group, select, false, context));
            return;
        }
        String relation = rest.get(0);
        if (!relation.equals("members") && !relation.equals("transitiveMembers")) {
            throw notFoundSegment(rest);
        }
        if (call.query("$skiptoken").isPresent()) {
            continuePage(call, tenant);
            return;
        }
        String cast = rest.size() > 1 ? rest.get(1) : null;
        if (rest.size() > 2
                || (cast != null && !cast.equals("microsoft.graph.user") && !cast.equals("microsoft.graph.group"))) {
            throw notFoundSegment(rest);
        }
        boolean count = countRequested(call);
        if (cast != null && !count) {
            throw new GraphError(400, "Request_UnsupportedQuery", "Specified query is not supported: a type cast on '"
                    + relation + "' needs the header 'ConsistencyLevel: eventual' and '$count=true'.");
        }
        noUnsupportedOptions(call);
        List<String> select = GraphJson.select(call.query("$select").orElse(null), "microsoft.graph.directoryObject",
                GraphJson.userOrGroupProperties());
        boolean expand = expandManager(call);
        List<String> ids;
        if (relation.equals("transitiveMembers")) {
            EntraTenant.Transitive transitive = tenant.transitive(group.id());
            ids = cast == null ? transitive.all()
                    : cast.equals("microsoft.graph.user") ? transitive.userIds() : transitive.groupIds();
        }
        else {
            ids = new ArrayList<>();
            for (String member : group.memberIds()) {
                boolean isGroup = tenant.rawGroup(member) != null;
                if (cast != null && isGroup != cast.equals("microsoft.graph.group")) {
                    continue;
                }
                if (isGroup || tenant.liveUser(member) != null) {
                    ids.add(member);
                }
            }
        }
        String path = "/groups/" + group.id() + "/" + String.join("/", rest);
        servePage(call, tenant, new ListPage(tenant.tenantId(), path, ids, 0, top(call), select, expand, true,
                count ? ids.size() : null));
    }

    // ---- paging ----

    private void continuePage(HttpCall call, EntraTenant tenant) {
        Object state = this.pages.get(call.query("$skiptoken").orElseThrow());
        if (!(state instanceof ListPage page) || !page.tenantId().equals(tenant.tenantId())) {
            throw new GraphError(400, "Request_BadRequest",
                    "The $skiptoken is invalid or has expired; start the listing again.");
        }
        servePage(call, tenant, page);
    }

    private void servePage(HttpCall call, EntraTenant tenant, ListPage page) {
        int end = Math.min(page.offset() + page.top(), page.ids().size());
        String nextLink = end < page.ids().size()
                ? this.emulator.graphUrl() + page.path() + "?$skiptoken=" + this.pages.put(page.at(end))
                : null;
        String context = this.emulator.graphUrl() + "/$metadata#"
                + (page.withType() ? "directoryObjects" : page.path().startsWith("/groups") ? "groups" : "users");
        call.respondJson(200, json -> {
            json.writeStartObject();
            json.writeStringProperty("@odata.context", context);
            if (page.count() != null) {
                json.writeNumberProperty("@odata.count", page.count());
            }
            if (nextLink != null) {
                json.writeStringProperty("@odata.nextLink", nextLink);
            }
            json.writeArrayPropertyStart("value");
            for (int i = page.offset(); i < end; i++) {
                String id = page.ids().get(i);
                EntraGroup group = tenant.rawGroup(id);
                if (group != null) {
                    GraphJson.writeGroup(json, group, page.select(), page.withType());
                    continue;
                }
                EntraUser user = tenant.rawUser(id);
                if (user != null && !user.deleted()) {
                    GraphJson.writeUser(json, user, page.select(), page.withType(), page.expandManager());
                }
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    // ---- delta ----

    private void delta(HttpCall call, EntraTenant tenant, boolean groups) {
        String base = this.emulator.graphUrl() + (groups ? "/groups/delta" : "/users/delta");
        Optional<String> skip = call.query("$skiptoken");
        if (skip.isPresent()) {
            Object state = this.pages.get(skip.get());
            if (!(state instanceof DeltaPage page) || !page.tenantId().equals(tenant.tenantId())
                    || page.groups() != groups) {
                throw new GraphError(400, "Request_BadRequest",
                        "The $skiptoken is invalid or has expired; start the delta round again.");
            }
            serveDelta(call, tenant, page, base);
            return;
        }
        int top = pageSize(call);
        Optional<String> deltaToken = call.query("$deltatoken");
        if (deltaToken.isPresent() && deltaToken.get().equals("latest")) {
            List<String> select = deltaSelect(call, groups);
            serveDelta(call, tenant,
                    new DeltaPage(tenant.tenantId(), groups, List.of(), 0, top, select,
                            !groups && deltaTracksManager(call),
                            tenant.changeSeq()),
                    base);
            return;
        }
        if (deltaToken.isPresent()) {
            DeltaToken token = DeltaToken.decode(deltaToken.get(), groups);
            if (token.issued().plus(DELTA_TOKEN_LIFETIME).isBefore(this.emulator.clock().instant())) {
                throw new GraphError(400, "syncStateNotFound",
                        "The sync state generation for the delta token was not found; it expired. Start a new full delta round.");
            }
            if (token.epoch() != tenant.deltaEpoch()) {
                call.responseHeader("Location", base);
                throw new GraphError(410, "resyncRequired",
                        "The delta token is no longer valid; the application must resynchronize from the Location URL.");
            }
            List<EntraTenant.Change> changes = tenant.changesSince(token.seq());
            long endSeq = token.seq() + changes.size();
            List<?> items = groups ? groupChanges(tenant, changes) : userChanges(changes);
            serveDelta(call, tenant, new DeltaPage(tenant.tenantId(), groups, items, 0, top, token.select(),
                    token.expandManager(), endSeq), base);
            return;
        }
        noUnsupportedOptions(call);
        List<String> select = deltaSelect(call, groups);
        long seq = tenant.changeSeq();
        List<?> items = groups ? initialGroups(tenant) : tenant.liveUserIds();
        serveDelta(call, tenant, new DeltaPage(tenant.tenantId(), groups, items, 0, top, select,
                !groups && deltaTracksManager(call), seq), base);
    }

    private List<String> deltaSelect(HttpCall call, boolean groups) {
        String raw = call.query("$select").orElse(null);
        if (groups) {
            return GraphJson.select(raw, "microsoft.graph.group", GraphJson.GROUP_PROPERTIES);
        }
        return GraphJson.select(raw == null ? null : withoutManager(raw), "microsoft.graph.user",
                GraphJson.USER_PROPERTIES);
    }

    /** users/delta tracks the manager when {@code manager} is selected, as when it is expanded. */
    private static boolean deltaTracksManager(HttpCall call) {
        return expandManager(call) || call.query("$select")
            .map(raw -> java.util.Arrays.stream(raw.split(","))
                .anyMatch(name -> name.trim().equalsIgnoreCase("manager")))
            .orElse(false);
    }

    private static String withoutManager(String select) {
        return String.join(",", java.util.Arrays.stream(select.split(","))
            .map(String::trim)
            .filter(name -> !name.equalsIgnoreCase("manager"))
            .toList());
    }

    private static List<String> userChanges(List<EntraTenant.Change> changes) {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        for (EntraTenant.Change change : changes) {
            if (!change.group()) {
                ids.add(change.objectId());
            }
        }
        return List.copyOf(ids);
    }

    private static List<GroupDeltaItem> initialGroups(EntraTenant tenant) {
        List<GroupDeltaItem> items = new ArrayList<>();
        for (String groupId : tenant.groupIds()) {
            EntraGroup group = tenant.rawGroup(groupId);
            List<MemberRef> members = new ArrayList<>();
            for (String member : group.memberIds()) {
                boolean isGroup = tenant.rawGroup(member) != null;
                if (isGroup || tenant.liveUser(member) != null) {
                    members.add(new MemberRef(member, isGroup, false));
                }
            }
            chunk(items, groupId, members);
        }
        return items;
    }

    private static List<GroupDeltaItem> groupChanges(EntraTenant tenant, List<EntraTenant.Change> changes) {
        Map<String, Map<String, Boolean>> byGroup = new LinkedHashMap<>();
        for (EntraTenant.Change change : changes) {
            if (!change.group()) {
                continue;
            }
            Map<String, Boolean> members = byGroup.computeIfAbsent(change.objectId(), key -> new LinkedHashMap<>());
            if (change.memberId() != null) {
                members.remove(change.memberId());
                members.put(change.memberId(), change.added());
            }
        }
        List<GroupDeltaItem> items = new ArrayList<>();
        byGroup.forEach((groupId, members) -> {
            if (tenant.rawGroup(groupId) == null) {
                items.add(new GroupDeltaItem(groupId, List.of(), true));
                return;
            }
            List<MemberRef> refs = new ArrayList<>();
            members
                .forEach((member, added) -> refs.add(new MemberRef(member, tenant.rawGroup(member) != null, !added)));
            chunk(items, groupId, refs);
        });
        return items;
    }

    private static void chunk(List<GroupDeltaItem> items, String groupId, List<MemberRef> members) {
        if (members.isEmpty()) {
            items.add(new GroupDeltaItem(groupId, List.of(), false));
            return;
        }
        for (int i = 0; i < members.size(); i += GROUP_DELTA_MEMBER_CHUNK) {
            items.add(new GroupDeltaItem(groupId,
                    List.copyOf(members.subList(i, Math.min(members.size(), i + GROUP_DELTA_MEMBER_CHUNK))), false));
        }
    }

    private void serveDelta(HttpCall call, EntraTenant tenant, DeltaPage page, String base) {
        int end = Math.min(page.offset() + page.top(), page.items().size());
        String link;
        boolean last = end >= page.items().size();
        if (last) {
            link = base + "?$deltatoken="
                    + new DeltaToken(page.groups(), tenant.deltaEpoch(), page.endSeq(), this.emulator.clock().instant(),
                            page.select(), page.expandManager())
                        .encode();
        }
        else {
            link = base + "?$skiptoken=" + this.pages.put(page.at(end));
        }
        String context = this.emulator.graphUrl() + "/$metadata#" + (page.groups() ? "groups" : "users");
        call.respondJson(200, json -> {
            json.writeStartObject();
            json.writeStringProperty("@odata.context", context);
            json.writeArrayPropertyStart("value");
            for (int i = page.offset(); i < end; i++) {
                Object item = page.items().get(i);
                if (item instanceof GroupDeltaItem groupItem) {
                    writeGroupDelta(json, tenant, groupItem, page.select());
                }
                else {
                    String id = (String) item;
                    EntraUser user = tenant.rawUser(id);
                    if (user == null || user.deleted()) {
                        json.writeStartObject();
                        json.writeStringProperty("id", id);
                        json.writeObjectPropertyStart("@removed");
                        json.writeStringProperty("reason", user == null ? "deleted" : "changed");
                        json.writeEndObject();
                        json.writeEndObject();
                    }
                    else {
                        GraphJson.writeUser(json, user, page.select(), false, page.expandManager());
                    }
                }
            }
            json.writeEndArray();
            json.writeStringProperty(last ? "@odata.deltaLink" : "@odata.nextLink", link);
            json.writeEndObject();
        });
    }

    private static void writeGroupDelta(tools.jackson.core.JsonGenerator json, EntraTenant tenant, GroupDeltaItem item,
            List<String> select) {
        json.writeStartObject();
        json.writeStringProperty("id", item.groupId());
        if (item.removed()) {
            json.writeObjectPropertyStart("@removed");
            json.writeStringProperty("reason", "deleted");
            json.writeEndObject();
            json.writeEndObject();
            return;
        }
        EntraGroup group = tenant.rawGroup(item.groupId());
        List<String> properties = select == null ? GraphJson.DEFAULT_GROUP : select;
        for (String property : properties) {
            switch (property) {
                case "displayName" -> json.writeStringProperty("displayName", group.displayName());
                case "description" -> json.writeStringProperty("description", group.description());
                case "mailNickname" -> json.writeStringProperty("mailNickname", group.mailNickname());
                case "securityEnabled" -> json.writeBooleanProperty("securityEnabled", true);
                case "mailEnabled" -> json.writeBooleanProperty("mailEnabled", false);
                default -> {
                }
            }
        }
        if (select == null || select.contains("members")) {
            json.writeArrayPropertyStart("members@delta");
            for (MemberRef member : item.members()) {
                json.writeStartObject();
                json.writeStringProperty("@odata.type",
                        member.group() ? "#microsoft.graph.group" : "#microsoft.graph.user");
                json.writeStringProperty("id", member.id());
                if (member.removed()) {
                    json.writeObjectPropertyStart("@removed");
                    json.writeStringProperty("reason", "deleted");
                    json.writeEndObject();
                }
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    /** Everything a delta round needs later, inside the opaque token (Graph encodes query options the same way). */
    record DeltaToken(boolean groups, long epoch, long seq, Instant issued, List<String> select,
            boolean expandManager) {

        String encode() {
            String text = (this.groups ? "g" : "u") + "|" + this.epoch + "|" + this.seq + "|"
                    + this.issued.toEpochMilli() + "|"
                    + (this.select == null ? "*" : String.join(",", this.select)) + "|"
                    + (this.expandManager ? "m" : "-");
            return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        static DeltaToken decode(String token, boolean groups) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\\|",
                        -1);
                if (parts.length != 6 || !parts[0].equals(groups ? "g" : "u")) {
                    throw new IllegalArgumentException("shape");
                }
                List<String> select = parts[4].equals("*") ? null
                        : parts[4].isEmpty() ? List.of() : List.of(parts[4].split(","));
                return new DeltaToken(groups, Long.parseLong(parts[1]), Long.parseLong(parts[2]),
                        Instant.ofEpochMilli(Long.parseLong(parts[3])),
                        select, parts[5].equals("m"));
            }
            catch (IllegalArgumentException ex) {
                throw new GraphError(400, "syncStateNotFound",
                        "The delta token is not one this service issued for " + (groups ? "groups" : "users") + ".");
            }
        }
    }

    // ---- subscriptions ----

    private void subscriptions(HttpCall call, EntraTenant tenant, List<String> s) throws Exception {
        String method = call.method();
        Instant now = this.emulator.clock().instant();
        if (s.size() == 1) {
            if (method.equals("GET")) {
                List<Subscriptions.State> live = tenant.subscriptionStates()
                    .values()
                    .stream()
                    .filter(state -> state.alive(now))
                    .toList();
                call.respondJson(200, json -> {
                    json.writeStartObject();
                    json.writeStringProperty("@odata.context", this.emulator.graphUrl() + "/$metadata#subscriptions");
                    json.writeArrayPropertyStart("value");
                    for (Subscriptions.State state : live) {
                        writeSubscription(json, state, false);
                    }
                    json.writeEndArray();
                    json.writeEndObject();
                });
            }
            else if (method.equals("POST")) {
                createSubscription(call, tenant, now);
            }
            else {
                throw new GraphError(405, "BadRequest", "Use GET or POST on /subscriptions.");
            }
            return;
        }
        Subscriptions.State state = tenant.subscriptionStates().get(s.get(1));
        if (state != null && !state.alive(now)) {
            tenant.removeSubscription(state.id);
            state = null;
        }
        if (state == null) {
            throw new GraphError(404, "ResourceNotFound", "The object was not found.");
        }
        if (s.size() == 3 && s.get(2).equals("reauthorize") && method.equals("POST")) {
            this.emulator.counters().add("reauthorizations", 1);
            call.respondEmpty(204);
            return;
        }
        if (s.size() != 2) {
            throw notFoundSegment(s);
        }
        switch (method) {
            case "GET" -> {
                Subscriptions.State found = state;
                call.respondJson(200, json -> writeSubscription(json, found, true));
            }
            case "PATCH" -> {
                JsonNode body = call.json();
                Instant expiration = expiration(body, now);
                state.expiration = expiration;
                Subscriptions.State found = state;
                call.respondJson(200, json -> writeSubscription(json, found, true));
            }
            case "DELETE" -> {
                tenant.removeSubscription(state.id);
                call.respondEmpty(204);
            }
            default -> throw new GraphError(405, "BadRequest", "Use GET, PATCH or DELETE on /subscriptions/{id}.");
        }
    }

    private void createSubscription(HttpCall call, EntraTenant tenant, Instant now) {
        JsonNode body = call.json();
        String changeType = text(body, "changeType");
        String notificationUrl = text(body, "notificationUrl");
        String resource = text(body, "resource");
        if (changeType == null || notificationUrl == null || resource == null
                || body.get("expirationDateTime") == null) {
            throw new GraphError(400, "InvalidRequest",
                    "changeType, notificationUrl, resource and expirationDateTime are required.");
        }
        Instant expiration = expiration(body, now);
        String lifecycleUrl = text(body, "lifecycleNotificationUrl");
        String clientState = text(body, "clientState");
        if (clientState != null && clientState.length() > 128) {
            throw new GraphError(400, "InvalidRequest", "clientState is limited to 128 characters.");
        }
        Set<String> changeTypes = new LinkedHashSet<>();
        for (String part : changeType.split(",")) {
            String type = part.trim();
            if (!type.equals("updated") && !type.equals("deleted")) {
                throw new GraphError(400, "InvalidRequest",
                        "ChangeType '" + type + "' is not supported for resource '" + resource
                                + "'; users and groups support 'updated' and 'deleted'.");
            }
            changeTypes.add(type);
        }
        String normalized = Subscriptions.normalize(resource);
        String[] parts = normalized.split("/");
        boolean supported = normalized.equals("users") || normalized.equals("groups")
                || (parts.length == 2 && parts[0].equals("users") && tenant.liveUser(parts[1]) != null)
                || (parts.length == 2 && parts[0].equals("groups") && tenant.rawGroup(parts[1]) != null)
                || (parts.length == 3 && parts[0].equals("groups") && parts[2].equals("members")
                        && tenant.rawGroup(parts[1]) != null);
        if (!supported) {
            throw new GraphError(400, "InvalidRequest",
                    "Resource '" + resource + "' is not supported or does not exist; use /users, "
                            + "/groups/{id} or /groups/{id}/members.");
        }
        long live = tenant.subscriptionStates().values().stream().filter(state -> state.alive(now)).count();
        if (live >= MAX_SUBSCRIPTIONS) {
            throw new GraphError(403, "ExtensionError",
                    "Operation: Create; Exception: [Status Code: Forbidden; Reason: The number of "
                            + "subscriptions for this application and tenant has reached the limit of "
                            + MAX_SUBSCRIPTIONS + ".]");
        }
        String id = UUID.randomUUID().toString();
        Optional<String> failure = this.emulator.subscriptions().validate(id, notificationUrl);
        if (failure.isEmpty() && lifecycleUrl != null) {
            failure = this.emulator.subscriptions().validate(id, lifecycleUrl);
        }
        if (failure.isPresent()) {
            tenant.forgetSubscription(id);
            throw new GraphError(400, "ValidationError", failure.get());
        }
        Subscriptions.State state = new Subscriptions.State(id, tenant, resource, changeTypes, notificationUrl,
                lifecycleUrl,
                clientState, tenant.clientId(), expiration);
        tenant.subscriptionStates().put(id, state);
        call.respondJson(201, json -> writeSubscription(json, state, true));
    }

    private static Instant expiration(JsonNode body, Instant now) {
        String value = text(body, "expirationDateTime");
        if (value == null) {
            throw new GraphError(400, "InvalidRequest", "expirationDateTime is required.");
        }
        Instant expiration;
        try {
            expiration = java.time.OffsetDateTime.parse(value).toInstant();
        }
        catch (DateTimeParseException ex) {
            throw new GraphError(400, "InvalidRequest",
                    "expirationDateTime '" + value + "' is not an ISO 8601 date-time.");
        }
        if (!expiration.isAfter(now)) {
            throw new GraphError(400, "InvalidRequest", "Subscription expiration must be in the future.");
        }
        if (expiration.isAfter(now.plus(Duration.ofMinutes(MAX_SUBSCRIPTION_MINUTES)))) {
            throw new GraphError(400, "InvalidRequest",
                    "Subscription expiration can only be " + MAX_SUBSCRIPTION_MINUTES
                            + " minutes in the future.");
        }
        return expiration;
    }

    private void writeSubscription(tools.jackson.core.JsonGenerator json, Subscriptions.State state, boolean context) {
        json.writeStartObject();
        if (context) {
            json.writeStringProperty("@odata.context", this.emulator.graphUrl() + "/$metadata#subscriptions/$entity");
        }
        json.writeStringProperty("id", state.id);
        json.writeStringProperty("resource", state.resource);
        json.writeStringProperty("applicationId", state.applicationId);
        json.writeStringProperty("changeType", String.join(",", state.changeTypes));
        json.writeStringProperty("clientState", state.clientState);
        json.writeStringProperty("notificationUrl", state.notificationUrl);
        json.writeStringProperty("lifecycleNotificationUrl", state.lifecycleNotificationUrl);
        json.writeStringProperty("expirationDateTime", state.expiration.toString());
        json.writeStringProperty("creatorId", state.applicationId);
        json.writeStringProperty("latestSupportedTlsVersion", "v1_2");
        json.writeBooleanProperty("includeResourceData", false);
        json.writeEndObject();
    }

    private static String text(JsonNode body, String name) {
        JsonNode node = body.get(name);
        return node == null || node.isNull() ? null : node.asString();
    }

    // ---- query options ----

    private static int top(HttpCall call) {
        Optional<String> raw = call.query("$top");
        if (raw.isEmpty()) {
            return 100;
        }
        try {
            int top = Integer.parseInt(raw.get().trim());
            if (top >= 1 && top <= 999) {
                return top;
            }
        }
        catch (NumberFormatException ex) {
            // answered below
        }
        throw new GraphError(400, "Request_BadRequest",
                "Invalid page size specified: '" + raw.get() + "'. Must be between 1 and 999 inclusive.");
    }

    /** Page size of delta rounds: {@code Prefer: odata.maxpagesize=n} (up to 999), else 200. */
    private static int pageSize(HttpCall call) {
        Optional<String> prefer = call.header("Prefer");
        if (prefer.isPresent()) {
            for (String part : prefer.get().split(",")) {
                String trimmed = part.trim();
                if (trimmed.startsWith("odata.maxpagesize=")) {
                    try {
                        return Math.max(1, Math.min(999, Integer.parseInt(trimmed.substring(18).trim())));
                    }
                    catch (NumberFormatException ex) {
                        return 200;
                    }
                }
            }
        }
        return 200;
    }

    /** {@code $count=true} counts only with {@code ConsistencyLevel: eventual}, as in Graph's advanced queries. */
    private static boolean countRequested(HttpCall call) {
        boolean count = call.query("$count").map(value -> value.equalsIgnoreCase("true")).orElse(false);
        boolean eventual = call.header("ConsistencyLevel")
            .map(value -> value.equalsIgnoreCase("eventual"))
            .orElse(false);
        if (count && !eventual) {
            throw new GraphError(400, "Request_BadRequest",
                    "$count is not currently supported without the header 'ConsistencyLevel: eventual'.");
        }
        return count && eventual;
    }

    private static boolean expandManager(HttpCall call) {
        Optional<String> expand = call.query("$expand");
        if (expand.isEmpty()) {
            return false;
        }
        String value = expand.get().replace(" ", "");
        if (value.equals("manager") || value.startsWith("manager(")) {
            return true;
        }
        throw new GraphError(400, "Request_BadRequest",
                "The emulator supports $expand=manager($select=id) only, got '" + expand.get() + "'.");
    }

    private static final Set<String> KNOWN_OPTIONS = Set.of("$select", "$top", "$expand", "$count", "$skiptoken",
            "$deltatoken");

    private static void noUnsupportedOptions(HttpCall call) {
        for (String name : call.query().keySet()) {
            if (name.startsWith("$") && !KNOWN_OPTIONS.contains(name)) {
                throw new GraphError(400, "Request_UnsupportedQuery",
                        "The query option '" + name + "' is not supported by the emulator.");
            }
        }
    }

    private static GraphError notFoundSegment(List<String> rest) {
        return new GraphError(400, "BadRequest",
                "Resource not found for the segment '" + String.join("/", rest) + "'.");
    }

    static void error(HttpCall call, int status, String code, String message) {
        String requestId = UUID.randomUUID().toString();
        error(call, status, code, message, requestId, call.header("client-request-id").orElse(requestId));
    }

    /** Graph's error body: {@code code}, {@code message} and the {@code innerError} that names the request. */
    static void error(HttpCall call, int status, String code, String message, String requestId,
            String clientRequestId) {
        if (call.responded()) {
            return;
        }
        String date = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString().replace("Z", "");
        call.respondJson(status, json -> {
            json.writeStartObject();
            json.writeObjectPropertyStart("error");
            json.writeStringProperty("code", code);
            json.writeStringProperty("message", message);
            json.writeObjectPropertyStart("innerError");
            json.writeStringProperty("date", date);
            json.writeStringProperty("request-id", requestId);
            json.writeStringProperty("client-request-id", clientRequestId);
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndObject();
        });
    }
}
