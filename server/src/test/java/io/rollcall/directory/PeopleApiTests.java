package io.rollcall.directory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class PeopleApiTests extends IntegrationTest {

	private TestCompany company;

	@BeforeEach
	void company() {
		this.company = this.client.createCompany();
	}

	@Test
	void createWhenEveryFieldGivenThenStoredAndReturned() {
		Response response = create(Map.ofEntries(Map.entry("email", "dr.ada@example.com"),
				Map.entry("firstName", "Ada"), Map.entry("lastName", "Lovelace"), Map.entry("title", "Dr"),
				Map.entry("jobTitle", "Analyst"), Map.entry("language", "en_gb"), Map.entry("location", "London"),
				Map.entry("department", "Engines"), Map.entry("avatarUrl", "https://img.example.com/ada.png"),
				Map.entry("hireDate", "2024-03-31"), Map.entry("phone", "+44 20 7946 0958"),
				Map.entry("streetAddress", "1 Analytical St"), Map.entry("city", "London"),
				Map.entry("postalCode", "N1 1AA"), Map.entry("country", "GB"), Map.entry("companyName", "Engines Ltd"),
				Map.entry("office", "HQ"), Map.entry("employeeId", "E-1815"), Map.entry("tags", List.of("pioneers"))));

		assertThat(response.status()).isEqualTo(201);
		JsonNode person = this.client
			.api(this.company, "GET", "/api/v1/people/" + response.json().path("id").asString())
			.json();
		assertThat(person.path("language").asString()).isEqualTo("en-GB");
		assertThat(person.path("phone").asString()).isEqualTo("+442079460958");
		assertThat(person.path("hireDate").asString()).isEqualTo("2024-03-31");
		assertThat(person.path("title").asString()).isEqualTo("Dr");
		assertThat(person.path("employeeId").asString()).isEqualTo("E-1815");
		assertThat(person.path("tags").get(0).asString()).isEqualTo("pioneers");
		assertThat(person.path("status").asString()).isEqualTo("active");
		assertThat(person.path("invitationState").asString()).isEqualTo("not_invited");
		assertThat(person.path("role").asString()).isEqualTo("learner");
	}

	@Test
	void timeZoneWhenSetThenStoredAsIanaNameAndWhenClearedFollowsCompanyDefault() {
		String id = create(Map.of("email", "zoe@example.com", "timeZone", " Asia/Tokyo ")).json().path("id").asString();
		assertThat(get(id).path("timeZone").asString()).isEqualTo("Asia/Tokyo");

		Response wrong = patch(id, Map.of("timeZone", "Mars/Olympus"));
		assertThat(wrong.status()).isEqualTo(400);
		assertThat(wrong.json().path("field").asString()).isEqualTo("timeZone");
		assertThat(wrong.json().path("detail").asString()).contains("Mars/Olympus").contains("Europe/London");
		assertThat(get(id).path("timeZone").asString()).isEqualTo("Asia/Tokyo");

		Map<String, Object> clear = new HashMap<>();
		clear.put("timeZone", null);
		assertThat(patch(id, clear).json().path("timeZone").isNull()).isTrue();
		JsonNode audit = this.client.api(this.company, "GET", "/api/v1/audit?subject=" + id)
			.json()
			.path("items")
			.get(0);
		assertThat(audit.path("changes").path("timeZone").path("from").asString()).isEqualTo("Asia/Tokyo");
	}

	@Test
	void fullNameAndSecondaryEmailWhenGivenThenStoredFoundBySearchAndABadAddressRefused() {
		String id = create(Map.of("email", "li@example.com", "firstName", "Wei", "lastName", "Li", "fullName",
				"Li Wei", "secondaryEmail", "wei.home@example.org"))
			.json()
			.path("id")
			.asString();

		JsonNode person = get(id);
		assertThat(person.path("fullName").asString()).isEqualTo("Li Wei");
		assertThat(person.path("secondaryEmail").asString()).isEqualTo("wei.home@example.org");
		assertThat(ids(list("q=li%20wei"))).containsExactly(id);
		assertThat(patch(id, Map.of("secondaryEmail", "not an address")).status()).isEqualTo(400);
	}

	@Test
	void signInNameWhenTakenByAnotherInAnyCaseThenConflict() {
		create(Map.of("email", "jd@example.com", "signInName", "jdoe"));
		String other = create(Map.of("email", "jd2@example.com")).json().path("id").asString();

		Response taken = patch(other, Map.of("signInName", "JDoe"));
		Response tooLong = patch(other, Map.of("signInName", "j".repeat(257)));

		assertThat(taken.status()).isEqualTo(409);
		assertThat(taken.json().path("field").asString()).isEqualTo("signInName");
		assertThat(tooLong.status()).isEqualTo(400);
		assertThat(get(other).path("signInName").isNull()).isTrue();
	}

	@Test
	void updateWhenFieldsChangeThenOnlyThoseAreAuditedWithOldAndNew() {
		String id = create(Map.of("email", "bo@example.com", "jobTitle", "Clerk", "city", "Leeds")).json()
			.path("id")
			.asString();

		Response updated = patch(id, Map.of("jobTitle", "Manager", "city", "Leeds"));

		assertThat(updated.status()).isEqualTo(200);
		assertThat(updated.json().path("jobTitle").asString()).isEqualTo("Manager");
		JsonNode latest = this.client.api(this.company, "GET", "/api/v1/audit?subject=" + id)
			.json()
			.path("items")
			.get(0);
		assertThat(latest.path("action").asString()).isEqualTo("updated");
		assertThat(latest.path("actor").path("type").asString()).isEqualTo("api_key");
		assertThat(latest.path("changes").path("jobTitle").path("from").asString()).isEqualTo("Clerk");
		assertThat(latest.path("changes").path("jobTitle").path("to").asString()).isEqualTo("Manager");
		assertThat(latest.path("changes").has("city")).isFalse();
	}

	@Test
	void updateWhenNullGivenThenFieldCleared() {
		String id = create(Map.of("email", "cy@example.com", "office", "HQ")).json().path("id").asString();
		Map<String, Object> clear = new HashMap<>();
		clear.put("office", null);

		assertThat(patch(id, clear).json().path("office").isNull()).isTrue();
	}

	@Test
	void createWhenEmailTakenInAnyCaseThenConflictAndNothingCreated() {
		create(Map.of("email", "dee@example.com"));

		Response duplicate = create(Map.of("email", "DEE@Example.com", "firstName", "Other"));

		assertThat(duplicate.status()).isEqualTo(409);
		assertThat(duplicate.json().path("field").asString()).isEqualTo("email");
		assertThat(duplicate.json().path("detail").asString()).contains("DEE@Example.com");
		assertThat(list("").path("items")).hasSize(2);
	}

	@Test
	void updateWhenEmailOfAnotherPersonThenConflictAndUnchanged() {
		create(Map.of("email", "eve@example.com"));
		String id = create(Map.of("email", "fay@example.com")).json().path("id").asString();

		Response response = patch(id, Map.of("email", "Eve@example.com", "jobTitle", "Thief"));

		assertThat(response.status()).isEqualTo(409);
		JsonNode person = this.client.api(this.company, "GET", "/api/v1/people/" + id).json();
		assertThat(person.path("email").asString()).isEqualTo("fay@example.com");
		assertThat(person.path("jobTitle").isNull()).isTrue();
	}

	@Test
	void requestWhenMalformedThenBadRequestWithMessageAndNothingChanged() {
		Response malformed = this.client.api(this.company, "POST", "/api/v1/people", "{\"email\": \"x@example.com\",");
		Response unknown = create(Map.of("email", "gus@example.com", "shoeSize", 44));
		Response badPhone = create(Map.of("email", "hal@example.com", "phone", "call me"));
		Response badDate = create(Map.of("email", "ivy@example.com", "hireDate", "31/03/2024"));
		Response badEmail = create(Map.of("email", "not an email"));
		Response notObject = this.client.api(this.company, "POST", "/api/v1/people", "[1,2]");

		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.json().path("detail").asString()).contains("not valid JSON");
		assertThat(unknown.status()).isEqualTo(400);
		assertThat(unknown.json().path("field").asString()).isEqualTo("shoeSize");
		assertThat(badPhone.json().path("field").asString()).isEqualTo("phone");
		assertThat(badPhone.json().path("detail").asString()).contains("international");
		assertThat(badDate.json().path("field").asString()).isEqualTo("hireDate");
		assertThat(badEmail.json().path("field").asString()).isEqualTo("email");
		assertThat(notObject.status()).isEqualTo(400);
		assertThat(list("").path("items")).hasSize(1);
	}

	@Test
	void listWhenPagedWithCursorThenEveryoneOnceInNameOrder() {
		for (String last : List.of("Zeta", "Alpha", "Mu", "beta", "Omega")) {
			create(Map.of("email", last.toLowerCase() + "@example.com", "firstName", "X", "lastName", last));
		}
		List<String> seen = new ArrayList<>();
		String cursor = "";
		int pages = 0;
		do {
			JsonNode page = list("limit=2" + (cursor.isEmpty() ? "" : "&cursor=" + cursor));
			page.path("items")
				.forEach(p -> seen.add(p.path("lastName").isNull() ? "(owner)" : p.path("lastName").asString()));
			cursor = page.path("nextCursor").isNull() ? "" : page.path("nextCursor").asString();
			pages++;
		}
		while (!cursor.isEmpty() && pages < 10);

		assertThat(seen).containsExactly("(owner)", "Alpha", "beta", "Mu", "Omega", "Zeta");
		assertThat(pages).isEqualTo(3);
		assertThat(
				this.client.api(this.company, "GET", "/api/v1/people?cursor=garbage").json().path("field").asString())
			.isEqualTo("cursor");
	}

	@Test
	void listWhenFilteredThenOnlyMatchingPeople() {
		String team = this.client.api(this.company, "POST", "/api/v1/teams", Map.of("name", "Support"))
			.json()
			.path("id")
			.asString();
		String other = this.client.api(this.company, "POST", "/api/v1/teams", Map.of("name", "Other"))
			.json()
			.path("id")
			.asString();
		String jo = create(
				Map.of("email", "jo@example.com", "firstName", "Jo", "lastName", "Smith", "primaryTeamId", team))
			.json()
			.path("id")
			.asString();
		String kim = create(Map.of("email", "kim@example.com", "firstName", "Kim", "jobTitle", "Support engineer",
				"primaryTeamId", other, "secondaryTeamIds", List.of(team)))
			.json()
			.path("id")
			.asString();
		create(Map.of("email", "lee@example.com", "firstName", "Lee"));
		this.client.api(this.company, "POST", "/api/v1/people/" + jo + "/deactivate");

		assertThat(ids(list("team=" + team))).containsExactlyInAnyOrder(jo, kim);
		assertThat(ids(list("status=deactivated"))).containsExactly(jo);
		assertThat(ids(list("q=SUPPORT"))).containsExactly(kim);
		assertThat(ids(list("q=jo%20smith"))).containsExactly(jo);
		assertThat(this.client.api(this.company, "GET", "/api/v1/people?status=gone").status()).isEqualTo(400);
	}

	@Test
	void deactivateThenReactivateWhenRequestedThenStatusAndAuditFollow() {
		String id = create(Map.of("email", "mo@example.com")).json().path("id").asString();

		Response deactivated = this.client.api(this.company, "POST", "/api/v1/people/" + id + "/deactivate");
		Response reactivated = this.client.api(this.company, "POST", "/api/v1/people/" + id + "/reactivate");

		assertThat(deactivated.json().path("status").asString()).isEqualTo("deactivated");
		assertThat(reactivated.json().path("status").asString()).isEqualTo("active");
		JsonNode history = this.client.api(this.company, "GET", "/api/v1/audit?subject=" + id).json().path("items");
		assertThat(history.get(0).path("action").asString()).isEqualTo("reactivated");
		assertThat(history.get(1).path("action").asString()).isEqualTo("deactivated");
	}

	@Test
	void deactivateWhenOwnerThenConflict() {
		Response response = this.client.api(this.company, "POST",
				"/api/v1/people/" + this.company.ownerId() + "/deactivate");

		assertThat(response.status()).isEqualTo(409);
		assertThat(this.client.api(this.company, "GET", "/api/v1/people/" + this.company.ownerId())
			.json()
			.path("status")
			.asString()).isEqualTo("active");
	}

	@Test
	void managerWhenNoOverrideThenFirstManagerOfPrimaryTeamAndOverrideWins() {
		String boss = create(Map.of("email", "boss@example.com")).json().path("id").asString();
		String lead = create(Map.of("email", "lead@example.com")).json().path("id").asString();
		String team = this.client.api(this.company, "POST", "/api/v1/teams", Map.of("name", "Ops"))
			.json()
			.path("id")
			.asString();
		this.client.api(this.company, "PATCH", "/api/v1/teams/" + team, Map.of("managerIds", List.of(boss)));
		String worker = create(Map.of("email", "worker@example.com", "primaryTeamId", team)).json()
			.path("id")
			.asString();

		JsonNode byTeam = this.client.api(this.company, "GET", "/api/v1/people/" + worker).json();
		JsonNode byOverride = patch(worker, Map.of("overrideManagerId", lead)).json();
		JsonNode bossSelf = this.client.api(this.company, "GET", "/api/v1/people/" + boss).json();

		assertThat(byTeam.path("managerId").asString()).isEqualTo(boss);
		assertThat(byTeam.path("managerSource").asString()).isEqualTo("team");
		assertThat(byOverride.path("managerId").asString()).isEqualTo(lead);
		assertThat(byOverride.path("managerSource").asString()).isEqualTo("override");
		assertThat(bossSelf.path("managerId").isNull()).isTrue();
	}

	@Test
	void overrideManagerWhenItWouldLoopThenBadRequestAndUnchanged() {
		String a = create(Map.of("email", "a@example.com")).json().path("id").asString();
		String b = create(Map.of("email", "b@example.com", "overrideManagerId", a)).json().path("id").asString();
		String c = create(Map.of("email", "c@example.com", "overrideManagerId", b)).json().path("id").asString();

		Response loop = patch(a, Map.of("overrideManagerId", c));
		Response self = patch(a, Map.of("overrideManagerId", a));

		assertThat(loop.status()).isEqualTo(400);
		assertThat(loop.json().path("field").asString()).isEqualTo("overrideManagerId");
		assertThat(self.status()).isEqualTo(400);
		assertThat(
				this.client.api(this.company, "GET", "/api/v1/people/" + a).json().path("overrideManagerId").isNull())
			.isTrue();
	}

	@Test
	void customFieldsWhenDefinedThenCheckedByType() {
		assertThat(this.client.api(this.company, "POST", "/api/v1/custom-fields",
				Map.of("key", "cost_centre", "label", "Cost centre", "type", "number"))
			.status()).isEqualTo(201);
		String id = create(Map.of("email", "nia@example.com")).json().path("id").asString();

		Response ok = patch(id, Map.of("customFields", Map.of("cost_centre", "4711")));
		Response wrongType = patch(id, Map.of("customFields", Map.of("cost_centre", "forty")));
		Response undefined = patch(id, Map.of("customFields", Map.of("shoe_size", "44")));

		assertThat(ok.json().path("customFields").path("cost_centre").asInt()).isEqualTo(4711);
		assertThat(wrongType.status()).isEqualTo(400);
		assertThat(wrongType.json().path("field").asString()).isEqualTo("customFields.cost_centre");
		assertThat(undefined.status()).isEqualTo(400);
		assertThat(undefined.json().path("field").asString()).isEqualTo("customFields.shoe_size");
	}

	@Test
	void invitationWhenSentAgainThenFirstLinkNoLongerWorks() throws Exception {
		String id = create(Map.of("email", "ola@example.com")).json().path("id").asString();

		Response first = this.client.api(this.company, "POST", "/api/v1/people/" + id + "/invitation");
		String firstLink = io.rollcall.support.Mails
			.invitationLink(io.rollcall.support.Mails.awaitTo(MAIL, "ola@example.com"));
		Response second = this.client.api(this.company, "POST", "/api/v1/people/" + id + "/invitation");

		assertThat(first.status()).isEqualTo(201);
		assertThat(second.status()).isEqualTo(201);
		assertThat(second.json().path("sentAt").isNull()).isFalse();
		String host = this.company.slug() + ".localhost";
		String path = java.net.URI.create(firstLink).getPath();
		assertThat(this.client.page(host, path).body()).contains("no longer works");
		assertThat(
				this.client.api(this.company, "GET", "/api/v1/people/" + id).json().path("invitationState").asString())
			.isEqualTo("invited");
	}

	@Test
	void invitationWhenPersonDeactivatedThenRefused() {
		String id = create(Map.of("email", "pat@example.com")).json().path("id").asString();
		this.client.api(this.company, "POST", "/api/v1/people/" + id + "/deactivate");

		Response response = this.client.api(this.company, "POST", "/api/v1/people/" + id + "/invitation");

		assertThat(response.status()).isEqualTo(409);
		assertThat(response.json().path("detail").asString()).contains("reactivate");
	}

	private Response create(Map<String, ?> body) {
		return this.client.api(this.company, "POST", "/api/v1/people", body);
	}

	private JsonNode get(String id) {
		return this.client.api(this.company, "GET", "/api/v1/people/" + id).json();
	}

	private Response patch(String id, Map<String, ?> body) {
		return this.client.api(this.company, "PATCH", "/api/v1/people/" + id, body);
	}

	private JsonNode list(String query) {
		Response response = this.client.api(this.company, "GET", "/api/v1/people?" + query);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json();
	}

	private static List<String> ids(JsonNode page) {
		List<String> ids = new ArrayList<>();
		page.path("items").forEach(p -> ids.add(p.path("id").asString()));
		return ids;
	}

}
