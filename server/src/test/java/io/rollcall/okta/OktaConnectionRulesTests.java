package io.rollcall.okta;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import io.rollcall.emulators.okta.GeneratedOrg;
import io.rollcall.emulators.okta.OktaEmulator;
import io.rollcall.emulators.okta.OktaOrg;
import io.rollcall.emulators.okta.OktaUser;
import io.rollcall.emulators.okta.OrgSpec;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.Syncs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.rollcall.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One Okta org and one app per company (seed 003: only the users assigned the Rollcall app are synchronised). Saving
 * another org replaces the first, and its first sync, which would deactivate the first org's people, waits for
 * approval; a second app alongside the first is refused; two companies with their own orgs never see each other's
 * people or events.
 */
class OktaConnectionRulesTests extends IntegrationTest {

	@Autowired
	JdbcClient jdbc;

	private final List<OktaEmulator> emulators = new ArrayList<>();

	private final List<TestCompany> companies = new ArrayList<>();

	private final Map<TestCompany, String> hookSecrets = new LinkedHashMap<>();

	@AfterEach
	void stop() {
		Syncs syncs = new Syncs(this.client, this.port);
		this.companies.forEach(company -> syncs.discardRetrying(company, "okta"));
		this.emulators.forEach(OktaEmulator::close);
		// The orgs are gone with their emulators: a later test's daily sync must not spend the run threads on them.
		this.companies.forEach(company -> this.jdbc.sql("delete from okta_connection where company_id = :c")
			.param("c", company.id())
			.update());
	}

	@Test
	void setupWhenAnotherOrgSavedThenItReplacesTheFirstAndItsFirstSyncWaitsForApproval() {
		TestCompany company = company();
		OktaOrg first = org();
		GeneratedOrg firstPeople = generate(first, company, "first", 12);
		save(company, first, first.appId());
		sync(company);
		assertThat(activeIds(company)).isEqualTo(Set.copyOf(firstPeople.assignedUserIds()));
		OktaOrg second = org();
		// Okta's user ids are unique across orgs; the emulators count from one, so the second org's start further on.
		for (int i = 0; i < 50; i++) {
			second.createUser(Map.of("email", "staged" + i + "@second-" + company.slug() + ".example"), false);
		}
		GeneratedOrg secondPeople = generate(second, company, "second", 4);

		JsonNode saved = save(company, second, second.appId());

		assertThat(saved.path("orgUrl").asString()).isEqualTo(second.orgUrl());
		assertThat(saved.path("appId").asString()).isEqualTo(second.appId()).isNotEqualTo(first.appId());
		JsonNode held = sync(company);
		assertThat(held.path("status").asString()).as(held.toString()).isEqualTo("held");
		assertThat(held.path("counts").path("create").asInt()).isEqualTo(secondPeople.assignedUserIds().size());
		assertThat(held.path("counts").path("deactivate").asInt()).isEqualTo(firstPeople.assignedUserIds().size());
		assertThat(activeIds(company)).as("nobody leaves before approval")
			.isEqualTo(Set.copyOf(firstPeople.assignedUserIds()));

		Response approved = this.client.api(company, "POST",
				"/api/v1/sync-runs/" + held.path("id").asString() + "/approval",
				Map.of("decision", "approve"));
		assertThat(approved.status()).as(approved.body()).isEqualTo(200);
		new Syncs(this.client, this.port).await(company, held.path("id").asString(), Set.of("succeeded"),
				Duration.ofSeconds(30));
		assertThat(activeIds(company)).isEqualTo(Set.copyOf(secondPeople.assignedUserIds()));
	}

	@Test
	void setupWhenASecondAppIsSentAlongsideThenRefusedAndTheSavedAppKept() {
		TestCompany company = company();
		OktaOrg org = org();
		generate(org, company, "apps", 3);
		save(company, org, org.appId());
		String other = "0oa" + "9z8y7x6w5v4u3t2s1r0q".substring(0, 17);

		for (Object apps : List.of(List.of(org.appId(), other), org.appId() + "," + other, org.appId() + " " + other)) {
			Map<String, Object> body = form(org, apps);
			Response refused = this.client.api(company, "PUT", "/api/v1/integrations/okta", body);
			assertThat(refused.status()).as(apps + ": " + refused.body()).isEqualTo(400);
			assertThat(refused.body()).doesNotContain("Exception").doesNotContain("\tat ");
		}

		assertThat(this.client.api(company, "GET", "/api/v1/integrations/okta").json().path("appId").asString())
			.isEqualTo(org.appId());
	}

	@Test
	void twoCompaniesWhenEachHasItsOwnOrgThenEachSeesOnlyItsOwnPeopleAndEvents() {
		TestCompany east = company();
		TestCompany west = company();
		OktaOrg eastOrg = org();
		OktaOrg westOrg = org();
		GeneratedOrg eastPeople = generate(eastOrg, east, "east", 5);
		GeneratedOrg westPeople = generate(westOrg, west, "west", 3);
		save(east, eastOrg, eastOrg.appId());
		save(west, westOrg, westOrg.appId());
		registerHook(east, eastOrg);
		registerHook(west, westOrg);

		sync(east);
		sync(west);

		assertThat(activeIds(east)).isEqualTo(Set.copyOf(eastPeople.assignedUserIds()));
		assertThat(activeIds(west)).isEqualTo(Set.copyOf(westPeople.assignedUserIds()));
		String eastOne = eastPeople.assignedUserIds().get(1);
		String westOne = westPeople.assignedUserIds().get(1);
		String westTitle = column(west, westOne, "job_title");

		eastOrg.updateProfile(eastOne, Map.of("title", "Eastern Navigator"));
		await(() -> "Eastern Navigator".equals(column(east, eastOne, "job_title")));
		westOrg.deactivate(westOne);
		await(() -> "deactivated".equals(column(west, westOne, "status")));

		pause(500);
		assertThat(column(west, westOne, "job_title")).isEqualTo(westTitle);
		assertThat(activeIds(east)).isEqualTo(Set.copyOf(eastPeople.assignedUserIds()));
		assertThat(this.jdbc.sql("select count(*) from person_identity where company_id = :c and source = 'okta'")
			.param("c", west.id())
			.query(Integer.class)
			.single()).isEqualTo(westPeople.assignedUserIds().size());
	}

	// ---- helpers ----

	private TestCompany company() {
		TestCompany company = this.client.createCompany();
		this.companies.add(company);
		return company;
	}

	/** Each org with its own seed, so that app ids and tokens differ as between real orgs. */
	private OktaOrg org() {
		OktaEmulator emulator = OktaEmulator.start(OktaEmulator.Options.defaults()
			.seed(42L + this.emulators.size())
			.rateLimitWindow(Duration.ofSeconds(2))
			.hookBatchWindow(Duration.ofMillis(5)));
		this.emulators.add(emulator);
		return emulator.org();
	}

	private static GeneratedOrg generate(OktaOrg org, TestCompany company, String name, int people) {
		return org.generate(OrgSpec.people(people)
			.withAssignedShare(1.0)
			.withSuspendedShare(0)
			.withPictureShare(0)
			.withDomain(name + "-" + company.slug() + ".example"));
	}

	private Map<String, Object> form(OktaOrg org, Object appId) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("orgUrl", org.orgUrl());
		body.put("apiToken", org.apiToken());
		body.put("appId", appId);
		body.put("assignManagers", true);
		body.put("invitationPolicy", "never");
		return body;
	}

	private JsonNode save(TestCompany company, OktaOrg org, String appId) {
		Response saved = this.client.api(company, "PUT", "/api/v1/integrations/okta", form(org, appId));
		assertThat(saved.status()).as(saved.body()).isEqualTo(200);
		if (saved.json().hasNonNull("eventHookSecret")) {
			this.hookSecrets.put(company, saved.json().path("eventHookSecret").asString());
		}
		return saved.json();
	}

	private void registerHook(TestCompany company, OktaOrg org) {
		String url = this.client.api(company, "GET", "/api/v1/integrations/okta")
			.json()
			.path("eventHookUrl")
			.asString();
		org.registerEventHook(url, this.hookSecrets.get(company));
	}

	private JsonNode sync(TestCompany company) {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
		Response started = this.client.api(company, "POST", "/api/v1/integrations/okta/sync-runs", Map.of());
		while (started.status() == 409 && Instant.now().isBefore(deadline)) {
			pause(100);
			started = this.client.api(company, "POST", "/api/v1/integrations/okta/sync-runs", Map.of());
		}
		assertThat(started.status()).as(started.body()).isEqualTo(202);
		return new Syncs(this.client, this.port).await(company, started.json().path("id").asString());
	}

	private Set<String> activeIds(TestCompany company) {
		return Set.copyOf(this.jdbc.sql("""
				select i.external_id from person_identity i join person p on p.id = i.person_id
				where i.company_id = :c and i.source = 'okta' and p.status = 'active'
				""").param("c", company.id()).query(String.class).list());
	}

	private String column(TestCompany company, String oktaId, String column) {
		return this.jdbc.sql("select p." + column + " from person_identity i join person p on p.id = i.person_id "
				+ "where i.company_id = :c and i.source = 'okta' and i.external_id = :id")
			.param("c", company.id())
			.param("id", oktaId)
			.query(String.class)
			.optional()
			.orElse(null);
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
