package io.rollcall.emulators.okta;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Okta org: users, the Rollcall app (an OIDC web app whose id is also its client id) with its
 * assignments, an API token, an OAuth service app, authorization servers and event hooks. Admin changes
 * made here are recorded as System Log events and delivered to verified event hooks.
 */
public final class OktaOrg {

    /** The event types an admin change emits. */
    public static final Set<String> EVENT_TYPES = Set.of("user.lifecycle.create", "user.lifecycle.activate",
            "user.lifecycle.reactivate", "user.lifecycle.deactivate", "user.lifecycle.suspend",
            "user.lifecycle.unsuspend",
            "user.lifecycle.delete.initiated", "user.account.update_profile", "application.user_membership.add",
            "application.user_membership.remove");

    private final OktaEmulator emulator;
    private final String apiToken;
    private final String serviceClientId;
    private final String serviceClientSecret;
    private final String appId;
    private final String appClientSecret;
    private final AtomicLong idCounter = new AtomicLong();
    // Ids grow with creation, so this order is creation order: what list paging walks.
    private final ConcurrentSkipListMap<String, OktaUser> users = new ConcurrentSkipListMap<>();
    private final Map<String, String> idByLogin = new ConcurrentHashMap<>();
    private final Map<String, ConcurrentSkipListSet<String>> assignments = new ConcurrentHashMap<>();
    private final Set<String> authorizationServers = ConcurrentHashMap.newKeySet();
    /** Client secrets of the org's OIDC apps by client id: the Rollcall app and any made with {@link #createApp()}. */
    private final Map<String, String> appSecrets = new ConcurrentHashMap<>();
    private final SplittableRandom appRandom;
    private final Object writeLock = new Object();

    OktaOrg(OktaEmulator emulator, long seed) {
        this.emulator = emulator;
        SplittableRandom random = new SplittableRandom(seed);
        this.apiToken = "00" + token(random, 40);
        this.serviceClientId = "0oa" + token(random, 17);
        this.serviceClientSecret = token(random, 40);
        this.appId = "0oa" + token(random, 17);
        this.appClientSecret = token(random, 40);
        this.assignments.put(this.appId, new ConcurrentSkipListSet<>());
        this.appSecrets.put(this.appId, this.appClientSecret);
        this.appRandom = random.split();
        this.authorizationServers.add("default");
    }

    /** Another OIDC web app of the org: its id is its client id. */
    public record OktaApp(String id, String clientSecret) {
    }

    // ---- addresses and credentials ----

    /** {@code http(s)://127.0.0.1:port}, like {@code https://acme.okta.com}: the org authorization server's issuer too. */
    public String orgUrl() {
        return this.emulator.baseUrl();
    }

    /** An API token: {@code Authorization: SSWS {token}}. */
    public String apiToken() {
        return this.apiToken;
    }

    /** The OAuth service app: client credentials at {@code {orgUrl}/oauth2/v1/token} with scopes {@code okta.users.read okta.apps.read}. */
    public String serviceClientId() {
        return this.serviceClientId;
    }

    public String serviceClientSecret() {
        return this.serviceClientSecret;
    }

    /** The Rollcall app's id; for an OIDC app it is also the client id. */
    public String appId() {
        return this.appId;
    }

    public String appClientId() {
        return this.appId;
    }

    public String appClientSecret() {
        return this.appClientSecret;
    }

    /**
     * Adds another OIDC web app with assignments of its own, as an org may sign people in to Rollcall through one
     * app and provision through another. Its users sign in with its client id; the Rollcall app's users list ignores it.
     */
    public OktaApp createApp() {
        synchronized (this.writeLock) {
            OktaApp app = new OktaApp("0oa" + token(this.appRandom, 17), token(this.appRandom, 40));
            this.appSecrets.put(app.id(), app.clientSecret());
            this.assignments.put(app.id(), new ConcurrentSkipListSet<>());
            return app;
        }
    }

    /** The client secret of an OIDC app of the org, empty for a client id the org does not have. */
    Optional<String> appSecret(String clientId) {
        return Optional.ofNullable(clientId == null ? null : this.appSecrets.get(clientId));
    }

    /** Whether the user is assigned to that app (the Rollcall app, or one made with {@link #createApp()}). */
    public boolean assigned(String appId, String userId) {
        ConcurrentSkipListSet<String> assigned = this.assignments.get(appId);
        return assigned != null && assigned.contains(userId);
    }

    /** Adds a custom authorization server ({@code default} always exists); issuer {@code {orgUrl}/oauth2/{id}}. */
    public String createAuthorizationServer(String id) {
        this.authorizationServers.add(Objects.requireNonNull(id, "id cannot be null"));
        return orgUrl() + "/oauth2/" + id;
    }

    boolean authorizationServerExists(String id) {
        return this.authorizationServers.contains(id);
    }

    // ---- read-back ----

    /** A user by id or login (case-insensitive), deleted ones excluded. */
    public Optional<OktaUser> user(String idOrLogin) {
        OktaUser byId = this.users.get(idOrLogin);
        if (byId != null) {
            return Optional.of(byId);
        }
        String id = this.idByLogin.get(idOrLogin.toLowerCase(Locale.ROOT));
        return Optional.ofNullable(id == null ? null : this.users.get(id));
    }

    /** Every user in creation order. */
    public List<OktaUser> users() {
        return List.copyOf(this.users.values());
    }

    /** Users assigned to the Rollcall app. */
    public List<String> assignedUserIds() {
        return List.copyOf(this.assignments.get(this.appId));
    }

    public boolean assigned(String userId) {
        return this.assignments.get(this.appId).contains(userId);
    }

    ConcurrentSkipListMap<String, OktaUser> userMap() {
        return this.users;
    }

    Optional<ConcurrentSkipListSet<String>> assignmentsOf(String appId) {
        return Optional.ofNullable(this.assignments.get(appId));
    }

    // ---- admin changes (each emits System Log events to the event hooks) ----

    /** Creates a user from profile attributes ({@code login} defaults to {@code email}); active or STAGED. */
    public OktaUser createUser(Map<String, String> profile, boolean activate) {
        Map<String, String> values = clean(profile);
        if (!values.containsKey("login")) {
            values.put("login", values.get("email"));
        }
        if (values.get("login") == null || values.get("email") == null) {
            throw new IllegalArgumentException("A user needs at least an email (and a login, which defaults to it)");
        }
        OktaUser user;
        synchronized (this.writeLock) {
            if (this.idByLogin.containsKey(values.get("login").toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(
                        "login: An object with this field already exists in the current organization");
            }
            Instant now = now();
            user = new OktaUser(nextUserId(), activate ? "ACTIVE" : "STAGED", now, activate ? now : null, now, now,
                    values);
            put(user);
        }
        this.emulator.hooks().emit("user.lifecycle.create", "Create okta user", user, null);
        if (activate) {
            this.emulator.hooks().emit("user.lifecycle.activate", "Activate Okta user", user, null);
        }
        return user;
    }

    /** Sets profile attributes; a null value removes one. */
    public OktaUser updateProfile(String idOrLogin, Map<String, String> changes) {
        OktaUser updated;
        synchronized (this.writeLock) {
            OktaUser user = require(idOrLogin);
            Map<String, String> profile = new LinkedHashMap<>(user.profile());
            changes.forEach((name, value) -> {
                if (value == null) {
                    profile.remove(name);
                }
                else {
                    profile.put(name, value);
                }
            });
            if (profile.get("login") == null || profile.get("email") == null) {
                throw new IllegalArgumentException("login and email cannot be removed");
            }
            updated = new OktaUser(user.id(), user.status(), user.created(), user.activated(), user.statusChanged(),
                    now(), profile);
            this.idByLogin.remove(user.login().toLowerCase(Locale.ROOT));
            put(updated);
        }
        this.emulator.hooks().emit("user.account.update_profile", "Update user profile for Okta", updated, null);
        return updated;
    }

    /** Sets {@code managerId} and {@code manager} (the manager's display name); null clears both. */
    public OktaUser setManager(String idOrLogin, String managerId) {
        Map<String, String> changes = new LinkedHashMap<>();
        if (managerId == null) {
            changes.put("managerId", null);
            changes.put("manager", null);
        }
        else {
            OktaUser manager = require(managerId);
            changes.put("managerId", manager.id());
            changes.put("manager", displayName(manager));
        }
        return updateProfile(idOrLogin, changes);
    }

    public OktaUser activate(String idOrLogin) {
        return lifecycle(idOrLogin, "ACTIVE", "user.lifecycle.activate", "Activate Okta user",
                Set.of("STAGED", "PROVISIONED"));
    }

    /** Reactivates a deactivated user (to PROVISIONED, as Okta does until a password is set: here straight to ACTIVE). */
    public OktaUser reactivate(String idOrLogin) {
        return lifecycle(idOrLogin, "ACTIVE", "user.lifecycle.reactivate", "Reactivate Okta user",
                Set.of("DEPROVISIONED"));
    }

    public OktaUser deactivate(String idOrLogin) {
        return lifecycle(idOrLogin, "DEPROVISIONED", "user.lifecycle.deactivate", "Deactivate Okta user", null);
    }

    public OktaUser suspend(String idOrLogin) {
        return lifecycle(idOrLogin, "SUSPENDED", "user.lifecycle.suspend", "Suspend Okta user",
                Set.of("ACTIVE", "RECOVERY", "PASSWORD_EXPIRED", "LOCKED_OUT"));
    }

    public OktaUser unsuspend(String idOrLogin) {
        return lifecycle(idOrLogin, "ACTIVE", "user.lifecycle.unsuspend", "Unsuspend Okta user", Set.of("SUSPENDED"));
    }

    /** Deletes a user (deactivating first when needed, as Okta's two-step delete does); assignments go too. */
    public void deleteUser(String idOrLogin) {
        OktaUser user = require(idOrLogin);
        if (!user.status().equals("DEPROVISIONED")) {
            user = deactivate(user.id());
        }
        synchronized (this.writeLock) {
            this.users.remove(user.id());
            this.idByLogin.remove(user.login().toLowerCase(Locale.ROOT));
            for (Set<String> assigned : this.assignments.values()) {
                assigned.remove(user.id());
            }
        }
        this.emulator.hooks().emit("user.lifecycle.delete.initiated", "Delete Okta user", user, null);
    }

    /** Assigns a user to the Rollcall app. */
    public void assign(String idOrLogin) {
        assign(this.appId, idOrLogin);
    }

    /** Removes a user from the Rollcall app. */
    public void unassign(String idOrLogin) {
        unassign(this.appId, idOrLogin);
    }

    /** Assigns a user to an app of the org; the event names that app (event hooks hear of every app's). */
    public void assign(String appId, String idOrLogin) {
        OktaUser user = require(idOrLogin);
        if (requireApp(appId).add(user.id())) {
            this.emulator.hooks()
                .emit("application.user_membership.add", "Add user to application membership", user, appId);
        }
    }

    /** Removes a user from an app of the org. */
    public void unassign(String appId, String idOrLogin) {
        OktaUser user = require(idOrLogin);
        if (requireApp(appId).remove(user.id())) {
            this.emulator.hooks()
                .emit("application.user_membership.remove", "Remove user from application membership", user, appId);
        }
    }

    private ConcurrentSkipListSet<String> requireApp(String appId) {
        ConcurrentSkipListSet<String> assigned = this.assignments.get(appId);
        if (assigned == null) {
            throw new NoSuchElementException("No app " + appId);
        }
        return assigned;
    }

    // ---- event hooks ----

    /**
     * Registers an event hook for every {@link #EVENT_TYPES event type} and runs Okta's one-time verification:
     * a GET with {@code X-Okta-Verification-Challenge} that must echo it as {@code {"verification": ...}}.
     * @throws IllegalStateException when verification fails (the hook stays registered, unverified)
     */
    public EventHook registerEventHook(String url, String authorization) {
        return this.emulator.hooks().register(url, authorization, EVENT_TYPES);
    }

    public List<EventHook> eventHooks() {
        return this.emulator.hooks().hooks();
    }

    /** Every delivery to any hook, oldest first. */
    public List<EventHookDelivery> deliveries() {
        return this.emulator.hooks().deliveries();
    }

    /** Waits until every queued event was delivered (or given up); false on time-out. */
    public boolean awaitDeliveries(java.time.Duration timeout) {
        return this.emulator.hooks().awaitIdle(timeout);
    }

    // ---- generation ----

    /** Makes users per the spec without emitting events (like an import); ids continue from existing users. */
    public GeneratedOrg generate(OrgSpec spec) {
        return new OrgGenerator(this, spec).generate();
    }

    /** Adds a user as generation does: no events. */
    void putGenerated(OktaUser user, boolean assign) {
        synchronized (this.writeLock) {
            put(user);
            if (assign) {
                this.assignments.get(this.appId).add(user.id());
            }
        }
    }

    String nextUserId() {
        // 00u + 17 characters: a zero-padded base-36 counter and a fixed tail, so ids sort in creation order.
        String counter = Long.toString(this.idCounter.incrementAndGet(), 36);
        return "00u" + "0".repeat(14 - counter.length()) + counter + "rc7";
    }

    Instant now() {
        return this.emulator.clock().instant();
    }

    OktaEmulator emulator() {
        return this.emulator;
    }

    static String displayName(OktaUser user) {
        String display = user.profile("displayName");
        return display != null ? display
                : (user.profile().getOrDefault("firstName", "") + " " + user.profile().getOrDefault("lastName", ""))
                    .trim();
    }

    private OktaUser lifecycle(String idOrLogin, String status, String eventType, String message, Set<String> from) {
        OktaUser updated;
        synchronized (this.writeLock) {
            OktaUser user = require(idOrLogin);
            if (from != null && !from.contains(user.status())) {
                throw new IllegalArgumentException(
                        "Cannot go from " + user.status() + " to " + status + " (" + eventType + ")");
            }
            Instant now = now();
            updated = new OktaUser(user.id(), status, user.created(),
                    status.equals("ACTIVE") && user.activated() == null ? now : user.activated(),
                    now, now, user.profile());
            put(updated);
        }
        this.emulator.hooks().emit(eventType, message, updated, null);
        return updated;
    }

    private void put(OktaUser user) {
        this.users.put(user.id(), user);
        this.idByLogin.put(user.login().toLowerCase(Locale.ROOT), user.id());
    }

    private OktaUser require(String idOrLogin) {
        return user(idOrLogin)
            .orElseThrow(() -> new NoSuchElementException("Not found: Resource not found: " + idOrLogin + " (User)"));
    }

    private static Map<String, String> clean(Map<String, String> profile) {
        Map<String, String> values = new LinkedHashMap<>();
        profile.forEach((name, value) -> {
            if (value != null) {
                values.put(name, value);
            }
        });
        return values;
    }

    private static String token(SplittableRandom random, int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
