package io.rollcall.emulators.entra;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One emulated Entra ID tenant: its directory (users, security groups, managers, photos), one app
 * registration with a client secret and admin-consent state, change-notification subscriptions, and the
 * change log behind delta queries.
 *
 * <p>Admin operations ({@link #updateUser}, {@link #addMember}, {@link #deleteUser}, ...) change the data
 * the way an administrator in the Entra portal would: they are visible to Graph immediately, appear in
 * {@code users/delta} / {@code groups/delta}, and fire change notifications to matching subscriptions.
 * Photo changes, as in Graph, do neither. All methods are thread-safe.
 */
public final class EntraTenant {

    /** Graph user properties {@link #createUser}/{@link #updateUser} accept. */
    public static final Set<String> EDITABLE_PROPERTIES = Set.of("userPrincipalName", "displayName", "givenName",
            "surname", "mail", "jobTitle", "department", "officeLocation", "preferredLanguage", "employeeId",
            "employeeHireDate", "companyName", "mobilePhone", "businessPhones", "accountEnabled");

    /** One entry of the change log delta queries read. */
    record Change(long seq, boolean group, String objectId, String memberId, boolean added) {
    }

    /** Users and groups reachable from a group, each once, in discovery order. */
    record Transitive(List<String> userIds, List<String> groupIds, List<String> all) {
    }

    private final EntraEmulator emulator;
    private final String tenantId;
    private final String domain;
    private final String clientId;
    private final String clientSecret;
    private final SplittableRandom random;
    private final Object lock = new Object();

    private final Map<String, EntraUser> users = new ConcurrentHashMap<>();
    private final Map<String, String> userIdsByUpn = new ConcurrentHashMap<>();
    private final List<String> userOrder = new ArrayList<>();
    private final Map<String, EntraGroup> groups = new ConcurrentHashMap<>();
    private final List<String> groupOrder = new ArrayList<>();
    private final Map<String, Set<String>> directReports = new HashMap<>();
    private final Map<String, Integer> generatedPhotoVersions = new ConcurrentHashMap<>();
    private final Map<String, byte[]> uploadedPhotos = new ConcurrentHashMap<>();
    private final Map<String, Transitive> transitiveCache = new ConcurrentHashMap<>();
    private final List<Change> changes = new ArrayList<>();
    private final Map<String, Subscriptions.State> subscriptions = new ConcurrentHashMap<>();
    /** Ids of subscriptions deleted (or refused at validation) whose deliveries still belong to this tenant. */
    private final Set<String> removedSubscriptionIds = ConcurrentHashMap.newKeySet();
    private final ResourceUnits resourceUnits = new ResourceUnits();
    private volatile boolean consentGranted;
    private volatile long deltaEpoch;
    private volatile int resourceUnitLimit;

    EntraTenant(EntraEmulator emulator, long seed, String domain, boolean consentGranted) {
        this.emulator = emulator;
        this.random = new SplittableRandom(seed);
        this.tenantId = nextUuid(this.random);
        this.clientId = nextUuid(this.random);
        this.clientSecret = "emu~" + Long.toString(this.random.nextLong() & Long.MAX_VALUE, 36)
                + Long.toString(this.random.nextLong() & Long.MAX_VALUE, 36);
        this.domain = domain;
        this.consentGranted = consentGranted;
    }

    static String nextUuid(SplittableRandom random) {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    // ---- identity of the tenant and its app registration ----

    /** The directory (tenant) id, a GUID. */
    public String tenantId() {
        return this.tenantId;
    }

    /** The tenant's primary domain; the token endpoint also accepts it in place of the tenant id. */
    public String domain() {
        return this.domain;
    }

    /** The app registration's application (client) id. */
    public String clientId() {
        return this.clientId;
    }

    /** The app registration's client secret value. */
    public String clientSecret() {
        return this.clientSecret;
    }

    /** Whether an administrator granted the app its Graph permissions (admin consent). */
    public boolean consentGranted() {
        return this.consentGranted;
    }

    /** Grants admin consent, as the consent page would; Graph calls then succeed. */
    public void grantConsent() {
        this.consentGranted = true;
    }

    /** Withdraws admin consent; Graph calls then get 403 {@code Authorization_RequestDenied}. */
    public void revokeConsent() {
        this.consentGranted = false;
    }

    /** Overrides the resource-unit budget per 10 s (default by tenant size: 3,500 / 5,000 / 8,000). */
    public void resourceUnitLimit(int unitsPer10Seconds) {
        if (unitsPer10Seconds < 1) {
            throw new IllegalArgumentException("unitsPer10Seconds must be positive");
        }
        this.resourceUnitLimit = unitsPer10Seconds;
    }

    /** Resource units Graph requests of this tenant have spent since start. */
    public long resourceUnitsSpent() {
        return this.resourceUnits.spent();
    }

    // ---- directory generation ----

    /**
     * Builds a deterministic directory from the spec, adding to what the tenant already holds. Does not
     * fire notifications or write delta entries (it is the state before anyone watches).
     */
    public GeneratedDirectory generate(DirectorySpec spec) {
        Objects.requireNonNull(spec, "spec cannot be null");
        synchronized (this.lock) {
            GeneratedDirectory directory = new DirectoryGenerator(spec, this.tenantId).build(this);
            this.transitiveCache.clear();
            return directory;
        }
    }

    /** Adds a user during generation: no log, no notification. */
    void putGenerated(EntraUser user, int photoVersion) {
        if (this.userIdsByUpn.putIfAbsent(user.userPrincipalName().toLowerCase(Locale.ROOT), user.id()) != null) {
            throw new IllegalArgumentException(
                    "A user with userPrincipalName " + user.userPrincipalName() + " already exists");
        }
        this.users.put(user.id(), user);
        this.userOrder.add(user.id());
        if (user.managerId() != null) {
            this.directReports.computeIfAbsent(user.managerId(), key -> new LinkedHashSet<>()).add(user.id());
        }
        if (photoVersion > 0) {
            this.generatedPhotoVersions.put(user.id(), photoVersion);
        }
    }

    void putGeneratedGroup(EntraGroup group) {
        this.groups.put(group.id(), group);
        this.groupOrder.add(group.id());
    }

    // ---- admin operations ----

    /**
     * Creates a user from Graph properties ({@code userPrincipalName} and {@code displayName} required,
     * others from {@link #EDITABLE_PROPERTIES}); {@code accountEnabled} defaults to true.
     */
    public EntraUser createUser(Map<String, ?> properties) {
        Objects.requireNonNull(properties, "properties cannot be null");
        synchronized (this.lock) {
            Object upn = properties.get("userPrincipalName");
            if (!(upn instanceof String text) || text.isBlank() || properties.get("displayName") == null) {
                throw new IllegalArgumentException("A new user needs userPrincipalName and displayName");
            }
            String id = nextUuid(this.random);
            EntraUser blank = new EntraUser(id, text, null, null, null, null, null, null, null, null, null, null, null,
                    null, List.of(), true, null, false, null);
            EntraUser user = apply(blank, properties);
            if (this.userIdsByUpn.putIfAbsent(user.userPrincipalName().toLowerCase(Locale.ROOT), id) != null) {
                throw new IllegalArgumentException(
                        "A user with userPrincipalName " + user.userPrincipalName() + " already exists");
            }
            this.users.put(id, user);
            this.userOrder.add(id);
            logUser(id);
            return user;
        }
    }

    /** Changes Graph properties of a user (names from {@link #EDITABLE_PROPERTIES}; null clears). */
    public EntraUser updateUser(String userId, Map<String, ?> properties) {
        Objects.requireNonNull(properties, "properties cannot be null");
        synchronized (this.lock) {
            EntraUser current = requireLiveUser(userId);
            EntraUser changed = apply(current, properties);
            if (!changed.userPrincipalName().equalsIgnoreCase(current.userPrincipalName())) {
                String key = changed.userPrincipalName().toLowerCase(Locale.ROOT);
                if (this.userIdsByUpn.putIfAbsent(key, userId) != null) {
                    throw new IllegalArgumentException(
                            "A user with userPrincipalName " + changed.userPrincipalName() + " already exists");
                }
                this.userIdsByUpn.remove(current.userPrincipalName().toLowerCase(Locale.ROOT));
            }
            this.users.put(userId, changed);
            logUser(userId);
            return changed;
        }
    }

    /** Sets {@code accountEnabled=false}. */
    public EntraUser disableUser(String userId) {
        return updateUser(userId, Map.of("accountEnabled", false));
    }

    /** Sets {@code accountEnabled=true}. */
    public EntraUser enableUser(String userId) {
        return updateUser(userId, Map.of("accountEnabled", true));
    }

    /**
     * Soft-deletes a user: gone from {@code /users} and from group listings, {@code @removed} with reason
     * {@code changed} in delta, a {@code deleted} notification; {@link #restoreUser} brings it all back.
     */
    public void deleteUser(String userId) {
        synchronized (this.lock) {
            EntraUser user = requireLiveUser(userId);
            this.users.put(userId, user.withDeleted(this.emulator.clock().instant()));
            this.transitiveCache.clear();
            logUser(userId, "deleted");
            for (String groupId : directGroupsOf(userId)) {
                logMember(groupId, userId, false);
            }
        }
    }

    /** Restores a soft-deleted user with its group memberships. */
    public EntraUser restoreUser(String userId) {
        synchronized (this.lock) {
            EntraUser user = this.users.get(userId);
            if (user == null || !user.deleted()) {
                throw new IllegalArgumentException("No deleted user " + userId);
            }
            EntraUser restored = user.withDeleted(null);
            this.users.put(userId, restored);
            this.transitiveCache.clear();
            logUser(userId);
            for (String groupId : directGroupsOf(userId)) {
                logMember(groupId, userId, true);
            }
            return restored;
        }
    }

    /** Sets the user's manager (shown by {@code /manager}, {@code $expand=manager}, {@code /directReports}). */
    public EntraUser setManager(String userId, String managerId) {
        Objects.requireNonNull(managerId, "managerId cannot be null (use clearManager)");
        synchronized (this.lock) {
            requireLiveUser(managerId);
            if (userId.equals(managerId)) {
                throw new IllegalArgumentException("A user cannot be their own manager");
            }
            return changeManager(userId, managerId);
        }
    }

    /** Removes the user's manager. */
    public EntraUser clearManager(String userId) {
        synchronized (this.lock) {
            return changeManager(userId, null);
        }
    }

    private EntraUser changeManager(String userId, String managerId) {
        EntraUser user = requireLiveUser(userId);
        if (user.managerId() != null) {
            Set<String> reports = this.directReports.get(user.managerId());
            if (reports != null) {
                reports.remove(userId);
            }
        }
        if (managerId != null) {
            this.directReports.computeIfAbsent(managerId, key -> new LinkedHashSet<>()).add(userId);
        }
        EntraUser changed = user.withManager(managerId);
        this.users.put(userId, changed);
        logUser(userId);
        return changed;
    }

    /** Gives the user a new generated photo (a different JPEG than before). Not reported by delta. */
    public void setPhoto(String userId) {
        synchronized (this.lock) {
            EntraUser user = requireLiveUser(userId);
            this.uploadedPhotos.remove(userId);
            this.generatedPhotoVersions.merge(userId, 1, Integer::sum);
            this.users.put(userId, user.withPhoto(true));
        }
    }

    /** Sets the user's photo to these JPEG bytes. Not reported by delta. */
    public void setPhoto(String userId, byte[] jpeg) {
        Objects.requireNonNull(jpeg, "jpeg cannot be null");
        synchronized (this.lock) {
            EntraUser user = requireLiveUser(userId);
            this.uploadedPhotos.put(userId, jpeg.clone());
            this.users.put(userId, user.withPhoto(true));
        }
    }

    /** Removes the user's photo ({@code /photo/$value} then answers 404). */
    public void removePhoto(String userId) {
        synchronized (this.lock) {
            EntraUser user = requireLiveUser(userId);
            this.uploadedPhotos.remove(userId);
            this.generatedPhotoVersions.remove(userId);
            this.users.put(userId, user.withPhoto(false));
        }
    }

    /** Creates an empty security group. */
    public EntraGroup createGroup(String displayName) {
        Objects.requireNonNull(displayName, "displayName cannot be null");
        synchronized (this.lock) {
            String id = nextUuid(this.random);
            EntraGroup group = new EntraGroup(id, displayName, null, mailNickname(displayName), List.of());
            putGeneratedGroup(group);
            logGroup(id);
            return group;
        }
    }

    /** Adds a user or group as a direct member of a group; a no-op when it already is one. */
    public void addMember(String groupId, String memberId) {
        synchronized (this.lock) {
            EntraGroup group = requireGroup(groupId);
            if (!this.groups.containsKey(memberId)) {
                requireLiveUser(memberId);
            }
            if (group.memberIds().contains(memberId)) {
                return;
            }
            List<String> members = new ArrayList<>(group.memberIds());
            members.add(memberId);
            this.groups.put(groupId,
                    new EntraGroup(groupId, group.displayName(), group.description(), group.mailNickname(), members));
            this.transitiveCache.clear();
            logMember(groupId, memberId, true);
        }
    }

    /** Removes a direct member of a group; a no-op when it is not one. */
    public void removeMember(String groupId, String memberId) {
        synchronized (this.lock) {
            EntraGroup group = requireGroup(groupId);
            if (!group.memberIds().contains(memberId)) {
                return;
            }
            List<String> members = new ArrayList<>(group.memberIds());
            members.remove(memberId);
            this.groups.put(groupId,
                    new EntraGroup(groupId, group.displayName(), group.description(), group.mailNickname(), members));
            this.transitiveCache.clear();
            logMember(groupId, memberId, false);
        }
    }

    /**
     * Deletes a group as an admin does in the portal. A security group is deleted at once (only Microsoft 365 groups
     * go to the recycle bin); it leaves every group it was a member of (their members subscriptions hear of it), its
     * own members stay in the tenant, {@code /groups} and {@code /groups/{id}} subscriptions get {@code deleted}, and
     * groups/delta reports it {@code @removed}. Subscriptions on its members hear nothing more.
     */
    public void deleteGroup(String groupId) {
        synchronized (this.lock) {
            requireGroup(groupId);
            for (String parent : directGroupsOf(groupId)) {
                removeMember(parent, groupId);
            }
            this.groups.remove(groupId);
            this.groupOrder.remove(groupId);
            this.transitiveCache.clear();
            this.changes.add(new Change(this.changes.size(), true, groupId, null, false));
            this.emulator.subscriptions().groupDeleted(this, groupId);
        }
    }

    // ---- read-back ----

    /** A user by object id or userPrincipalName (case-insensitive), soft-deleted ones included. */
    public Optional<EntraUser> user(String idOrUpn) {
        EntraUser user = this.users.get(idOrUpn);
        if (user == null) {
            String id = this.userIdsByUpn.get(idOrUpn.toLowerCase(Locale.ROOT));
            user = id == null ? null : this.users.get(id);
        }
        return Optional.ofNullable(user);
    }

    /** Every user in creation order, soft-deleted ones included. */
    public List<EntraUser> users() {
        synchronized (this.lock) {
            return this.userOrder.stream().map(this.users::get).toList();
        }
    }

    public Optional<EntraGroup> group(String groupId) {
        return Optional.ofNullable(this.groups.get(groupId));
    }

    public List<EntraGroup> groups() {
        synchronized (this.lock) {
            return this.groupOrder.stream().map(this.groups::get).toList();
        }
    }

    /** Ids of the (non-deleted) users in the group or its nested groups, each once. */
    public List<String> transitiveUserIds(String groupId) {
        return transitive(groupId).userIds();
    }

    /** The JPEG Graph serves as the user's photo, if any. */
    public Optional<byte[]> photo(String userId) {
        byte[] uploaded = this.uploadedPhotos.get(userId);
        if (uploaded != null) {
            return Optional.of(uploaded.clone());
        }
        Integer version = this.generatedPhotoVersions.get(userId);
        return version == null ? Optional.empty() : Optional.of(Photos.generated(userId, version));
    }

    /** Live subscriptions (expired ones are gone, as in Graph). */
    public List<GraphSubscription> subscriptions() {
        Instant now = this.emulator.clock().instant();
        return this.subscriptions.values()
            .stream()
            .filter(state -> state.alive(now))
            .map(Subscriptions.State::snapshot)
            .toList();
    }

    /** A live subscription by id. */
    public Optional<GraphSubscription> subscription(String subscriptionId) {
        Subscriptions.State state = this.subscriptions.get(subscriptionId);
        return state == null || !state.alive(this.emulator.clock().instant()) ? Optional.empty()
                : Optional.of(state.snapshot());
    }

    /** Every POST made to this tenant's subscribers so far, oldest first. */
    public List<NotificationDelivery> deliveries() {
        return this.emulator.deliveries()
            .stream()
            .filter(delivery -> this.subscriptions.containsKey(delivery.subscriptionId())
                    || this.removedSubscriptionIds.contains(delivery.subscriptionId()))
            .toList();
    }

    /**
     * Sends a lifecycle notification for a subscription to its {@code lifecycleNotificationUrl}:
     * {@code reauthorizationRequired}, {@code subscriptionRemoved} (the subscription is then deleted) or
     * {@code missed}. Delivery is asynchronous; watch {@link #deliveries()}.
     */
    public void sendLifecycle(String subscriptionId, String lifecycleEvent) {
        Subscriptions.State state = this.subscriptions.get(subscriptionId);
        if (state == null) {
            throw new IllegalArgumentException("No subscription " + subscriptionId);
        }
        if (!Set.of("reauthorizationRequired", "subscriptionRemoved", "missed").contains(lifecycleEvent)) {
            throw new IllegalArgumentException("Unknown lifecycle event " + lifecycleEvent
                    + "; use reauthorizationRequired, subscriptionRemoved or missed");
        }
        if (lifecycleEvent.equals("subscriptionRemoved")) {
            removeSubscription(subscriptionId);
        }
        this.emulator.subscriptions().sendLifecycle(this, state, lifecycleEvent);
    }

    /**
     * Makes every delta token issued so far invalid: following one answers {@code 410 Gone} with
     * {@code resyncRequired} and a {@code Location} to start a full round again, as Graph does after a reset.
     */
    public void invalidateDeltaTokens() {
        synchronized (this.lock) {
            this.deltaEpoch++;
        }
    }

    // ---- internals used by the Graph API ----

    long deltaEpoch() {
        return this.deltaEpoch;
    }

    EntraEmulator emulator() {
        return this.emulator;
    }

    Map<String, Subscriptions.State> subscriptionStates() {
        return this.subscriptions;
    }

    void removeSubscription(String id) {
        Subscriptions.State removed = this.subscriptions.remove(id);
        if (removed != null) {
            this.removedSubscriptionIds.add(id);
            removed.stop();
        }
    }

    /** Keeps the validation attempts of a subscription that was never created visible in {@link #deliveries()}. */
    void forgetSubscription(String id) {
        this.removedSubscriptionIds.add(id);
    }

    ResourceUnits resourceUnits() {
        return this.resourceUnits;
    }

    int effectiveResourceUnitLimit() {
        if (this.resourceUnitLimit > 0) {
            return this.resourceUnitLimit;
        }
        int size = this.users.size();
        return size < 50 ? 3_500 : size <= 500 ? 5_000 : 8_000;
    }

    EntraUser liveUser(String idOrUpn) {
        return user(idOrUpn).filter(user -> !user.deleted()).orElse(null);
    }

    EntraUser rawUser(String id) {
        return this.users.get(id);
    }

    EntraGroup rawGroup(String id) {
        return this.groups.get(id);
    }

    List<String> directReportIds(String managerId) {
        synchronized (this.lock) {
            Set<String> reports = this.directReports.get(managerId);
            if (reports == null) {
                return List.of();
            }
            return reports.stream().filter(id -> !this.users.get(id).deleted()).toList();
        }
    }

    /** Live users in creation order, a fresh snapshot for one paged listing. */
    List<String> liveUserIds() {
        synchronized (this.lock) {
            List<String> ids = new ArrayList<>(this.userOrder.size());
            for (String id : this.userOrder) {
                if (!this.users.get(id).deleted()) {
                    ids.add(id);
                }
            }
            return ids;
        }
    }

    List<String> groupIds() {
        synchronized (this.lock) {
            return List.copyOf(this.groupOrder);
        }
    }

    Transitive transitive(String groupId) {
        Transitive cached = this.transitiveCache.get(groupId);
        if (cached != null) {
            return cached;
        }
        synchronized (this.lock) {
            return this.transitiveCache.computeIfAbsent(groupId, this::computeTransitive);
        }
    }

    private Transitive computeTransitive(String groupId) {
        LinkedHashSet<String> userIds = new LinkedHashSet<>();
        LinkedHashSet<String> groupIds = new LinkedHashSet<>();
        List<String> all = new ArrayList<>();
        ArrayList<String> stack = new ArrayList<>();
        Set<String> visited = new HashSet<>();
        stack.add(groupId);
        visited.add(groupId);
        while (!stack.isEmpty()) {
            EntraGroup group = this.groups.get(stack.removeLast());
            if (group == null) {
                continue;
            }
            for (String member : group.memberIds()) {
                if (this.groups.containsKey(member)) {
                    if (visited.add(member)) {
                        groupIds.add(member);
                        all.add(member);
                        stack.add(member);
                    }
                }
                else {
                    EntraUser user = this.users.get(member);
                    if (user != null && !user.deleted() && userIds.add(member)) {
                        all.add(member);
                    }
                }
            }
        }
        return new Transitive(List.copyOf(userIds), List.copyOf(groupIds), List.copyOf(all));
    }

    /** Sequence number the next change will get: a delta token taken now sees every later change. */
    long changeSeq() {
        synchronized (this.lock) {
            return this.changes.size();
        }
    }

    List<Change> changesSince(long seq) {
        synchronized (this.lock) {
            if (seq >= this.changes.size()) {
                return List.of();
            }
            return List.copyOf(this.changes.subList((int) seq, this.changes.size()));
        }
    }

    private List<String> directGroupsOf(String memberId) {
        List<String> result = new ArrayList<>();
        for (String groupId : this.groupOrder) {
            if (this.groups.get(groupId).memberIds().contains(memberId)) {
                result.add(groupId);
            }
        }
        return result;
    }

    private void logUser(String userId) {
        logUser(userId, "updated");
    }

    private void logUser(String userId, String changeType) {
        this.changes.add(new Change(this.changes.size(), false, userId, null, false));
        this.emulator.subscriptions().userChanged(this, userId, changeType);
    }

    private void logGroup(String groupId) {
        this.changes.add(new Change(this.changes.size(), true, groupId, null, false));
        this.emulator.subscriptions().groupChanged(this, groupId, false);
    }

    private void logMember(String groupId, String memberId, boolean added) {
        this.changes.add(new Change(this.changes.size(), true, groupId, memberId, added));
        this.emulator.subscriptions().groupChanged(this, groupId, true);
    }

    private EntraUser requireLiveUser(String userId) {
        EntraUser user = this.users.get(userId);
        if (user == null || user.deleted()) {
            throw new IllegalArgumentException("No user " + userId);
        }
        return user;
    }

    private EntraGroup requireGroup(String groupId) {
        EntraGroup group = this.groups.get(groupId);
        if (group == null) {
            throw new IllegalArgumentException("No group " + groupId);
        }
        return group;
    }

    static String mailNickname(String displayName) {
        String nickname = displayName.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
        return nickname.isEmpty() ? "group" : nickname;
    }

    private static EntraUser apply(EntraUser user, Map<String, ?> properties) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("userPrincipalName", user.userPrincipalName());
        values.put("displayName", user.displayName());
        values.put("givenName", user.givenName());
        values.put("surname", user.surname());
        values.put("mail", user.mail());
        values.put("jobTitle", user.jobTitle());
        values.put("department", user.department());
        values.put("officeLocation", user.officeLocation());
        values.put("preferredLanguage", user.preferredLanguage());
        values.put("employeeId", user.employeeId());
        values.put("employeeHireDate", user.employeeHireDate());
        values.put("companyName", user.companyName());
        values.put("mobilePhone", user.mobilePhone());
        values.put("businessPhones", user.businessPhones());
        values.put("accountEnabled", user.accountEnabled());
        for (Map.Entry<String, ?> entry : properties.entrySet()) {
            if (!EDITABLE_PROPERTIES.contains(entry.getKey())) {
                throw new IllegalArgumentException("Property " + entry.getKey() + " cannot be set; editable: "
                        + String.join(", ", EDITABLE_PROPERTIES.stream().sorted().toList()));
            }
            values.put(entry.getKey(), entry.getValue());
        }
        Object upn = values.get("userPrincipalName");
        if (!(upn instanceof String text) || text.isBlank()) {
            throw new IllegalArgumentException("userPrincipalName cannot be blank");
        }
        Object enabled = values.get("accountEnabled");
        if (!(enabled instanceof Boolean)) {
            throw new IllegalArgumentException("accountEnabled must be true or false");
        }
        return new EntraUser(user.id(), text, string(values, "displayName"), string(values, "givenName"),
                string(values, "surname"), string(values, "mail"), string(values, "jobTitle"),
                string(values, "department"), string(values, "officeLocation"), string(values, "preferredLanguage"),
                string(values, "employeeId"), hireDate(values.get("employeeHireDate")), string(values, "companyName"),
                string(values, "mobilePhone"), phones(values.get("businessPhones")), (Boolean) enabled,
                user.managerId(),
                user.hasPhoto(), user.deletedDateTime());
    }

    private static String string(Map<String, Object> values, String name) {
        Object value = values.get(name);
        if (value != null && !(value instanceof String)) {
            throw new IllegalArgumentException(name + " must be a string");
        }
        return (String) value;
    }

    private static Instant hireDate(Object value) {
        if (value == null || value instanceof Instant) {
            return (Instant) value;
        }
        if (value instanceof LocalDate date) {
            return date.atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        String text = value.toString();
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(text);
        }
        catch (DateTimeParseException ex) {
            throw new IllegalArgumentException("employeeHireDate must be an ISO date or date-time, got " + text);
        }
    }

    private static List<String> phones(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof Collection<?> collection) {
            return collection.stream().map(String::valueOf).toList();
        }
        return List.of(value.toString());
    }
}
