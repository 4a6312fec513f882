package io.rollcall.scim;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.rollcall.scim.ScimTestClient.ENTERPRISE;
import static io.rollcall.scim.ScimTestClient.PATCH;
import static io.rollcall.scim.ScimTestClient.USER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays what Entra ID (both PATCH dialects) and Okta (PUT apps, PATCH apps, group push) send, as
 * protocols.md describes it, and checks the directory through the REST API.
 */
class ScimInteropTests extends IntegrationTest {

	@Test
	void entraWhenDefaultDialectReplayedThenDirectoryFollows() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		// Test Connection, then schema discovery.
		Response probe = scim.get("/Users?filter=" + ScimTestClient.q("userName eq \"" + UUID.randomUUID() + "\""));
		assertThat(probe.status()).isEqualTo(200);
		assertThat(probe.json().path("totalResults").asInt()).isZero();
		assertThat(probe.header("Content-Type")).startsWith("application/scim+json");
		assertThat(scim.get("/Schemas").status()).isEqualTo(200);
		assertThat(scim.get("/ServiceProviderConfig").json().path("patch").path("supported").asBoolean()).isTrue();

		assertThat(scim.get("/Users?filter=" + ScimTestClient.q("externalId eq \"boss\""))
			.json()
			.path("totalResults")
			.asInt()).isZero();
		String bossId = create(scim, entraUser("boss", "Boss@Contoso.test", "Bea", "Boss", "Sales")).path("id")
			.asString();
		JsonNode alice = create(scim, entraUser("alice", "alice@contoso.test", "Alice", "Archer", "Sales"));
		String aliceId = alice.path("id").asString();
		assertThat(alice.path("meta").path("version").asString()).startsWith("W/\"");

		// Lookups Entra makes before each change.
		assertThat(scim.get("/Users?filter=" + ScimTestClient.q("userName eq \"ALICE@contoso.test\""))
			.json()
			.path("Resources")
			.get(0)
			.path("id")
			.asString()).isEqualTo(aliceId);
		assertThat(scim
			.get("/Users?filter=" + ScimTestClient.q("emails[type eq \"work\"].value eq \"alice@contoso.test\""))
			.json()
			.path("totalResults")
			.asInt()).isEqualTo(1);

		Response manager = scim.send("PATCH", "/Users/" + aliceId, Map.of("schemas", List.of(PATCH), "Operations",
				List.of(Map.of("op", "Add", "path", ENTERPRISE + ":manager", "value", bossId),
						Map.of("op", "Replace", "path", "title", "value", "Account Executive"),
						Map.of("op", "Replace", "path", "phoneNumbers[type eq \"mobile\"].value", "value",
								"+1 (555) 010-0199"))));
		assertThat(manager.status()).as(manager.body()).isEqualTo(200);

		JsonNode person = scim.api("GET", "/api/v1/people/" + aliceId).json();
		assertThat(person.path("overrideManagerId").asString()).isEqualTo(bossId);
		assertThat(person.path("jobTitle").asString()).isEqualTo("Account Executive");
		assertThat(person.path("phone").asString()).isEqualTo("+442079460958"); // the first number is the one used
		assertThat(person.path("office").asString()).isEqualTo("Building 7");
		assertThat(person.path("city").asString()).isEqualTo("Redmond");
		assertThat(person.path("companyName").asString()).isEqualTo("Contoso");
		assertThat(person.path("externalIds").path("scim").asString()).isEqualTo("alice");
		assertThat(teamName(scim, person.path("primaryTeamId").asString())).isEqualTo("Sales");

		// Groups: looked up without members, created empty, members added and removed Entra's way.
		assertThat(
				scim.get("/Groups?excludedAttributes=members&filter=" + ScimTestClient.q("displayName eq \"Sellers\""))
					.json()
					.path("totalResults")
					.asInt())
			.isZero();
		Response group = scim.send("POST", "/Groups",
				Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:Group"),
						"displayName", "Sellers", "externalId", "0f1e-group", "members", List.of()));
		assertThat(group.status()).as(group.body()).isEqualTo(201);
		String groupId = group.json().path("id").asString();
		Response added = scim.send("PATCH", "/Groups/" + groupId, Map.of("schemas", List.of(PATCH), "Operations",
				List.of(Map.of("op", "Add", "path", "members", "value",
						List.of(Map.of("value", aliceId), Map.of("value", bossId))))));
		assertThat(added.status()).as(added.body()).isEqualTo(204);
		assertThat(scim.api("GET", "/api/v1/people/" + aliceId).json().path("tags").toString()).contains("Sellers");
		Response removed = scim.send("PATCH", "/Groups/" + groupId, Map.of("schemas", List.of(PATCH), "Operations",
				List.of(Map.of("op", "Remove", "path", "members", "value", List.of(Map.of("value", aliceId))))));
		assertThat(removed.status()).isEqualTo(204);
		assertThat(scim.api("GET", "/api/v1/people/" + aliceId).json().path("tags").toString())
			.doesNotContain("Sellers");
		// Removing with value took only the member named, not the whole group.
		assertThat(scim.api("GET", "/api/v1/people/" + bossId).json().path("tags").toString()).contains("Sellers");

		// Unassigned: disabled with a string boolean; the user is still returned by lookups.
		Response disabled = scim.send("PATCH", "/Users/" + aliceId, Map.of("schemas", List.of(PATCH), "Operations",
				List.of(Map.of("op", "Replace", "path", "active", "value", "False"))));
		assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
		assertThat(disabled.json().path("active").asBoolean()).isFalse();
		assertThat(scim.api("GET", "/api/v1/people/" + aliceId).json().path("status").asString())
			.isEqualTo("deactivated");
		assertThat(scim.get("/Users?filter=" + ScimTestClient.q("userName eq \"alice@contoso.test\""))
			.json()
			.path("totalResults")
			.asInt()).isEqualTo(1);
		// Hard delete after the soft delete: deactivated by default, nothing lost.
		assertThat(scim.send("DELETE", "/Users/" + aliceId, null).status()).isEqualTo(204);
		assertThat(scim.api("GET", "/api/v1/people/" + aliceId).json().path("status").asString())
			.isEqualTo("deactivated");

		// Audit names the source.
		assertThat(scim.api("GET", "/api/v1/audit?limit=200").body()).contains("SCIM (entra)");
	}

	@Test
	void entraWhenNewDialectReplayedThenDirectoryFollows() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		String id = create(scim, entraUser("carol", "carol@contoso.test", "Carol", "Cole", null)).path("id").asString();
		Response replaced = scim.send("PATCH", "/Users/" + id, Map.of("schemas", List.of(PATCH), "Operations",
				List.of(Map.of("op", "replace", "value",
						Map.of("name.givenName", "Caroline", "name.familyName", "Cole-Smith",
								ENTERPRISE + ":employeeNumber", "E-77", ENTERPRISE + ":department", "Research")))));
		assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
		JsonNode person = scim.api("GET", "/api/v1/people/" + id).json();
		assertThat(person.path("firstName").asString()).isEqualTo("Caroline");
		assertThat(person.path("lastName").asString()).isEqualTo("Cole-Smith");
		assertThat(teamName(scim, person.path("primaryTeamId").asString())).isEqualTo("Research");

		String groupId = scim.send("POST", "/Groups", Map.of("displayName", "Researchers", "members",
				List.of(Map.of("value", id))))
			.json()
			.path("id")
			.asString();
		assertThat(scim.api("GET", "/api/v1/people/" + id).json().path("tags").toString()).contains("Researchers");
		Response removed = scim.send("PATCH", "/Groups/" + groupId, Map.of("schemas", List.of(PATCH), "Operations",
				List.of(Map.of("op", "remove", "path", "members[value eq \"" + id + "\"]"))));
		assertThat(removed.status()).as(removed.body()).isEqualTo(204);
		assertThat(scim.api("GET", "/api/v1/people/" + id).json().path("tags").toString())
			.doesNotContain("Researchers");

		Response disabled = scim.send("PATCH", "/Users/" + id, Map.of("schemas", List.of(PATCH), "Operations",
				List.of(Map.of("op", "replace", "path", "active", "value", false))));
		assertThat(disabled.json().path("active").asBoolean()).isFalse();
		Response enabled = scim.send("PATCH", "/Users/" + id, Map.of("schemas", List.of(PATCH), "Operations",
				List.of(Map.of("op", "replace", "value", Map.of("active", true)))));
		assertThat(enabled.json().path("active").asBoolean()).isTrue();
		assertThat(scim.api("GET", "/api/v1/people/" + id).json().path("status").asString()).isEqualTo("active");
	}

	@Test
	void oktaWhenPutAppReplayedThenDirectoryFollows() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		Response check = scim.get("/Users?startIndex=1&count=2");
		assertThat(check.status()).isEqualTo(200);
		assertThat(check.json().path("startIndex").isInt()).isTrue();
		assertThat(scim
			.get("/Users?filter=" + ScimTestClient.q("userName eq \"dan@okta.test\"") + "&startIndex=1&count=100")
			.json()
			.path("totalResults")
			.asInt()).isZero();
		Map<String, Object> dan = Map.of("schemas", List.of(USER), "userName", "dan@okta.test", "name",
				Map.of("givenName", "Dan", "familyName", "Dunn"), "emails",
				List.of(Map.of("primary", true, "value", "dan@okta.test", "type", "work")), "active", true,
				"externalId",
				"00u1dan");
		JsonNode created = create(scim, dan);
		String id = created.path("id").asString();
		Response duplicate = scim.send("POST", "/Users", dan);
		assertThat(duplicate.status()).isEqualTo(409);
		assertThat(duplicate.json().path("status").asString()).isEqualTo("409");
		assertThat(duplicate.json().path("scimType").asString()).isEqualTo("uniqueness");
		// Case-insensitive userName lookup.
		assertThat(scim.get("/Users?filter=" + ScimTestClient.q("userName eq \"DAN@OKTA.TEST\""))
			.json()
			.path("totalResults")
			.asInt()).isEqualTo(1);

		// Update: GET, then PUT the whole user.
		JsonNode current = scim.get("/Users/" + id).json();
		var document = (tools.jackson.databind.node.ObjectNode) current.deepCopy();
		((tools.jackson.databind.node.ObjectNode) document.get("name")).put("familyName", "Dunn-Lee");
		document.put("title", "Engineer");
		Response put = scim.send("PUT", "/Users/" + id, document.toString());
		assertThat(put.status()).as(put.body()).isEqualTo(200);
		JsonNode person = scim.api("GET", "/api/v1/people/" + id).json();
		assertThat(person.path("lastName").asString()).isEqualTo("Dunn-Lee");
		assertThat(person.path("jobTitle").asString()).isEqualTo("Engineer");
		// Deactivation by PUT active=false.
		document.put("active", false);
		assertThat(scim.send("PUT", "/Users/" + id, document.toString()).json().path("active").asBoolean()).isFalse();
		assertThat(scim.api("GET", "/api/v1/people/" + id).json().path("status").asString()).isEqualTo("deactivated");

		Response missing = scim.get("/Users/" + UUID.randomUUID());
		assertThat(missing.status()).isEqualTo(404);
		assertThat(missing.json().path("status").asString()).isEqualTo("404");
		assertThat(missing.json().path("detail").asString()).isNotBlank();
		Response wrongToken = this.client.send("GET", scim.company.slug() + ".localhost", "/scim/v2/Users",
				"Bearer nope", null);
		assertThat(wrongToken.status()).isEqualTo(401);
		assertThat(wrongToken.json().path("status").asString()).isEqualTo("401");
	}

	@Test
	void oktaWhenPatchAppAndGroupPushReplayedThenDirectoryFollows() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		String erin = create(scim,
				Map.of("userName", "erin@okta.test", "name", Map.of("givenName", "Erin"), "active", true))
			.path("id")
			.asString();
		String finn = create(scim,
				Map.of("userName", "finn@okta.test", "name", Map.of("givenName", "Finn"), "active", true))
			.path("id")
			.asString();
		Response group = scim.send("POST", "/Groups",
				Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:Group"),
						"displayName", "Okta Pushers", "members", List.of()));
		String groupId = group.json().path("id").asString();
		Response rename = scim.send("PATCH", "/Groups/" + groupId, Map.of("schemas", List.of(PATCH), "Operations",
				List.of(Map.of("op", "replace", "value", Map.of("id", groupId, "displayName", "Okta Movers")))));
		assertThat(rename.status()).as(rename.body()).isEqualTo(204);
		Response add = scim.send("PATCH", "/Groups/" + groupId, Map.of("schemas", List.of(PATCH), "Operations",
				List.of(Map.of("op", "add", "path", "members", "value",
						List.of(Map.of("value", erin, "display", "erin@okta.test"), Map.of("value", finn))))));
		assertThat(add.status()).isEqualTo(204);
		Response remove = scim.send("PATCH", "/Groups/" + groupId, Map.of("schemas", List.of(PATCH), "Operations",
				List.of(Map.of("op", "remove", "path", "members[value eq \"" + finn + "\"]"))));
		assertThat(remove.status()).isEqualTo(204);
		JsonNode read = scim.get("/Groups/" + groupId).json();
		assertThat(read.path("displayName").asString()).isEqualTo("Okta Movers");
		assertThat(read.path("members").size()).isEqualTo(1);
		assertThat(scim.api("GET", "/api/v1/people/" + erin).json().path("tags").toString()).contains("Okta Movers");
		assertThat(scim.api("GET", "/api/v1/people/" + finn).json().path("tags").toString())
			.doesNotContain("Okta Movers");

		// OIN apps deactivate with a path-less replace.
		Response off = scim.send("PATCH", "/Users/" + erin, Map.of("schemas", List.of(PATCH), "Operations",
				List.of(Map.of("op", "replace", "value", Map.of("active", false)))));
		assertThat(off.status()).as(off.body()).isEqualTo(200);
		assertThat(scim.api("GET", "/api/v1/people/" + erin).json().path("status").asString()).isEqualTo("deactivated");
	}

	@Test
	void createUserWhenSourceInvitesImmediatelyThenInvitationMailed() throws Exception {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		Response settings = scim.client.api(scim.company, "PUT", "/api/v1/integrations/scim",
				Map.of("invitationPolicy", "immediately"));
		assertThat(settings.json().path("invitationPolicy").asString()).isEqualTo("immediately");
		String email = "invitee-" + UUID.randomUUID().toString().substring(0, 8) + "@x.test";
		String id = create(scim, Map.of("userName", email)).path("id").asString();
		assertThat(io.rollcall.support.Mails.awaitTo(MAIL, email)).isNotNull();
		assertThat(scim.api("GET", "/api/v1/people/" + id).json().path("invitationState").asString())
			.isEqualTo("invited");
	}

	@Test
	void createUserWhenPersonExistsByEmailThenLinkedNotDuplicated() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		Response existing = scim.client.api(scim.company, "POST", "/api/v1/people",
				Map.of("email", "nina@x.test", "firstName", "Nina", "jobTitle", "Nurse"));
		String id = existing.json().path("id").asString();
		JsonNode created = create(scim, Map.of("userName", "Nina@X.test", "externalId", "ext-nina", "title", "Doctor"));
		assertThat(created.path("id").asString()).isEqualTo(id);
		JsonNode person = scim.api("GET", "/api/v1/people/" + id).json();
		assertThat(person.path("jobTitle").asString()).isEqualTo("Doctor");
		assertThat(person.path("externalIds").path("scim").asString()).isEqualTo("ext-nina");
		// Changing the userName (e-mail) is an update of the same person, not a deprovision.
		Response renamed = scim.send("PATCH", "/Users/" + id, Map.of("Operations",
				List.of(Map.of("op", "replace", "path", "userName", "value", "nina.new@x.test"))));
		assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
		person = scim.api("GET", "/api/v1/people/" + id).json();
		assertThat(person.path("email").asString()).isEqualTo("nina.new@x.test");
		assertThat(person.path("status").asString()).isEqualTo("active");
		assertThat(scim.get("/Users?filter=" + ScimTestClient.q("externalId eq \"ext-nina\""))
			.json()
			.path("totalResults")
			.asInt()).isEqualTo(1);
	}

	@org.springframework.beans.factory.annotation.Autowired
	org.springframework.jdbc.core.simple.JdbcClient jdbc;

	/** Each pushed change leaves one audit entry by the SCIM client and one event with the same changes, no run. */
	@Test
	void createAndPatchUserWhenPushedThenOneAuditEntryAndOneEventEach() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		String id = create(scim, Map.of("userName", "otto@x.test", "externalId", "ext-otto", "title", "Pilot"))
			.path("id")
			.asString();
		Response patched = scim.send("PATCH", "/Users/" + id, Map.of("Operations",
				List.of(Map.of("op", "replace", "path", "title", "value", "Captain"))));
		assertThat(patched.status()).as(patched.body()).isEqualTo(200);

		List<String> audit = this.jdbc.sql("""
				select action || ' by ' || actor_label || ': ' || (changes -> 'jobTitle' ->> 'to') from audit_entry
				where subject_id = :person order by id""")
			.param("person", java.util.UUID.fromString(id))
			.query(String.class)
			.list();
		List<String> events = this.jdbc
			.sql("""
					select type || ' ' || coalesce(run_id::text, 'no run') || ': ' || (changes -> 'jobTitle' ->> 'to') from domain_event
					where subject_id = :person order by id""")
			.param("person", java.util.UUID.fromString(id))
			.query(String.class)
			.list();
		assertThat(audit).hasSize(2);
		assertThat(audit.get(0)).startsWith("created by SCIM (").endsWith(": Pilot");
		assertThat(audit.get(1)).startsWith("updated by SCIM (").endsWith(": Captain");
		assertThat(events).containsExactly("person.created no run: Pilot", "person.updated no run: Captain");
	}

	@Test
	void patchUserWhenPersonCameFromAnotherSourceThenPrimaryTeamKeptAndShownAsDepartment() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		Response team = scim.client.api(scim.company, "POST", "/api/v1/teams", Map.of("name", "Clinic"));
		Response existing = scim.client.api(scim.company, "POST", "/api/v1/people", Map.of("email", "omar@x.test",
				"firstName", "Omar", "primaryTeamId", team.json().path("id").asString()));
		String id = existing.json().path("id").asString();
		// No SCIM client wrote this person yet: the PATCH applies to the profile as Rollcall shows it.
		assertThat(scim.get("/Users/" + id).json().path(ENTERPRISE).path("department").asString()).isEqualTo("Clinic");
		Response patched = scim.send("PATCH", "/Users/" + id, Map.of("schemas", List.of(PATCH), "Operations",
				List.of(Map.of("op", "Replace", "path", "title", "value", "Surgeon"))));
		assertThat(patched.status()).as(patched.body()).isEqualTo(200);
		JsonNode person = scim.api("GET", "/api/v1/people/" + id).json();
		assertThat(person.path("jobTitle").asString()).isEqualTo("Surgeon");
		assertThat(teamName(scim, person.path("primaryTeamId").asString())).isEqualTo("Clinic");
		// A department sent by a SCIM client is read back as sent.
		JsonNode created = create(scim,
				Map.of("userName", "lea@x.test", ENTERPRISE, Map.of("department", "Radiology")));
		assertThat(scim.get("/Users/" + created.path("id").asString())
			.json()
			.path(ENTERPRISE)
			.path("department")
			.asString()).isEqualTo("Radiology");
	}

	@Test
	void createGroupWhenTagNameTakenThenNumberedSuffix() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		String id = create(scim, Map.of("userName", "gina@x.test")).path("id").asString();
		// A tag of the same name made in Rollcall.
		scim.client.api(scim.company, "PATCH", "/api/v1/people/" + id, Map.of("tags", List.of("Designers")));
		String groupId = scim.send("POST", "/Groups", Map.of("displayName", "Designers", "members",
				List.of(Map.of("value", id))))
			.json()
			.path("id")
			.asString();
		assertThat(scim.get("/Groups/" + groupId).json().path("displayName").asString()).isEqualTo("Designers");
		assertThat(scim.api("GET", "/api/v1/people/" + id).json().path("tags").toString()).contains("Designers 2");
	}

	@Test
	void createUserWhenPhoneNotE164ThenInvalidValue() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		Response response = scim.send("POST", "/Users", Map.of("userName", "hal@x.test", "phoneNumbers",
				List.of(Map.of("value", "0207 946 0958", "type", "work"))));
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().path("scimType").asString()).isEqualTo("invalidValue");
		assertThat(response.json().path("detail").asString()).contains("phoneNumbers");
		assertThat(scim.get("/Users?filter=" + ScimTestClient.q("userName eq \"hal@x.test\""))
			.json()
			.path("totalResults")
			.asInt()).isZero();
		// The request log shows why, with the body's personal data masked.
		// The log row is written as the response goes out, so the client may ask a moment before it is there.
		JsonNode failed = null;
		for (long end = System.nanoTime() + 5_000_000_000L; failed == null && System.nanoTime() < end;) {
			for (JsonNode entry : scim.api("GET", "/api/v1/integrations/scim/requests").json()) {
				if (entry.path("method").asString().equals("POST") && entry.path("status").asInt() == 400
						&& failed == null) {
					failed = entry;
				}
			}
		}
		assertThat(failed).as("the refused POST in the request log").isNotNull();
		assertThat(failed.path("status").asInt()).isEqualTo(400);
		assertThat(failed.path("detail").asString()).contains("phoneNumbers");
		assertThat(failed.path("body").asString()).doesNotContain("hal@x.test").doesNotContain("0207");
	}

	@Test
	void listUsersWhenFilterUnsupportedThenInvalidFilterNotEmptyList() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		Response response = scim.get("/Users?filter=" + ScimTestClient.q("nickName eq \"x\""));
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().path("scimType").asString()).isEqualTo("invalidFilter");
		Response broken = scim.get("/Users?filter=" + ScimTestClient.q("userName eq"));
		assertThat(broken.status()).isEqualTo(400);
		assertThat(broken.json().path("scimType").asString()).isEqualTo("invalidFilter");
	}

	@Test
	void listUsersWhenFilteredThenOperatorsTranslate() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		create(scim, Map.of("userName", "ivy@f.test", "name", Map.of("givenName", "Ivy", "familyName", "Ng"), "title",
				"Chef"));
		create(scim, Map.of("userName", "jon@f.test", "name", Map.of("givenName", "Jon", "familyName", "Ode"), "active",
				false));
		create(scim, Map.of("userName", "kim@g.test", "name", Map.of("givenName", "Kim"), "title", "Cook"));
		assertThat(count(scim, "userName ew \"@f.test\"")).isEqualTo(2);
		assertThat(count(scim, "userName sw \"IV\"")).isEqualTo(1);
		assertThat(count(scim, "name.givenName co \"i\"")).isEqualTo(2);
		assertThat(count(scim, "title pr")).isEqualTo(2);
		assertThat(count(scim, "active eq false")).isEqualTo(1);
		assertThat(count(scim, "userName ew \"@f.test\" and not (active eq false)")).isEqualTo(1);
		assertThat(count(scim, "(title eq \"chef\" or title eq \"COOK\") and userName ne \"kim@g.test\"")).isEqualTo(1);
		assertThat(count(scim, "meta.created gt \"2000-01-01T00:00:00Z\" and userName ew \".test\"")).isEqualTo(4); // + owner
		assertThat(count(scim, "NAME.GIVENNAME gt \"J\" and name.givenName lt \"Z\"")).isEqualTo(2);
		JsonNode sorted = scim.get("/Users?sortBy=name.givenName&sortOrder=descending&attributes=userName&filter="
				+ ScimTestClient.q("userName ew \".test\" and name.givenName pr"))
			.json();
		assertThat(sorted.path("Resources").get(0).path("userName").asString()).isEqualTo("kim@g.test");
		assertThat(sorted.path("Resources").get(0).has("name")).isFalse();
	}

	@Test
	void listUsersWhenPagedWhileOthersWriteThenNoSkipsOrRepeats() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		for (int i = 0; i < 23; i++) {
			create(scim, Map.of("userName", "p" + i + "@page.test"));
		}
		java.util.Set<String> before = new java.util.HashSet<>();
		scim.get("/Users?count=1000").json().path("Resources").forEach(u -> before.add(u.path("id").asString()));
		java.util.Set<String> seen = new java.util.HashSet<>();
		int total = before.size();
		for (int start = 1; start <= total; start += 5) {
			JsonNode page = scim.get("/Users?startIndex=" + start + "&count=5").json();
			for (JsonNode user : page.path("Resources")) {
				assertThat(seen.add(user.path("id").asString())).as("repeated " + user.path("userName")).isTrue();
			}
			// Someone else creates and changes users meanwhile.
			create(scim, Map.of("userName", "late" + start + "@page.test"));
		}
		// Everyone there at the start was seen exactly once; people created meanwhile come after them.
		assertThat(seen).containsAll(before);
	}

	@Test
	void patchUserWhenIfMatchStaleThenPreconditionFailed() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		JsonNode user = create(scim, Map.of("userName", "liz@x.test"));
		String id = user.path("id").asString();
		String version = user.path("meta").path("version").asString();
		Map<String, Object> patch = Map.of("Operations",
				List.of(Map.of("op", "replace", "path", "title", "value", "Boss")));
		Response first = this.client.send("PATCH", scim.company.slug() + ".localhost", "/scim/v2/Users/" + id,
				"Bearer " + scim.token, patch);
		assertThat(first.status()).isEqualTo(200);
		Response stale = sendWithIfMatch(scim, "/Users/" + id, version, Map.of("Operations",
				List.of(Map.of("op", "replace", "path", "title", "value", "Clerk"))));
		assertThat(stale.status()).isEqualTo(412);
		assertThat(scim.api("GET", "/api/v1/people/" + id).json().path("jobTitle").asString()).isEqualTo("Boss");
		Response fresh = sendWithIfMatch(scim, "/Users/" + id, first.json().path("meta").path("version").asString(),
				Map.of("Operations", List.of(Map.of("op", "replace", "path", "title", "value", "Clerk"))));
		assertThat(fresh.status()).isEqualTo(200);
	}

	@Test
	void deleteUserWhenCompanyChoseDeletionThenGone() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		scim.client.api(scim.company, "PUT", "/api/v1/integrations/scim", Map.of("deleteMode", "delete"));
		String id = create(scim, Map.of("userName", "max@x.test")).path("id").asString();
		assertThat(scim.send("DELETE", "/Users/" + id, null).status()).isEqualTo(204);
		assertThat(scim.get("/Users/" + id).status()).isEqualTo(404);
		assertThat(scim.api("GET", "/api/v1/people/" + id).status()).isEqualTo(404);
	}

	private static Response sendWithIfMatch(ScimTestClient scim, String path, String version, Object body) {
		try {
			var http = java.net.http.HttpClient.newHttpClient();
			var request = java.net.http.HttpRequest
				.newBuilder(java.net.URI.create("http://127.0.0.1:" + port(scim) + "/scim/v2" + path))
				.header("Host", scim.company.slug() + ".localhost")
				.header("Authorization", "Bearer " + scim.token)
				.header("Content-Type", "application/scim+json")
				.header("If-Match", version)
				.method("PATCH", java.net.http.HttpRequest.BodyPublishers
					.ofString(tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(body)))
				.build();
			var response = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body(), response.headers());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static int port(ScimTestClient scim) {
		try {
			var field = scim.client.getClass().getDeclaredField("port");
			field.setAccessible(true);
			return (int) field.get(scim.client);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static int count(ScimTestClient scim, String filter) {
		Response response = scim.get("/Users?filter=" + ScimTestClient.q(filter));
		assertThat(response.status()).as(filter + " -> " + response.body()).isEqualTo(200);
		return response.json().path("totalResults").asInt();
	}

	static JsonNode create(ScimTestClient scim, Map<String, Object> user) {
		Response response = scim.send("POST", "/Users", user);
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		return response.json();
	}

	private static String teamName(ScimTestClient scim, String teamId) {
		for (JsonNode team : scim.api("GET", "/api/v1/teams").json()) {
			if (team.path("id").asString().equals(teamId)) {
				return team.path("name").asString();
			}
		}
		return null;
	}

	static Map<String, Object> entraUser(String externalId, String userName, String given, String family,
			String department) {
		Map<String, Object> enterprise = new java.util.LinkedHashMap<>();
		enterprise.put("employeeNumber", "E-" + externalId);
		if (department != null) {
			enterprise.put("department", department);
		}
		enterprise.put("organization", "Contoso");
		return Map.of("schemas", List.of(USER, ENTERPRISE), "externalId", externalId, "userName", userName, "active",
				true,
				"displayName", given + " " + family, "name", Map.of("givenName", given, "familyName", family), "emails",
				List.of(Map.of("primary", true, "type", "work", "value", userName)), "phoneNumbers",
				List.of(Map.of("type", "work", "value", "+44 20 7946 0958")), "addresses",
				List.of(Map.of("type", "work", "formatted", "Building 7", "streetAddress", "1 Microsoft Way",
						"locality",
						"Redmond", "postalCode", "98052", "country", "US")),
				ENTERPRISE, enterprise);
	}

}
