package io.rollcall.entra;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import io.rollcall.emulators.entra.DirectorySpec;
import io.rollcall.emulators.entra.EntraEmulator;
import io.rollcall.emulators.entra.EntraGroup;
import io.rollcall.emulators.entra.EntraTenant;
import io.rollcall.emulators.entra.EntraUser;
import io.rollcall.emulators.entra.GeneratedDirectory;
import io.rollcall.emulators.entra.GraphSubscription;
import io.rollcall.support.EntraSettings;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.Syncs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One tenant and one group per company (seed 000: "a single tenant and group"; seed 001: one tenant per subdomain).
 * Saving the set-up again replaces the group or the tenant (a new tenant needs consent again, and its first sync, which
 * would deactivate the first tenant's people, waits for approval); a second group alongside the first is refused; two
 * companies each with their own tenant never see each other's people or changes.
 */
class EntraConnectionRulesTests extends IntegrationTest {

	private static final EntraEmulator ENTRA = EntraEmulator.start(EntraEmulator.Options.defaults()
		.notificationBatchWindow(Duration.ofMillis(10))
		.notificationRetryBackoff(Duration.ofMillis(200)));

	@Autowired
	JdbcClient jdbc;

	@Autowired
	EntraIntegration integration;

	private Syncs syncs;

	private final List<TestCompany> companies = new ArrayList<>();

	@BeforeEach
	void syncs() {
		this.syncs = new Syncs(this.client, this.port);
	}

	@AfterEach
	void discard() {
		this.companies.forEach(company -> {
			this.syncs.discardRetrying(company, "entra");
			EntraDeletedUserTests.forget(this.jdbc, company);
		});
	}

	@AfterAll
	static void stop() {
		ENTRA.close();
	}

	@Test
	void setupWhenAnotherGroupSavedThenItReplacesTheFirstAndTheNextSyncFollowsOnlyIt() {
		TestCompany company = company();
		EntraTenant tenant = tenant(company, "one");
		GeneratedDirectory directory = generate(tenant, 12);
		List<String> first = tenant.transitiveUserIds(directory.topGroupId());
		String dropped = first.get(3);
		EntraUser newcomer = tenant.createUser(Map.of("userPrincipalName", "new@" + tenant.domain(), "displayName",
				"Nia New", "givenName", "Nia", "surname", "New"));
		EntraGroup second = tenant.createGroup("Rollcall second");
		first.stream().filter(id -> !id.equals(dropped)).forEach(id -> tenant.addMember(second.id(), id));
		tenant.addMember(second.id(), newcomer.id());
		connect(company, tenant, directory.topGroupId());
		sync(company);
		assertThat(activeIds(company)).isEqualTo(Set.copyOf(first));

		JsonNode saved = connect(company, tenant, second.id());

		assertThat(saved.path("groupId").asString()).isEqualTo(second.id());
		assertThat(saved.path("authorised").asBoolean()).as("same tenant and app: consent kept").isTrue();
		List<String> resources = tenant.subscriptions().stream().map(GraphSubscription::resource).toList();
		assertThat(resources).as("notifications follow the new group only")
			.contains("/groups/" + second.id() + "/members")
			.noneMatch(resource -> resource.contains(directory.topGroupId()));
		JsonNode run = sync(company);
		assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("succeeded");
		assertThat(run.path("counts").path("create").asInt()).isEqualTo(1);
		assertThat(run.path("counts").path("deactivate").asInt()).isEqualTo(1);
		Set<String> expected = new java.util.HashSet<>(first);
		expected.remove(dropped);
		expected.add(newcomer.id());
		assertThat(activeIds(company)).isEqualTo(expected);
		assertThat(status(company, dropped)).isEqualTo("deactivated");
	}

	@Test
	void setupWhenASecondGroupIsSentAlongsideThenRefusedAndTheSavedGroupKept() {
		TestCompany company = company();
		EntraTenant tenant = tenant(company, "two");
		GeneratedDirectory directory = generate(tenant, 4);
		EntraGroup other = tenant.createGroup("Another group");
		connect(company, tenant, directory.topGroupId());

		for (Object groups : List.of(List.of(directory.topGroupId(), other.id()),
				directory.topGroupId() + "," + other.id(), directory.topGroupId() + " " + other.id())) {
			Map<String, Object> body = form(tenant, null);
			body.put("groupId", groups);
			Response refused = this.client.api(company, "PUT", "/api/v1/integrations/entra", body);
			assertThat(refused.status()).as(groups + ": " + refused.body()).isEqualTo(400);
			assertThat(refused.body()).doesNotContain("Exception").doesNotContain("\tat ");
		}

		JsonNode setup = this.client.api(company, "GET", "/api/v1/integrations/entra").json();
		assertThat(setup.path("groupId").asString()).isEqualTo(directory.topGroupId());
		assertThat(tenant.subscriptions().stream().map(GraphSubscription::resource).toList())
			.noneMatch(resource -> resource.contains(other.id()));
	}

	@Test
	void setupWhenAnotherTenantSavedThenItReplacesTheFirstNeedsConsentDeletesTheFirstsSubscriptionsAndItsFirstSyncWaitsForApproval() {
		TestCompany company = company();
		EntraTenant first = tenant(company, "first");
		GeneratedDirectory firstDirectory = generate(first, 12);
		connect(company, first, firstDirectory.topGroupId());
		sync(company);
		Set<String> firstPeople = Set.copyOf(first.transitiveUserIds(firstDirectory.topGroupId()));
		assertThat(activeIds(company)).isEqualTo(firstPeople);
		assertThat(firstPeople.size()).as("enough to reach the company's hold").isGreaterThanOrEqualTo(10);
		EntraTenant second = tenant(company, "second");
		GeneratedDirectory secondDirectory = generate(second, 5);
		await(() -> !first.subscriptions().isEmpty());

		JsonNode saved = save(company, second, secondDirectory.topGroupId(), second.clientSecret());

		// Left at the first tenant, they would go on notifying for days and use up its quota of subscriptions.
		await(() -> first.subscriptions().isEmpty());

		assertThat(saved.path("authorised").asBoolean()).as("a new tenant needs consent again").isFalse();
		Response refused = this.client.api(company, "POST", "/api/v1/integrations/entra/sync-runs", Map.of());
		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.json().path("detail").asString() + refused.body()).contains("Authorise");
		// The first tenant's notifications no longer reach the company.
		EntraUser someone = first.user(firstPeople.iterator().next()).orElseThrow();
		first.updateUser(someone.id(), Map.of("jobTitle", "From The Old Tenant"));
		pause(1000);
		assertThat(jobTitle(company, someone.id())).isNotEqualTo("From The Old Tenant");

		this.integration.authorised(company.id());
		JsonNode held = sync(company);

		assertThat(held.path("status").asString()).as(held.toString()).isEqualTo("held");
		assertThat(held.path("counts").path("create").asInt())
			.isEqualTo(second.transitiveUserIds(secondDirectory.topGroupId()).size());
		assertThat(held.path("counts").path("deactivate").asInt()).isEqualTo(firstPeople.size());
		assertThat(activeIds(company)).as("nobody leaves before approval").isEqualTo(firstPeople);
		Response approved = this.client.api(company, "POST",
				"/api/v1/sync-runs/" + held.path("id").asString() + "/approval",
				Map.of("decision", "approve"));
		assertThat(approved.status()).as(approved.body()).isEqualTo(200);
		this.syncs.await(company, held.path("id").asString(), Set.of("succeeded"), Duration.ofSeconds(30));
		assertThat(activeIds(company)).isEqualTo(Set.copyOf(second.transitiveUserIds(secondDirectory.topGroupId())));
		firstPeople.forEach(id -> assertThat(status(company, id)).isEqualTo("deactivated"));
	}

	@Test
	void setupWhenAnotherTenantSavedAndTheFormerNoLongerAnswersThenSavedAtOnceAndItsSubscriptionsLeftAfterOneTry() {
		TestCompany company = company();
		try (EntraEmulator gone = EntraEmulator.start(EntraEmulator.Options.defaults())) {
			EntraTenant first = gone.createTenant("gone-" + company.slug() + ".example");
			GeneratedDirectory firstDirectory = generate(first, 6);
			Map<String, Object> body = new HashMap<>(
					EntraSettings.of(gone, first, firstDirectory.topGroupId(), first.clientSecret(), true, "never"));
			Response connected = this.client.api(company, "PUT", "/api/v1/integrations/entra", body);
			assertThat(connected.status()).as(connected.body()).isEqualTo(200);
			this.integration.authorised(company.id());
			sync(company);
			await(() -> first.subscriptions().size() >= 2);
			int subscriptions = first.subscriptions().size();
			gone.faults().dropShare(1.0);
			EntraTenant second = tenant(company, "after-gone");
			GeneratedDirectory secondDirectory = generate(second, 3);

			Instant start = Instant.now();
			save(company, second, secondDirectory.topGroupId(), second.clientSecret());

			// Graph's retries of one call take 6–9 s here: the save does not wait for them.
			assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(3));
			// Only the subscriptions' deletions are counted: the first sync's background work (its photo pass)
			// may still be calling the former tenant, and those calls are dropped too.
			await(() -> subscriptionDeletions(gone) >= 6);
			pause(1500);
			assertThat(subscriptionDeletions(gone))
				.as("one subscription tried (six attempts), the others not: each would wait out the same retries; "
						+ "the former tenant's counters: %s", gone.counters().snapshot())
				.isEqualTo(6);
			assertThat(first.subscriptions()).as("left to expire at the tenant that no longer answers")
				.hasSize(subscriptions);
			JsonNode setup = this.client.api(company, "GET", "/api/v1/integrations/entra").json();
			assertThat(setup.path("groupId").asString()).isEqualTo(secondDirectory.topGroupId());
		}
	}

	@Test
	void twoCompaniesWhenEachHasItsOwnTenantThenEachSeesOnlyItsOwnPeopleAndChanges() {
		TestCompany north = company();
		TestCompany south = company();
		EntraTenant northTenant = tenant(north, "north");
		EntraTenant southTenant = tenant(south, "south");
		GeneratedDirectory northDirectory = generate(northTenant, 6);
		GeneratedDirectory southDirectory = generate(southTenant, 4);
		// The same address in both tenants: each company has its own person for it.
		String shared = "pat@shared-" + north.slug() + ".example";
		EntraUser northPat = northTenant.createUser(Map.of("userPrincipalName", shared, "displayName", "Pat North",
				"givenName", "Pat", "surname", "North", "jobTitle", "Northern Pilot"));
		EntraUser southPat = southTenant.createUser(Map.of("userPrincipalName", shared, "displayName", "Pat South",
				"givenName", "Pat", "surname", "South", "jobTitle", "Southern Pilot"));
		northTenant.addMember(northDirectory.topGroupId(), northPat.id());
		southTenant.addMember(southDirectory.topGroupId(), southPat.id());
		connect(north, northTenant, northDirectory.topGroupId());
		connect(south, southTenant, southDirectory.topGroupId());

		sync(north);
		sync(south);

		assertThat(activeIds(north)).isEqualTo(Set.copyOf(northTenant.transitiveUserIds(northDirectory.topGroupId())));
		assertThat(activeIds(south)).isEqualTo(Set.copyOf(southTenant.transitiveUserIds(southDirectory.topGroupId())));
		assertThat(jobTitle(north, northPat.id())).isEqualTo("Northern Pilot");
		assertThat(jobTitle(south, southPat.id())).isEqualTo("Southern Pilot");
		assertThat(personId(north, northPat.id())).isNotEqualTo(personId(south, southPat.id()));

		northTenant.updateUser(northPat.id(), Map.of("jobTitle", "Harbour Pilot"));
		await(() -> "Harbour Pilot".equals(jobTitle(north, northPat.id())));
		southTenant.deleteUser(southPat.id());
		await(() -> "deactivated".equals(status(south, southPat.id())));

		pause(500);
		assertThat(jobTitle(south, southPat.id())).isEqualTo("Southern Pilot");
		assertThat(status(north, northPat.id())).isEqualTo("active");
		JsonNode again = sync(north);
		assertThat(again.path("counts").path("deactivate").asInt()).isZero();
		assertThat(again.path("counts").path("create").asInt()).isZero();
		assertThat(status(north, northPat.id())).isEqualTo("active");
	}

	// ---- helpers ----

	private static long subscriptionDeletions(EntraEmulator emulator) {
		return emulator.counters().requests(key -> key.startsWith("DELETE /v1.0/subscriptions/"));
	}

	private TestCompany company() {
		TestCompany company = this.client.createCompany();
		this.companies.add(company);
		return company;
	}

	private static EntraTenant tenant(TestCompany company, String name) {
		return ENTRA.createTenant(name + "-" + company.slug() + ".example");
	}

	private static GeneratedDirectory generate(EntraTenant tenant, int people) {
		return tenant.generate(DirectorySpec.people(people)
			.withOutsiders(0)
			.withDepartments(2)
			.withNesting(1, 2)
			.withPhotoShare(0)
			.withDisabledShare(0)
			.withDomain(tenant.domain()));
	}

	/** Saves the set-up with this tenant and group, and authorises it as admin consent would. */
	private JsonNode connect(TestCompany company, EntraTenant tenant, String groupId) {
		JsonNode saved = save(company, tenant, groupId, tenant.clientSecret());
		if (!saved.path("authorised").asBoolean()) {
			this.integration.authorised(company.id());
		}
		return this.client.api(company, "GET", "/api/v1/integrations/entra").json();
	}

	private JsonNode save(TestCompany company, EntraTenant tenant, String groupId, String secret) {
		Map<String, Object> body = form(tenant, secret);
		body.put("groupId", groupId);
		Response saved = this.client.api(company, "PUT", "/api/v1/integrations/entra", body);
		assertThat(saved.status()).as(saved.body()).isEqualTo(200);
		return saved.json();
	}

	private static Map<String, Object> form(EntraTenant tenant, String secret) {
		// Mutable: tests add the group, or change a field, before saving.
		return new HashMap<>(EntraSettings.of(ENTRA, tenant, null, secret, true, "never"));
	}

	/** A full run, once a run the notifications started (if any) has ended. */
	private JsonNode sync(TestCompany company) {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
		Response started = this.client.api(company, "POST", "/api/v1/integrations/entra/sync-runs", Map.of());
		while (started.status() == 409 && Instant.now().isBefore(deadline)) {
			pause(100);
			started = this.client.api(company, "POST", "/api/v1/integrations/entra/sync-runs", Map.of());
		}
		assertThat(started.status()).as(started.body()).isEqualTo(202);
		return this.syncs.await(company, started.json().path("id").asString());
	}

	/** The Entra ids of the company's active people linked to Entra. */
	private Set<String> activeIds(TestCompany company) {
		return Set.copyOf(this.jdbc.sql("""
				select i.external_id from person_identity i join person p on p.id = i.person_id
				where i.company_id = :c and i.source = 'entra' and p.status = 'active'
				""").param("c", company.id()).query(String.class).list());
	}

	private String column(TestCompany company, String entraId, String column) {
		return this.jdbc.sql("select p." + column + " from person_identity i join person p on p.id = i.person_id "
				+ "where i.company_id = :c and i.source = 'entra' and i.external_id = :id")
			.param("c", company.id())
			.param("id", entraId)
			.query(String.class)
			.optional()
			.orElse(null);
	}

	private String status(TestCompany company, String entraId) {
		return column(company, entraId, "status");
	}

	private String jobTitle(TestCompany company, String entraId) {
		return column(company, entraId, "job_title");
	}

	private String personId(TestCompany company, String entraId) {
		return column(company, entraId, "id::text");
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

	private static void await(BooleanSupplier condition) {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
		while (Instant.now().isBefore(deadline)) {
			if (condition.getAsBoolean()) {
				return;
			}
			pause(50);
		}
		throw new AssertionError("The condition did not hold within 20 s");
	}

}
