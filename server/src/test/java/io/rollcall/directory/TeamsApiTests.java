package io.rollcall.directory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TeamsApiTests extends IntegrationTest {

	private TestCompany company;

	@BeforeEach
	void company() {
		this.company = this.client.createCompany();
	}

	@Test
	void createWhenNoParentThenFlatTeam() {
		Response team = create("Sales", null);

		assertThat(team.status()).isEqualTo(201);
		assertThat(team.json().path("parentId").isNull()).isTrue();
		assertThat(team.json().path("memberCount").asInt()).isZero();
	}

	@Test
	void parentWhenItWouldMakeALoopThenBadRequestAndTreeUnchanged() {
		String top = id(create("Company", null));
		String middle = id(create("Engineering", top));
		String bottom = id(create("Platform", middle));

		Response loop = patch(top, Map.of("parentId", bottom));
		Response self = patch(middle, Map.of("parentId", middle));

		assertThat(loop.status()).isEqualTo(400);
		assertThat(loop.json().path("field").asString()).isEqualTo("parentId");
		assertThat(loop.json().path("detail").asString()).contains("loop");
		assertThat(self.status()).isEqualTo(400);
		assertThat(get(top).path("parentId").isNull()).isTrue();
		assertThat(get(middle).path("parentId").asString()).isEqualTo(top);
	}

	@Test
	void parentWhenSetToNullThenTopLevelAgain() {
		String top = id(create("Company", null));
		String child = id(create("Finance", top));
		Map<String, Object> body = new HashMap<>();
		body.put("parentId", null);

		Response moved = patch(child, body);

		assertThat(moved.json().path("parentId").isNull()).isTrue();
	}

	@Test
	void renameWhenNameTakenInAnyCaseThenConflict() {
		create("Marketing", null);
		String other = id(create("Growth", null));

		Response response = patch(other, Map.of("name", "MARKETING"));

		assertThat(response.status()).isEqualTo(409);
		assertThat(get(other).path("name").asString()).isEqualTo("Growth");
	}

	@Test
	void managersWhenSetThenListedAndUnknownPersonRefused() {
		String team = id(create("Legal", null));
		String person = this.client.api(this.company, "POST", "/api/v1/people", Map.of("email", "lawyer@example.com"))
			.json()
			.path("id")
			.asString();

		Response set = patch(team, Map.of("managerIds", List.of(person)));
		Response unknown = patch(team, Map.of("managerIds", List.of("00000000-0000-0000-0000-000000000001")));

		assertThat(set.json().path("managerIds").get(0).asString()).isEqualTo(person);
		assertThat(unknown.status()).isEqualTo(400);
		assertThat(unknown.json().path("field").asString()).isEqualTo("managerIds");
		assertThat(get(team).path("managerIds")).hasSize(1);
	}

	@Test
	void deleteWhenTeamHasMembersAndChildrenThenMembersKeptAndChildrenMoveUp() {
		String parent = id(create("Ops", null));
		String child = id(create("Ops EU", parent));
		String member = this.client.api(this.company, "POST", "/api/v1/people",
				Map.of("email", "op@example.com", "primaryTeamId", parent))
			.json()
			.path("id")
			.asString();

		assertThat(this.client.api(this.company, "DELETE", "/api/v1/teams/" + parent).status()).isEqualTo(204);

		assertThat(get(child).path("parentId").isNull()).isTrue();
		var person = this.client.api(this.company, "GET", "/api/v1/people/" + member).json();
		assertThat(person.path("status").asString()).isEqualTo("active");
		assertThat(person.path("primaryTeamId").isNull()).isTrue();
	}

	@Test
	void teamWhenOfAnotherCompanyThenNotFound() {
		TestCompany other = this.client.createCompany();
		String theirs = id(this.client.api(other, "POST", "/api/v1/teams", Map.of("name", "Secret")));

		assertThat(this.client.api(this.company, "GET", "/api/v1/teams/" + theirs).status()).isEqualTo(404);
		assertThat(this.client.api(this.company, "POST", "/api/v1/people",
				Map.of("email", "x@example.com", "primaryTeamId", theirs))
			.status()).isEqualTo(400);
	}

	private Response create(String name, String parentId) {
		Map<String, Object> body = new HashMap<>();
		body.put("name", name);
		body.put("parentId", parentId);
		return this.client.api(this.company, "POST", "/api/v1/teams", body);
	}

	private Response patch(String id, Map<String, ?> body) {
		return this.client.api(this.company, "PATCH", "/api/v1/teams/" + id, body);
	}

	private tools.jackson.databind.JsonNode get(String id) {
		return this.client.api(this.company, "GET", "/api/v1/teams/" + id).json();
	}

	private static String id(Response response) {
		assertThat(response.status()).as(response.body()).isBetween(200, 201);
		return response.json().path("id").asString();
	}

}
