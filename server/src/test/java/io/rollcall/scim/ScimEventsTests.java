package io.rollcall.scim;

import java.util.List;
import java.util.Map;

import io.rollcall.events.EventTestSupport;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.rollcall.scim.ScimTestClient.GROUP;
import static io.rollcall.scim.ScimTestClient.PATCH;
import static io.rollcall.scim.ScimTestClient.USER;
import static io.rollcall.events.EventTestSupport.assertActor;
import static io.rollcall.events.EventTestSupport.change;
import static io.rollcall.events.EventTestSupport.subjects;
import static io.rollcall.events.EventTestSupport.types;
import static org.assertj.core.api.Assertions.assertThat;

/** The SCIM writer (users and groups pushed as Entra pushes them), read back through the event feed. */
class ScimEventsTests extends IntegrationTest {

	@Autowired
	JdbcClient jdbc;

	@Test
	void scimWhenUsersAndGroupsPushedThenPersonAndTagMembershipEventsBySourceOutsideAnyRun() throws Exception {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		String start = EventTestSupport.cursorAfterEverything(this.jdbc);

		String ana = created(scim.send("POST", "/Users",
				Map.of("schemas", List.of(USER), "userName", "ana@contoso.test",
						"externalId", "ext-ana", "name", Map.of("givenName", "Ana", "familyName", "Lima"), "active",
						true)));
		String bo = created(scim.send("POST", "/Users", Map.of("schemas", List.of(USER), "userName", "bo@contoso.test",
				"externalId", "ext-bo", "active", true)));
		ok(scim.send("PATCH", "/Users/" + ana, Map.of("schemas", List.of(PATCH), "Operations",
				List.of(Map.of("op", "Replace", "path", "title", "value", "Pilot")))));
		String group = created(scim.send("POST", "/Groups", Map.of("schemas", List.of(GROUP), "displayName", "Sellers",
				"externalId", "g-1", "members", List.of(Map.of("value", ana)))));
		ok(scim.send("PATCH", "/Groups/" + group, Map.of("schemas", List.of(PATCH), "Operations", List.of(
				Map.of("op", "Add", "path", "members", "value", List.of(Map.of("value", bo)))))));
		ok(scim.send("PATCH", "/Groups/" + group, Map.of("schemas", List.of(PATCH), "Operations", List.of(
				Map.of("op", "Remove", "path", "members", "value", List.of(Map.of("value", ana)))))));
		ok(scim.send("PATCH", "/Users/" + ana, Map.of("schemas", List.of(PATCH), "Operations",
				List.of(Map.of("op", "Replace", "path", "active", "value", "False")))));

		List<JsonNode> events = EventTestSupport.eventsAfter(this.client, this.jdbc, scim.company, start);

		assertThat(types(events)).containsExactly("person.created", "person.created", "person.updated", "tag.created",
				"membership.added", "membership.added", "membership.removed", "person.deactivated");
		assertThat(subjects(events)).containsExactly(ana, bo, ana, group, ana, bo, ana, ana);
		events.forEach(e -> {
			assertActor(e, "source", "SCIM (entra)");
			assertThat(e.path("runId").isNull()).as("a push is no run").isTrue();
		});
		assertThat(change(events.get(0), "firstName")).containsExactly(null, "Ana");
		assertThat(change(events.get(0), "externalIds.scim")).containsExactly(null, "ext-ana");
		assertThat(events.get(2).path("changes").propertyNames()).containsExactly("jobTitle");
		assertThat(change(events.get(2), "jobTitle")).containsExactly(null, "Pilot");
		assertThat(change(events.get(3), "name")).containsExactly(null, "Sellers");
		assertThat(events.get(3).path("subject").path("name").asString()).isEqualTo("Sellers");
		assertThat(change(events.get(4), "tag")).containsExactly(null, "Sellers");
		assertThat(change(events.get(5), "tag")).containsExactly(null, "Sellers");
		assertThat(change(events.get(6), "tag")).containsExactly("Sellers", null);
		assertThat(events.get(6).path("subject").path("tags")).isEmpty();
		assertThat(change(events.get(7), "status")).containsExactly("active", "deactivated");
		EventTestSupport.assertSubjectIsAsApiShows(this.client, scim.company, events.get(7), "/api/v1/people/");
		EventTestSupport.assertSubjectIsAsApiShows(this.client, scim.company, events.get(5), "/api/v1/people/");
	}

	@Test
	void scimWhenGroupAndUserDeletedThenMembersLoseTheTagAndThoseTheyManagedLoseTheirManager() throws Exception {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		ok(scim.client.api(scim.company, "PUT", "/api/v1/integrations/scim", Map.of("deleteMode", "delete")));
		String boss = created(
				scim.send("POST", "/Users", Map.of("schemas", List.of(USER), "userName", "boss@contoso.test",
						"externalId", "ext-boss", "active", true)));
		String report = created(
				scim.send("POST", "/Users", Map.of("schemas", List.of(USER), "userName", "kai@contoso.test",
						"externalId", "ext-kai", "active", true)));
		ok(scim.send("PATCH", "/Users/" + report,
				Map.of("schemas", List.of(PATCH), "Operations", List.of(Map.of("op", "Add",
						"path", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "value",
						boss)))));
		String group = created(scim.send("POST", "/Groups", Map.of("schemas", List.of(GROUP), "displayName", "Leads",
				"members", List.of(Map.of("value", boss)))));
		Response team = scim.client.api(scim.company, "POST", "/api/v1/teams", Map.of("name", "Field"));
		String teamId = team.json().path("id").asString();
		ok(scim.client.api(scim.company, "PATCH", "/api/v1/teams/" + teamId,
				Map.of("managerIds", List.of(boss, report))));
		JsonNode bossAsHeWas = scim.api("GET", "/api/v1/people/" + boss).json();
		String start = EventTestSupport.cursorAfterEverything(this.jdbc);

		assertThat(scim.send("DELETE", "/Groups/" + group, null).status()).isEqualTo(204);
		JsonNode bossUntagged = scim.api("GET", "/api/v1/people/" + boss).json();
		assertThat(scim.send("DELETE", "/Users/" + boss, null).status()).isEqualTo(204);

		List<JsonNode> events = EventTestSupport.eventsAfter(this.client, this.jdbc, scim.company, start);
		assertThat(types(events)).containsExactly("membership.removed", "tag.deleted", "person.deleted",
				"manager.changed",
				"team.updated");
		assertThat(subjects(events)).containsExactly(boss, group, boss, report, teamId);
		events.forEach(e -> assertActor(e, "source", "SCIM (entra)"));
		assertThat(events.get(4).path("changes").path("managerIds").path("from").toString())
			.isIn("[\"" + boss + "\",\"" + report + "\"]", "[\"" + report + "\",\"" + boss + "\"]");
		assertThat(events.get(4).path("changes").path("managerIds").path("to").toString())
			.isEqualTo("[\"" + report + "\"]");
		EventTestSupport.assertSubjectIsAsApiShows(this.client, scim.company, events.get(4), "/api/v1/teams/");
		assertThat(change(events.get(0), "tag")).containsExactly("Leads", null);
		assertThat(change(events.get(1), "name")).containsExactly("Leads", null);
		assertThat(events.get(1).path("subject").path("name").asString()).isEqualTo("Leads");
		// A deleted person is carried as they were last.
		assertThat(events.get(2).path("subject")).isEqualTo(bossUntagged);
		assertThat(bossAsHeWas.path("tags").get(0).asString()).isEqualTo("Leads");
		assertThat(scim.api("GET", "/api/v1/people/" + boss).status()).isEqualTo(404);
		assertThat(change(events.get(3), "overrideManagerId")).containsExactly(boss, null);
		EventTestSupport.assertSubjectIsAsApiShows(this.client, scim.company, events.get(3), "/api/v1/people/");
	}

	private static String created(Response response) {
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		return response.json().path("id").asString();
	}

	private static void ok(Response response) {
		assertThat(response.status()).as(response.body()).isIn(200, 204);
	}

}
