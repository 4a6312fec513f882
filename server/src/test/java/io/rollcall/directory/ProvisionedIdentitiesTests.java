package io.rollcall.directory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.rollcall.support.DirectorySeed;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.TestCompany;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The identities a source provisioned, read for the few a full sync did not list: every one offered to the filter
 * once, over several pages, and the accepted ones handed with their person as the unfiltered read hands them.
 */
class ProvisionedIdentitiesTests extends IntegrationTest {

	@Autowired
	private DirectoryBatch batch;

	@Autowired
	private JdbcClient jdbc;

	private TestCompany company;

	@BeforeEach
	void company() {
		this.company = this.client.createCompany();
	}

	private record Row(String externalId, UUID personId, boolean active, String email, Role role) {
	}

	@Test
	void forEachIdentityWhenFilteredThenEveryProvisionedIdOfferedOnceAndOnlyTheAcceptedHandedWithTheirPerson() {
		int count = DirectoryBatch.IDENTITY_PAGE * 2 + 500;
		List<DirectorySeed.Seeded> seeded = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			seeded.add(new DirectorySeed.Seeded(String.format("x-%05d", i), "p" + i + "@example.com", "P" + i));
		}
		DirectorySeed.people(this.jdbc, this.company.id(), "csv", seeded);
		// One accepted id deactivated, one an admin; a sign-in's link and another source's are never offered.
		for (String change : List.of("update person set status = 'deactivated' where email = 'p1@example.com'",
				"update person set role = 'admin' where email = 'p2100@example.com'",
				"update person_identity set linked_by = 'sign-in' where external_id = 'x-00005'")) {
			this.jdbc.sql(change + " and company_id = :company").param("company", this.company.id()).update();
		}
		DirectorySeed.people(this.jdbc, this.company.id(), "okta",
				List.of(new DirectorySeed.Seeded("x-00007b", "okta@example.com", "O")));
		Set<String> accepted = Set.of("x-00001", "x-00005", "x-01000", "x-02100", "x-02499");

		List<String> offered = new ArrayList<>();
		List<Row> handed = new ArrayList<>();
		this.batch.forEachIdentity(this.company.id(), "csv", externalId -> {
			offered.add(externalId);
			return accepted.contains(externalId);
		}, (externalId, personId, active, email, role) -> handed.add(new Row(externalId, personId, active, email,
				role)));

		List<String> provisioned = seeded.stream()
			.map(DirectorySeed.Seeded::externalId)
			.filter(id -> !id.equals("x-00005"))
			.toList();
		assertThat(offered).containsExactlyElementsOf(provisioned);
		List<Row> all = new ArrayList<>();
		this.batch.forEachIdentity(this.company.id(), "csv",
				(externalId, personId, active, email, role) -> all.add(new Row(externalId, personId, active, email,
						role)));
		assertThat(handed).containsExactlyElementsOf(
				all.stream().filter(row -> accepted.contains(row.externalId())).toList());
		assertThat(handed).extracting(Row::externalId).containsExactly("x-00001", "x-01000", "x-02100", "x-02499");
		Map<String, Row> byId = new java.util.HashMap<>();
		handed.forEach(row -> byId.put(row.externalId(), row));
		assertThat(byId.get("x-00001").active()).isFalse();
		assertThat(byId.get("x-00001").email()).isEqualTo("p1@example.com");
		assertThat(byId.get("x-02100").role()).isEqualTo(Role.ADMIN);
		assertThat(byId.get("x-01000").active()).isTrue();
	}

	@Test
	void forEachIdentityWhenTheFilterAcceptsNoneThenNothingIsHanded() {
		DirectorySeed.people(this.jdbc, this.company.id(), "csv",
				List.of(new DirectorySeed.Seeded("a", "a@example.com", "A")));
		List<String> handed = new ArrayList<>();

		this.batch.forEachIdentity(this.company.id(), "csv", externalId -> false,
				(externalId, personId, active, email, role) -> handed.add(externalId));

		assertThat(handed).isEmpty();
	}

}
