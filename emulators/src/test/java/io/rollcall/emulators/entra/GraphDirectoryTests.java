package io.rollcall.emulators.entra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

class GraphDirectoryTests {

    private static EntraEmulator emulator;
    private static EntraTenant tenant;
    private static GeneratedDirectory directory;
    private static GraphTestClient client;

    @BeforeAll
    static void start() {
        emulator = EntraEmulator.start();
        tenant = emulator.createTenant();
        directory = tenant.generate(DirectorySpec.people(1_000).withDuplicateMembershipShare(0.2));
        client = new GraphTestClient(emulator).signIn(tenant);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static List<JsonNode> followAll(String first, String... headers) {
        List<JsonNode> items = new ArrayList<>();
        String url = first;
        int pages = 0;
        while (url != null) {
            GraphTestClient.Response page = client.get(url, headers);
            assertThat(page.status()).as("page %s: %s", url, page.json()).isEqualTo(200);
            page.json().get("value").forEach(items::add);
            JsonNode next = page.json().get("@odata.nextLink");
            url = next == null ? null : next.asString();
            if (url != null) {
                assertThat(url).startsWith(emulator.graphUrl());
            }
            pages++;
            assertThat(pages).isLessThan(1_000);
        }
        return items;
    }

    @Test
    void transitiveMembersWhenPagedThenEveryUserOfNestedGroupsExactlyOnce() {
        List<JsonNode> items = followAll("/groups/" + directory.topGroupId()
                + "/transitiveMembers?$top=97&$select=id,displayName,employeeHireDate");
        List<String> userIds = new ArrayList<>();
        int groups = 0;
        for (JsonNode item : items) {
            String type = item.get("@odata.type").asString();
            if (type.equals("#microsoft.graph.user")) {
                userIds.add(item.get("id").asString());
                assertThat(item.has("employeeHireDate")).isTrue();
            }
            else {
                assertThat(type).isEqualTo("#microsoft.graph.group");
                groups++;
            }
        }
        assertThat(userIds).doesNotHaveDuplicates();
        assertThat(new HashSet<>(userIds)).isEqualTo(new HashSet<>(directory.memberUserIds()));
        assertThat(userIds).doesNotContainAnyElementsOf(directory.outsiderUserIds());
        // 8 departments, each with 3 teams of 3 sub-teams.
        assertThat(groups).isEqualTo(8 + 8 * 3 + 8 * 9);
    }

    @Test
    void transitiveMembersCastWhenConsistencyLevelAndCountThenUsersOnlyWithCount() {
        GraphTestClient.Response page = client.get("/groups/" + directory.topGroupId()
                + "/transitiveMembers/microsoft.graph.user?$count=true&$top=999&$select=id", "ConsistencyLevel",
                "eventual");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.json().get("@odata.count").asInt()).isEqualTo(1_000);
        assertThat(page.json().get("value").size()).isEqualTo(999);
        page.json()
            .get("value")
            .forEach(item -> assertThat(item.get("@odata.type").asString()).isEqualTo("#microsoft.graph.user"));
        List<JsonNode> all = followAll(
                "/groups/" + directory.topGroupId() + "/transitiveMembers/microsoft.graph.user?$count=true&$top=999",
                "ConsistencyLevel", "eventual");
        assertThat(all).hasSize(1_000);
    }

    @Test
    void transitiveMembersCastWhenConsistencyLevelMissingThen400() {
        GraphTestClient.Response response = client
            .get("/groups/" + directory.topGroupId() + "/transitiveMembers/microsoft.graph.user?$count=true");
        assertThat(response.status()).isEqualTo(400);
        GraphTestClient.Response noCount = client.get(
                "/groups/" + directory.topGroupId() + "/transitiveMembers/microsoft.graph.user",
                "ConsistencyLevel", "eventual");
        assertThat(noCount.status()).isEqualTo(400);
        assertThat(noCount.json().get("error").get("code").asString()).isEqualTo("Request_UnsupportedQuery");
    }

    @Test
    void selectWhenEmployeeHireDateNotSelectedThenAbsentAndDefaultsApply() {
        String id = directory.memberUserIds().get(5);
        JsonNode user = client.get("/users/" + id).json();
        assertThat(user.has("employeeHireDate")).isFalse();
        assertThat(user.has("accountEnabled")).isFalse();
        assertThat(user.get("userPrincipalName").asString())
            .isEqualTo(tenant.user(id).orElseThrow().userPrincipalName());
        JsonNode selected = client.get("/users/" + id + "?$select=id,employeeHireDate,accountEnabled,preferredLanguage")
            .json();
        assertThat(selected.get("employeeHireDate").asString()).endsWith("T00:00:00Z");
        assertThat(selected.has("displayName")).isFalse();
        assertThat(selected.get("preferredLanguage").asString()).matches("[a-z]{2}-[A-Z]{2}");
    }

    @Test
    void selectWhenPropertyUnknownThen400() {
        GraphTestClient.Response response = client.get("/users?$select=id,shoeSize");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").get("message").asString()).contains("shoeSize");
    }

    @Test
    void groupWhenIdNotGuidThen400AndUnknownGuidThen404() {
        assertThat(client.get("/groups/not-a-guid").status()).isEqualTo(400);
        GraphTestClient.Response missing = client.get("/groups/00000000-0000-4000-8000-000000000000");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").get("code").asString()).isEqualTo("Request_ResourceNotFound");
        assertThat(client.get("/groups/" + directory.topGroupId() + "?$select=id,displayName")
            .json()
            .get("displayName")
            .asString()).isEqualTo("All staff");
    }

    @Test
    void topWhenAbove999Then400() {
        assertThat(client.get("/users?$top=1000").status()).isEqualTo(400);
    }

    @Test
    void userWhenAddressedByUpnThenSameUser() {
        EntraUser user = tenant.user(directory.memberUserIds().get(3)).orElseThrow();
        JsonNode byUpn = client.get("/users/" + user.userPrincipalName().toUpperCase()).json();
        assertThat(byUpn.get("id").asString()).isEqualTo(user.id());
    }

    @Test
    void managerWhenExpandedAndFetchedThenMatchesChainAndCeoHasNone() {
        String ceo = directory.memberUserIds().get(0);
        GraphTestClient.Response none = client.get("/users/" + ceo + "/manager");
        assertThat(none.status()).isEqualTo(404);
        String someone = directory.memberUserIds().get(200);
        EntraUser user = tenant.user(someone).orElseThrow();
        assertThat(user.managerId()).isNotNull();
        assertThat(client.get("/users/" + someone + "/manager").json().get("id").asString())
            .isEqualTo(user.managerId());
        JsonNode expanded = client.get("/users/" + someone + "?$select=id&$expand=manager($select=id)").json();
        assertThat(expanded.get("manager").get("id").asString()).isEqualTo(user.managerId());
        List<JsonNode> reports = followAll("/users/" + user.managerId() + "/directReports");
        assertThat(reports).extracting(node -> node.get("id").asString()).contains(someone);
        List<JsonNode> listed = followAll("/users?$select=id&$expand=manager($select=id)&$top=999");
        long withManager = listed.stream().filter(node -> node.has("manager")).count();
        assertThat(withManager).isEqualTo(1_000 + 5 - 1 - 5);
    }

    @Test
    void photoWhenPresentThenJpegWithStableEtagElse404() {
        Set<Boolean> seen = new HashSet<>();
        for (String id : directory.memberUserIds().subList(0, 40)) {
            EntraUser user = tenant.user(id).orElseThrow();
            GraphTestClient.Response photo = client.get("/users/" + id + "/photo/$value");
            seen.add(user.hasPhoto());
            if (user.hasPhoto()) {
                assertThat(photo.status()).isEqualTo(200);
                assertThat(photo.header("Content-Type")).isEqualTo("image/jpeg");
                byte[] bytes = photo.raw().body();
                assertThat(bytes[0] & 0xFF).isEqualTo(0xFF);
                assertThat(bytes[1] & 0xFF).isEqualTo(0xD8);
                JsonNode meta = client.get("/users/" + id + "/photo").json();
                assertThat(meta.get("@odata.mediaEtag").asString()).isEqualTo(photo.header("ETag"));
            }
            else {
                assertThat(photo.status()).isEqualTo(404);
                assertThat(photo.json().get("error").get("code").asString()).isEqualTo("ImageNotFound");
            }
        }
        assertThat(seen).containsExactlyInAnyOrder(true, false);
    }

    @Test
    void photoWhenChangedThenEtagChanges() {
        String id = directory.memberUserIds().get(7);
        tenant.setPhoto(id);
        String first = client.get("/users/" + id + "/photo").json().get("@odata.mediaEtag").asString();
        tenant.setPhoto(id);
        String second = client.get("/users/" + id + "/photo").json().get("@odata.mediaEtag").asString();
        assertThat(second).isNotEqualTo(first);
        tenant.removePhoto(id);
        assertThat(client.get("/users/" + id + "/photo/$value").status()).isEqualTo(404);
    }

    @Test
    void generatedUsersWhenReadThenCarryEveryMappedField() {
        List<JsonNode> users = followAll("/groups/" + directory.topGroupId()
                + "/transitiveMembers/microsoft.graph.user?$count=true&$top=999"
                + "&$select=id,accountEnabled,givenName,surname,displayName,userPrincipalName,mail,jobTitle,department,officeLocation,"
                + "preferredLanguage,employeeId,employeeHireDate,companyName,mobilePhone,businessPhones",
                "ConsistencyLevel", "eventual");
        long disabled = users.stream().filter(node -> !node.get("accountEnabled").asBoolean()).count();
        assertThat(disabled).isBetween(10L, 60L);
        for (JsonNode user : users) {
            for (String field : List.of("givenName", "surname", "mail", "jobTitle", "department", "officeLocation",
                    "employeeId",
                    "employeeHireDate", "companyName", "mobilePhone")) {
                assertThat(user.get(field).asString()).as(field).isNotBlank();
            }
            assertThat(user.get("businessPhones").size()).isEqualTo(1);
        }
    }

    @Test
    void pagingWhenDirectoryChangesMidwayThenNoUserTwiceAndDeletedOnesSkipped() {
        EntraEmulator own = EntraEmulator.start();
        try (own) {
            EntraTenant changing = own.createTenant();
            GeneratedDirectory generated = changing.generate(DirectorySpec.people(600));
            GraphTestClient paging = new GraphTestClient(own).signIn(changing);
            GraphTestClient.Response first = paging.get(
                    "/groups/" + generated.topGroupId()
                            + "/transitiveMembers/microsoft.graph.user?$count=true&$top=100&$select=id",
                    "ConsistencyLevel", "eventual");
            List<String> seen = new ArrayList<>();
            first.json().get("value").forEach(node -> seen.add(node.get("id").asString()));
            // Changes while the client pages: a new member at the front of a group, a deletion further on.
            EntraUser late = changing.createUser(
                    java.util.Map.of("userPrincipalName", "late@contoso.example", "displayName", "Late Joiner"));
            changing.addMember(generated.groupIds().get(1), late.id());
            String deleted = generated.memberUserIds().get(599);
            changing.deleteUser(deleted);
            String url = first.json().get("@odata.nextLink").asString();
            while (url != null) {
                GraphTestClient.Response page = paging.get(url, "ConsistencyLevel", "eventual");
                page.json().get("value").forEach(node -> seen.add(node.get("id").asString()));
                url = page.json().has("@odata.nextLink") ? page.json().get("@odata.nextLink").asString() : null;
            }
            assertThat(seen).doesNotHaveDuplicates().hasSize(599).doesNotContain(deleted);
        }
    }

    @Test
    void resourceUnitHeaderWhenTransitiveMembersThenFive() {
        GraphTestClient.Response response = client
            .get("/groups/" + directory.topGroupId() + "/transitiveMembers?$top=1");
        assertThat(response.header("x-ms-resource-unit")).isEqualTo("5");
        assertThat(client.get("/users?$top=1").header("x-ms-resource-unit")).isEqualTo("2");
        assertThat(client.get("/users/" + directory.memberUserIds().get(0)).header("x-ms-resource-unit"))
            .isEqualTo("1");
    }
}
