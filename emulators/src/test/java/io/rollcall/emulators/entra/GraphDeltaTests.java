package io.rollcall.emulators.entra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.rollcall.emulators.EmulatorClock;
import tools.jackson.databind.JsonNode;

class GraphDeltaTests {

    private EmulatorClock clock;
    private EntraEmulator emulator;
    private EntraTenant tenant;
    private GeneratedDirectory directory;
    private GraphTestClient client;

    @BeforeEach
    void start() {
        this.clock = EmulatorClock.system();
        this.emulator = EntraEmulator
            .start(EntraEmulator.Options.defaults().clock(this.clock).accessTokenLifetime(Duration.ofDays(30)));
        this.tenant = this.emulator.createTenant();
        this.directory = this.tenant.generate(DirectorySpec.people(450));
        this.client = new GraphTestClient(this.emulator).signIn(this.tenant);
    }

    @AfterEach
    void stop() {
        this.emulator.close();
    }

    /** Follows a delta round to its deltaLink; returns items and the deltaLink. */
    private Round round(String first) {
        List<JsonNode> items = new ArrayList<>();
        String url = first;
        while (true) {
            GraphTestClient.Response page = this.client.get(url);
            assertThat(page.status()).as("%s -> %s", url, page.json()).isEqualTo(200);
            page.json().get("value").forEach(items::add);
            if (page.json().has("@odata.deltaLink")) {
                assertThat(page.json().has("@odata.nextLink")).isFalse();
                return new Round(items, page.json().get("@odata.deltaLink").asString());
            }
            url = page.json().get("@odata.nextLink").asString();
        }
    }

    record Round(List<JsonNode> items, String deltaLink) {
        JsonNode item(String id) {
            return this.items.stream().filter(node -> node.get("id").asString().equals(id)).findFirst().orElse(null);
        }
    }

    @Test
    void usersDeltaWhenInitialThenAllUsersOverPagesAndDeltaLink() {
        Round initial = round("/users/delta?$select=id,displayName,accountEnabled");
        assertThat(initial.items()).hasSize(455);
        assertThat(initial.deltaLink()).startsWith(this.emulator.graphUrl() + "/users/delta?$deltatoken=");
        Round nothing = round(initial.deltaLink());
        assertThat(nothing.items()).isEmpty();
    }

    @Test
    void usersDeltaWhenUserChangedDisabledDeletedThenOnlyThoseWithRemovedMarker() {
        Round initial = round("/users/delta?$select=id,jobTitle,accountEnabled");
        List<String> ids = this.directory.memberUserIds();
        this.tenant.updateUser(ids.get(10), Map.of("jobTitle", "Chief Tester"));
        this.tenant.disableUser(ids.get(11));
        this.tenant.deleteUser(ids.get(12));
        Round changes = round(initial.deltaLink());
        assertThat(changes.items()).hasSize(3);
        assertThat(changes.item(ids.get(10)).get("jobTitle").asString()).isEqualTo("Chief Tester");
        assertThat(changes.item(ids.get(10)).has("displayName")).isFalse();
        assertThat(changes.item(ids.get(11)).get("accountEnabled").asBoolean()).isFalse();
        assertThat(changes.item(ids.get(12)).get("@removed").get("reason").asString()).isEqualTo("changed");
        this.tenant.restoreUser(ids.get(12));
        Round restored = round(changes.deltaLink());
        assertThat(restored.items()).hasSize(1);
        assertThat(restored.item(ids.get(12)).has("@removed")).isFalse();
    }

    @Test
    void groupsDeltaWhenMembershipChangesThenMembersDeltaWithRemovals() {
        Round initial = round("/groups/delta?$select=displayName,members");
        JsonNode top = initial.item(this.directory.topGroupId());
        assertThat(top.get("members@delta").size()).isEqualTo(9); // CEO + 8 department groups
        String user = this.directory.outsiderUserIds().get(0);
        String leaving = this.directory.memberUserIds().get(0);
        this.tenant.addMember(this.directory.topGroupId(), user);
        this.tenant.removeMember(this.directory.topGroupId(), leaving);
        Round changes = round(initial.deltaLink());
        assertThat(changes.items()).hasSize(1);
        JsonNode members = changes.item(this.directory.topGroupId()).get("members@delta");
        assertThat(members).hasSize(2);
        assertThat(members.get(0).get("id").asString()).isEqualTo(user);
        assertThat(members.get(0).get("@odata.type").asString()).isEqualTo("#microsoft.graph.user");
        assertThat(members.get(0).has("@removed")).isFalse();
        assertThat(members.get(1).get("id").asString()).isEqualTo(leaving);
        assertThat(members.get(1).get("@removed").get("reason").asString()).isEqualTo("deleted");
    }

    @Test
    void groupsDeltaWhenGroupLargeThenSplitOverSeveralEntries() {
        EntraGroup big = this.tenant.createGroup("Big");
        for (String id : this.directory.memberUserIds()) {
            this.tenant.addMember(big.id(), id);
        }
        Round initial = round("/groups/delta?$select=members");
        long entries = initial.items().stream().filter(node -> node.get("id").asString().equals(big.id())).count();
        int members = initial.items()
            .stream()
            .filter(node -> node.get("id").asString().equals(big.id()))
            .mapToInt(node -> node.get("members@delta").size())
            .sum();
        assertThat(entries).isEqualTo(3);
        assertThat(members).isEqualTo(450);
    }

    @Test
    void deltaWhenLatestThenNoItemsButLaterChangesSeen() {
        GraphTestClient.Response latest = this.client.get("/users/delta?$deltatoken=latest&$select=id,surname");
        assertThat(latest.json().get("value")).isEmpty();
        String link = latest.json().get("@odata.deltaLink").asString();
        this.tenant.updateUser(this.directory.memberUserIds().get(1), Map.of("surname", "Changed"));
        Round changes = round(link);
        assertThat(changes.items()).hasSize(1);
        assertThat(changes.items().get(0).get("surname").asString()).isEqualTo("Changed");
    }

    @Test
    void deltaWhenTokenOlderThanSevenDaysThenSyncStateNotFound() {
        Round initial = round("/users/delta?$select=id");
        this.clock.advance(Duration.ofDays(7).plusMinutes(1));
        GraphTestClient.Response expired = this.client.get(initial.deltaLink());
        assertThat(expired.status()).isEqualTo(400);
        assertThat(expired.json().get("error").get("code").asString()).isEqualTo("syncStateNotFound");
    }

    @Test
    void deltaWhenTokensInvalidatedThen410WithLocation() {
        Round initial = round("/users/delta?$select=id");
        this.tenant.invalidateDeltaTokens();
        GraphTestClient.Response gone = this.client.get(initial.deltaLink());
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.header("Location")).isEqualTo(this.emulator.graphUrl() + "/users/delta");
    }

    @Test
    void deltaWhenManagerSelectedThenManagerTrackedLikeExpand() {
        Round initial = round("/users/delta?$select=id,%20manager");
        assertThat(initial.item(this.directory.memberUserIds().get(3)).get("manager").get("id").asString())
            .isEqualTo(this.tenant.user(this.directory.memberUserIds().get(3)).orElseThrow().managerId());
        this.tenant.clearManager(this.directory.memberUserIds().get(3));
        Round changes = round(initial.deltaLink());
        assertThat(changes.item(this.directory.memberUserIds().get(3)).has("manager")).isFalse();
        assertThat(this.client.get("/users?$select=id,manager").status()).isEqualTo(400);
    }

    @Test
    void deltaWhenManagerChangesThenUserInDeltaWithExpandedManager() {
        Round initial = round("/users/delta?$select=id&$expand=manager($select=id)");
        String user = this.directory.memberUserIds().get(40);
        String newManager = this.directory.memberUserIds().get(0);
        this.tenant.setManager(user, newManager);
        Round changes = round(initial.deltaLink());
        assertThat(changes.item(user).get("manager").get("id").asString()).isEqualTo(newManager);
    }
}
