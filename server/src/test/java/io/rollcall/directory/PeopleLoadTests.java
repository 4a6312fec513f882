package io.rollcall.directory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many people read at once (a sync's chunk, for its events) come from one query per kind of what they have; a few
 * from one statement with a subquery per kind. Both must give the same people.
 */
class PeopleLoadTests extends IntegrationTest {

	@Autowired
	private People people;

	@Autowired
	private JdbcClient jdbc;

	private TestCompany company;

	@BeforeEach
	void company() {
		this.company = this.client.createCompany();
	}

	@Test
	void loadWhenManyPeopleThenEachIsAsWhenReadAloneWithTeamsTagsIdentitiesAndTeamManager() {
		String north = team("North");
		String south = team("South");
		String east = team("East");
		List<UUID> ids = new ArrayList<>();
		int count = PersonRows.BY_KIND_FROM + 10;
		for (int i = 0; i < count; i++) {
			// Secondary teams and tags added in an order other than their names', some people with none.
			List<String> secondary = switch (i % 3) {
				case 0 -> List.of(south, east);
				case 1 -> List.of(east);
				default -> List.of();
			};
			List<String> tags = i % 2 == 0 ? List.of("zeta", "alpha") : List.of();
			Response created = this.client.api(this.company, "POST", "/api/v1/people",
					Map.of("email", "p" + i + "@example.com", "firstName", "P" + i, "primaryTeamId",
							i % 4 == 3 ? east : north, "secondaryTeamIds", secondary, "tags", tags));
			assertThat(created.status()).as(created.body()).isEqualTo(201);
			ids.add(UUID.fromString(created.json().path("id").asString()));
		}
		// North's first manager is p0, then p1: p0's own team manager is p1, everyone else's in North is p0. East has
		// none.
		assertThat(this.client
			.api(this.company, "PATCH", "/api/v1/teams/" + north, Map.of("managerIds", List.of(ids.get(0))))
			.status()).isEqualTo(200);
		assertThat(this.client
			.api(this.company, "PATCH", "/api/v1/teams/" + north, Map.of("managerIds", List.of(ids.get(0), ids.get(1))))
			.status()).isEqualTo(200);
		for (int i = 0; i < count; i += 5) {
			this.jdbc.sql("""
					insert into person_identity (company_id, person_id, source, external_id)
					values (:company, :person, 'okta', :okta), (:company, :person, 'entra', :entra)
					""")
				.param("company", this.company.id())
				.param("person", ids.get(i))
				.param("okta", "00u" + i)
				.param("entra", "e-" + i)
				.update();
		}
		List<UUID> asked = new ArrayList<>(ids);
		asked.add(2, UUID.randomUUID());
		asked.add(this.company.ownerId());

		List<Person> many = this.people.load(this.company.id(), asked);

		List<Person> alone = new ArrayList<>();
		for (UUID id : asked) {
			alone.addAll(this.people.load(this.company.id(), List.of(id)));
		}
		assertThat(many).as("in the order asked, one nobody has left out").hasSize(count + 1);
		assertThat(many).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(alone);
		Person first = many.getFirst();
		assertThat(first.secondaryTeamIds()).containsExactly(UUID.fromString(east), UUID.fromString(south));
		assertThat(first.tags()).containsExactly("alpha", "zeta");
		assertThat(first.externalIds()).containsOnlyKeys("entra", "okta");
		assertThat(first.managerId()).as("North's first manager who is not p0").isEqualTo(ids.get(1));
		assertThat(many.get(2).managerId()).isEqualTo(ids.get(0));
		assertThat(many.get(3).managerId()).as("p3, in East, which has no manager").isNull();
	}

	@Test
	void loadProfilesWhenPeopleHaveIdentitiesAndCustomFieldsThenTheyAreAsTheFullLoadGivesThem() {
		List<UUID> ids = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			Response created = this.client.api(this.company, "POST", "/api/v1/people",
					Map.of("email", "q" + i + "@example.com", "firstName", "Q" + i));
			assertThat(created.status()).as(created.body()).isEqualTo(201);
			ids.add(UUID.fromString(created.json().path("id").asString()));
		}
		// Ids with what an array's text quotes (a comma, a quote, braces, a backslash, a space, NULL as text).
		this.jdbc.sql("""
				insert into person_identity (company_id, person_id, source, external_id)
				values (:company, :first, 'okta', 'a,b "c" {d} \\e f'), (:company, :first, 'entra', 'NULL'),
				       (:company, :second, 'entra', 'e-2')
				""")
			.param("company", this.company.id())
			.param("first", ids.get(0))
			.param("second", ids.get(1))
			.update();
		this.jdbc.sql("update person set custom_fields = cast(:fields as jsonb) where id = :id")
			.param("fields", "{\"badge\":\"B-7\",\"level\":3}")
			.param("id", ids.get(1))
			.update();

		List<Person> profiles = this.people.loadProfiles(this.company.id(), ids);

		assertThat(profiles).hasSize(3);
		for (Person profile : profiles) {
			Person full = this.people.load(this.company.id(), List.of(profile.id())).getFirst();
			assertThat(profile.externalIds()).isEqualTo(full.externalIds());
			assertThat(profile.customFields()).isEqualTo(full.customFields());
		}
		Map<UUID, Person> byId = new java.util.HashMap<>();
		profiles.forEach(p -> byId.put(p.id(), p));
		assertThat(byId.get(ids.get(0)).externalIds())
			.isEqualTo(Map.of("okta", "a,b \"c\" {d} \\e f", "entra", "NULL"));
		assertThat(byId.get(ids.get(1)).customFields()).isEqualTo(Map.of("badge", "B-7", "level", 3));
		assertThat(byId.get(ids.get(2)).externalIds()).isEmpty();
		assertThat(byId.get(ids.get(2)).customFields()).isEmpty();
	}

	private String team(String name) {
		return this.client.api(this.company, "POST", "/api/v1/teams", Map.of("name", name))
			.json()
			.path("id")
			.asString();
	}

}
