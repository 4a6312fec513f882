package io.rollcall.emulators.entra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.rollcall.emulators.EmulatorClock;
import tools.jackson.databind.JsonNode;

class GraphSubscriptionTests {

    private EmulatorClock clock;
    private EntraEmulator emulator;
    private EntraTenant tenant;
    private GeneratedDirectory directory;
    private GraphTestClient client;
    private NotificationReceiver receiver;

    @BeforeEach
    void start() throws Exception {
        this.clock = EmulatorClock.system();
        this.emulator = EntraEmulator.start(EntraEmulator.Options.defaults()
            .clock(this.clock)
            .accessTokenLifetime(Duration.ofDays(60))
            .notificationRetryBackoff(Duration.ofMillis(50)));
        this.tenant = this.emulator.createTenant();
        this.directory = this.tenant.generate(DirectorySpec.people(60));
        this.client = new GraphTestClient(this.emulator).signIn(this.tenant);
        this.receiver = new NotificationReceiver();
    }

    @AfterEach
    void stop() {
        this.emulator.close();
        this.receiver.close();
    }

    private GraphTestClient.Response subscribe(String resource, Instant expiration) {
        return this.client.post("/subscriptions", """
                {"changeType":"updated,deleted","notificationUrl":"%s","lifecycleNotificationUrl":"%s",
                 "resource":"%s","expirationDateTime":"%s","clientState":"secret-state"}"""
            .formatted(this.receiver.url("/hooks/entra"), this.receiver.url("/hooks/entra/lifecycle"), resource,
                    expiration));
    }

    private Instant inDays(int days) {
        return this.clock.instant().plus(Duration.ofDays(days));
    }

    @Test
    void createWhenEndpointEchoesTokenThen201AndBothUrlsValidated() {
        GraphTestClient.Response created = subscribe("/users", inDays(2));
        assertThat(created.status()).as("%s", created.json()).isEqualTo(201);
        assertThat(created.json().get("id").asString()).isNotBlank();
        assertThat(created.json().get("clientState").asString()).isEqualTo("secret-state");
        List<NotificationDelivery> validations = this.tenant.deliveries()
            .stream()
            .filter(d -> d.kind().equals("validation"))
            .toList();
        assertThat(validations).extracting(NotificationDelivery::url)
            .containsExactly(this.receiver.url("/hooks/entra"), this.receiver.url("/hooks/entra/lifecycle"));
        assertThat(this.tenant.subscriptions()).hasSize(1);
    }

    @Test
    void deliveryWhenNotificationHostIsDotLocalhostThenSentToLoopbackWithThatHost() throws Exception {
        String hook = "http://acme.localhost:" + this.receiver.port() + "/hooks/entra";
        GraphTestClient.Response created = this.client.post("/subscriptions",
                """
                        {"changeType":"updated","notificationUrl":"%s","resource":"/users","expirationDateTime":"%s","clientState":"c"}"""
                    .formatted(hook, inDays(1)));
        assertThat(created.status()).as("%s", created.json()).isEqualTo(201);
        this.tenant.updateUser(this.directory.memberUserIds().get(1), Map.of("jobTitle", "Host-routed"));
        assertThat(this.receiver.awaitItems(list -> !list.isEmpty(), Duration.ofSeconds(5))).hasSize(1);
        assertThat(this.receiver.hosts()).hasSize(2)
            .allSatisfy(host -> assertThat(host).isEqualTo("acme.localhost:" + this.receiver.port()));
    }

    @Test
    void createWhenEndpointDoesNotEchoThen400ValidationError() {
        this.receiver.validationEcho(false);
        GraphTestClient.Response response = subscribe("/users", inDays(2));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").get("code").asString()).isEqualTo("ValidationError");
        assertThat(this.tenant.subscriptions()).isEmpty();
        assertThat(this.tenant.deliveries()).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo("validation");
            assertThat(d.status()).isEqualTo(200);
        });
    }

    @Test
    void createWhenExpirationBeyond41760MinutesThen400() {
        GraphTestClient.Response response = subscribe("/users", this.clock.instant().plus(Duration.ofMinutes(41_761)));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").get("message").asString()).contains("41760");
    }

    @Test
    void createWhenCreatedChangeTypeThen400() {
        GraphTestClient.Response response = this.client.post("/subscriptions", """
                {"changeType":"created","notificationUrl":"%s","resource":"/users","expirationDateTime":"%s"}"""
            .formatted(this.receiver.url("/n"), inDays(1)));
        assertThat(response.status()).isEqualTo(400);
    }

    @Test
    void userChangesWhenSubscribedThenDeliveredWithClientStateAndResource() throws Exception {
        String subscriptionId = subscribe("/users", inDays(2)).json().get("id").asString();
        String edited = this.directory.memberUserIds().get(3);
        String deleted = this.directory.memberUserIds().get(4);
        this.tenant.updateUser(edited, Map.of("department", "Moved"));
        this.tenant.deleteUser(deleted);
        List<JsonNode> items = this.receiver.awaitItems(list -> list.size() >= 2, Duration.ofSeconds(10));
        assertThat(items).hasSize(2);
        JsonNode first = items.get(0);
        assertThat(first.get("subscriptionId").asString()).isEqualTo(subscriptionId);
        assertThat(first.get("clientState").asString()).isEqualTo("secret-state");
        assertThat(first.get("tenantId").asString()).isEqualTo(this.tenant.tenantId());
        assertThat(first.get("changeType").asString()).isEqualTo("updated");
        assertThat(first.get("resource").asString()).isEqualTo("Users/" + edited);
        assertThat(first.get("resourceData").get("id").asString()).isEqualTo(edited);
        assertThat(first.get("resourceData").get("@odata.type").asString()).isEqualTo("#Microsoft.Graph.User");
        assertThat(items.get(1).get("changeType").asString()).isEqualTo("deleted");
        NotificationDelivery delivery = awaitChangeDeliveries(1).get(0);
        assertThat(delivery.status()).isEqualTo(202);
        assertThat(delivery.responseTime()).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void membershipChangesWhenGroupMembersSubscribedThenGroupNotificationOnlyForThatGroup() throws Exception {
        String top = this.directory.topGroupId();
        assertThat(subscribe("/groups/" + top + "/members", inDays(2)).status()).isEqualTo(201);
        this.tenant.addMember(this.directory.groupIds().get(2), this.directory.outsiderUserIds().get(1)); // another group
        this.tenant.addMember(top, this.directory.outsiderUserIds().get(0));
        List<JsonNode> items = this.receiver.awaitItems(list -> !list.isEmpty(), Duration.ofSeconds(5));
        Thread.sleep(200);
        items = this.receiver.items();
        assertThat(items).hasSize(1);
        assertThat(items.get(0).get("resource").asString()).isEqualTo("Groups/" + top);
    }

    @Test
    void burstWhenManyChangesThenBatchedIntoFewPosts() throws Exception {
        subscribe("/users", inDays(2));
        for (String id : this.directory.memberUserIds().subList(0, 50)) {
            this.tenant.updateUser(id, Map.of("jobTitle", "Batch"));
        }
        List<JsonNode> items = this.receiver.awaitItems(list -> list.size() >= 50, Duration.ofSeconds(5));
        assertThat(items).hasSize(50);
        assertThat(this.receiver.bodies().size()).isLessThan(50);
    }

    @Test
    void deliveryWhenEndpointFailsWith503ThenRetriedUntilAccepted() throws Exception {
        subscribe("/users", inDays(2));
        this.receiver.failNext(2);
        this.tenant.disableUser(this.directory.memberUserIds().get(9));
        List<JsonNode> items = this.receiver.awaitItems(list -> !list.isEmpty(), Duration.ofSeconds(5));
        assertThat(items).hasSize(1);
        List<NotificationDelivery> attempts = awaitChangeDeliveries(3);
        assertThat(attempts).extracting(NotificationDelivery::status).containsExactly(503, 503, 202);
        assertThat(attempts).extracting(NotificationDelivery::attempt).containsExactly(1, 2, 3);
    }

    @Test
    void renewalWhenPatchedThenNewExpiryAndBeyondMaxRefused() {
        String id = subscribe("/users", inDays(1)).json().get("id").asString();
        Instant later = inDays(20);
        GraphTestClient.Response renewed = this.client.patch("/subscriptions/" + id,
                "{\"expirationDateTime\":\"" + later + "\"}");
        assertThat(renewed.status()).isEqualTo(200);
        assertThat(Instant.parse(renewed.json().get("expirationDateTime").asString())).isEqualTo(later);
        assertThat(
                this.client.patch("/subscriptions/" + id, "{\"expirationDateTime\":\"" + inDays(30) + "\"}").status())
            .isEqualTo(400);
        assertThat(this.client.post("/subscriptions/" + id + "/reauthorize", "").status()).isEqualTo(204);
    }

    @Test
    void expiryWhenClockPassesExpirationThenGoneAndNothingDelivered() throws Exception {
        String id = subscribe("/users", inDays(1)).json().get("id").asString();
        this.clock.advance(Duration.ofDays(1).plusMinutes(1));
        assertThat(this.client.get("/subscriptions/" + id).status()).isEqualTo(404);
        assertThat(this.tenant.subscriptions()).isEmpty();
        this.tenant.updateUser(this.directory.memberUserIds().get(2), Map.of("jobTitle", "Late"));
        Thread.sleep(300);
        assertThat(this.receiver.items()).isEmpty();
    }

    @Test
    void deleteWhenSubscriptionDeletedThen204AndNoMoreDeliveries() throws Exception {
        String id = subscribe("/users", inDays(1)).json().get("id").asString();
        assertThat(this.client.delete("/subscriptions/" + id).status()).isEqualTo(204);
        assertThat(this.client.get("/subscriptions").json().get("value")).isEmpty();
        this.tenant.updateUser(this.directory.memberUserIds().get(2), Map.of("jobTitle", "Late"));
        Thread.sleep(300);
        assertThat(this.receiver.items()).isEmpty();
    }

    @Test
    void lifecycleWhenSentThenPostedToLifecycleUrlAndRemovedDeletesSubscription() throws Exception {
        String id = subscribe("/users", inDays(1)).json().get("id").asString();
        this.tenant.sendLifecycle(id, "missed");
        this.tenant.sendLifecycle(id, "subscriptionRemoved");
        List<JsonNode> items = this.receiver.awaitItems(list -> list.size() >= 2, Duration.ofSeconds(5));
        assertThat(items).extracting(item -> item.get("lifecycleEvent").asString())
            .containsExactlyInAnyOrder("missed", "subscriptionRemoved");
        assertThat(items).allSatisfy(item -> assertThat(item.get("clientState").asString()).isEqualTo("secret-state"));
        assertThat(this.tenant.deliveries().stream().filter(d -> d.kind().equals("lifecycle")))
            .allSatisfy(d -> assertThat(d.url()).isEqualTo(this.receiver.url("/hooks/entra/lifecycle")));
        assertThat(this.client.get("/subscriptions/" + id).status()).isEqualTo(404);
    }

    @Test
    void membershipChangesWhenNestedGroupMembersSubscribedThenOnlyThatGroupsDirectMembershipIsHeard() throws Exception {
        String nested = this.tenant.transitive(this.directory.topGroupId()).groupIds().getLast();
        assertThat(subscribe("/groups/" + nested + "/members", inDays(2)).status()).isEqualTo(201);

        this.tenant.addMember(this.directory.topGroupId(), this.directory.outsiderUserIds().get(0)); // the parent: not heard
        this.tenant.addMember(nested, this.directory.outsiderUserIds().get(1));

        List<JsonNode> items = this.receiver.awaitItems(list -> !list.isEmpty(), Duration.ofSeconds(5));
        Thread.sleep(200);
        items = this.receiver.items();
        assertThat(items).hasSize(1);
        assertThat(items.get(0).get("resource").asString()).isEqualTo("Groups/" + nested);
        assertThat(items.get(0).get("resourceData").get("id").asString()).isEqualTo(nested);
    }

    @Test
    void deleteGroupWhenNestedThenParentsMembersHeardGroupSubscriptionToldDeletedAndGroupGone() throws Exception {
        String top = this.directory.topGroupId();
        String nested = this.tenant.group(top)
            .orElseThrow()
            .memberIds()
            .stream()
            .filter(id -> this.tenant.group(id).isPresent())
            .findFirst()
            .orElseThrow();
        List<String> before = this.tenant.transitiveUserIds(top);
        subscribe("/groups/" + top + "/members", inDays(2));
        subscribe("/groups/" + nested, inDays(2));

        this.tenant.deleteGroup(nested);

        List<JsonNode> items = this.receiver.awaitItems(list -> list.size() >= 2, Duration.ofSeconds(5));
        assertThat(items).extracting(item -> item.get("changeType").asString() + " " + item.get("resource").asString())
            .containsExactlyInAnyOrder("updated Groups/" + top, "deleted Groups/" + nested);
        assertThat(this.client.get("/groups/" + nested).status()).isEqualTo(404);
        assertThat(this.tenant.transitiveUserIds(top)).hasSizeLessThan(before.size());
        assertThat(subscribe("/groups/" + nested + "/members", inDays(1)).status()).as("nothing left to subscribe to")
            .isEqualTo(400);
    }

    @Test
    void quotaWhenHundredSubscriptionsThen403() {
        for (int i = 0; i < 100; i++) {
            assertThat(subscribe("/users", inDays(1)).status()).isEqualTo(201);
        }
        assertThat(subscribe("/users", inDays(1)).status()).isEqualTo(403);
    }

    @Test
    void missedNotificationsWhenShareIsOneThenNothingDeliveredAndCounted() throws Exception {
        subscribe("/users", inDays(1));
        this.emulator.faults().missedNotificationShare(1.0);
        this.tenant.updateUser(this.directory.memberUserIds().get(2), Map.of("jobTitle", "Lost"));
        Thread.sleep(300);
        assertThat(this.receiver.items()).isEmpty();
        assertThat(this.emulator.counters().get("notificationsMissed")).isEqualTo(1);
    }

    /**
     * The change deliveries the emulator has recorded, once there are at least {@code count}: it records a delivery
     * when the receiver's answer is in, a moment after the receiver has seen its items.
     */
    private List<NotificationDelivery> awaitChangeDeliveries(int count) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<NotificationDelivery> changes = List.of();
        while (System.nanoTime() < end) {
            changes = this.tenant.deliveries().stream().filter(d -> d.kind().equals("change")).toList();
            if (changes.size() >= count) {
                break;
            }
            Thread.sleep(20);
        }
        return changes;
    }
}
