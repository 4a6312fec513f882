package io.rollcall.entra;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.rollcall.emulators.entra.DirectorySpec;
import io.rollcall.emulators.entra.EntraEmulator;
import io.rollcall.emulators.entra.EntraTenant;
import io.rollcall.emulators.entra.EntraUser;
import io.rollcall.emulators.entra.GeneratedDirectory;
import io.rollcall.events.EventTestSupport;
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

import static io.rollcall.events.EventTestSupport.assertActor;
import static io.rollcall.events.EventTestSupport.change;
import static io.rollcall.events.EventTestSupport.types;
import static org.assertj.core.api.Assertions.assertThat;

/** The Entra ID writer (full sync and change notifications, against the emulator), read back through the event feed. */
class EntraEventsTests extends IntegrationTest {

	private static final EntraEmulator ENTRA = EntraEmulator.start(EntraEmulator.Options.defaults()
		.notificationBatchWindow(Duration.ofMillis(10))
		.notificationRetryBackoff(Duration.ofMillis(200)));

	@Autowired
	JdbcClient jdbc;

	@Autowired
	EntraIntegration integration;

	private TestCompany company;

	private Syncs syncs;

	private EntraTenant tenant;

	private GeneratedDirectory directory;

	@BeforeEach
	void connect() {
		this.company = this.client.createCompany();
		this.syncs = new Syncs(this.client, this.port);
		this.tenant = ENTRA.createTenant(this.company.slug() + ".example");
		this.directory = this.tenant.generate(DirectorySpec.people(6)
			.withOutsiders(0)
			.withDepartments(1)
			.withNesting(1, 1)
			.withPhotoShare(0)
			.withDisabledShare(0)
			.withDomain(this.company.slug() + ".example"));
		Response saved = this.client.api(this.company, "PUT", "/api/v1/integrations/entra", EntraSettings.of(ENTRA,
				this.tenant, this.directory.topGroupId(), this.tenant.clientSecret(), false, "never"));
		assertThat(saved.status()).as(saved.body()).isEqualTo(200);
		this.integration.authorised(this.company.id());
	}

	@AfterEach
	void forgetTenant() {
		this.syncs.discardRetrying(this.company, "entra");
		EntraDeletedUserTests.forget(this.jdbc, this.company);
	}

	@AfterAll
	static void stop() {
		ENTRA.close();
	}

	@Test
	void entraWhenFullSyncThenEveryPersonCreatedByItsRunAndTheRunSucceeded() throws Exception {
		String start = EventTestSupport.cursorAfterEverything(this.jdbc);

		JsonNode run = sync();

		List<JsonNode> events = EventTestSupport.eventsAfter(this.client, this.jdbc, this.company, start);
		String runId = run.path("id").asString();
		List<EntraUser> members = members();
		List<JsonNode> created = events.stream()
			.filter(e -> e.path("type").asString().equals("person.created"))
			.toList();
		assertThat(created).hasSize(members.size());
		assertThat(events).allSatisfy(e -> {
			assertThat(e.path("runId").asString()).isEqualTo(runId);
			assertActor(e, "source", "entra sync, run " + runId.substring(0, 8));
		});
		assertThat(types(events).getLast()).isEqualTo("sync_run.succeeded");
		assertThat(types(events)).containsOnly("team.created", "person.created", "membership.added",
				"sync_run.succeeded");
		for (EntraUser user : members) {
			String id = personId(user);
			JsonNode event = created.stream()
				.filter(e -> e.path("subjectId").asString().equals(id))
				.findFirst()
				.orElseThrow();
			assertThat(change(event, "externalIds.entra")).containsExactly(null, user.id());
			assertThat(change(event, "firstName")).containsExactly(null, user.givenName());
		}
	}

	@Test
	void entraWhenUserChangedAndDisabledThenTheNotificationsRunsUpdateAndDeactivateThem() throws Exception {
		sync();
		List<EntraUser> members = members();
		EntraUser changed = members.get(0);
		EntraUser leaver = members.get(1);
		String start = EventTestSupport.cursorAfterEverything(this.jdbc);

		this.tenant.updateUser(changed.id(), Map.of("jobTitle", "Navigator"));
		this.tenant.disableUser(leaver.id());

		String changedId = personId(changed);
		String leaverId = personId(leaver);
		await(() -> "Navigator".equals(person(changedId).path("jobTitle").asString())
				&& "deactivated".equals(person(leaverId).path("status").asString()));
		awaitRunsSettled();
		List<JsonNode> events = EventTestSupport.eventsAfter(this.client, this.jdbc, this.company, start);

		List<JsonNode> people = events.stream().filter(e -> e.path("subjectType").asString().equals("person")).toList();
		assertThat(people).hasSize(2);
		JsonNode updated = people.stream()
			.filter(e -> e.path("subjectId").asString().equals(changedId))
			.findFirst()
			.orElseThrow();
		JsonNode deactivated = people.stream()
			.filter(e -> e.path("subjectId").asString().equals(leaverId))
			.findFirst()
			.orElseThrow();
		assertThat(updated.path("type").asString()).isEqualTo("person.updated");
		assertThat(updated.path("changes").propertyNames()).containsExactly("jobTitle");
		assertThat(change(updated, "jobTitle")).containsExactly(changed.jobTitle(), "Navigator");
		assertThat(deactivated.path("type").asString()).isEqualTo("person.deactivated");
		assertThat(change(deactivated, "status")).containsExactly("active", "deactivated");
		for (JsonNode event : people) {
			String runId = event.path("runId").asString();
			assertActor(event, "source", "entra sync, run " + runId.substring(0, 8));
			JsonNode run = this.client.api(this.company, "GET", "/api/v1/sync-runs/" + runId).json();
			assertThat(run.path("options").path("mode").asString()).isEqualTo("incremental");
			// The run's success comes after its changes.
			assertThat(events.subList(events.indexOf(event), events.size()))
				.anySatisfy(e -> assertThat(e.path("type").asString() + " " + e.path("subjectId").asString())
					.isEqualTo("sync_run.succeeded " + runId));
			EventTestSupport.assertSubjectIsAsApiShows(this.client, this.company, event, "/api/v1/people/");
		}
		assertThat(events).allSatisfy(e -> assertThat(e.path("type").asString()).isIn("person.updated",
				"person.deactivated", "sync_run.succeeded"));
	}

	private List<EntraUser> members() {
		return this.tenant.transitiveUserIds(this.directory.topGroupId())
			.stream()
			.map(id -> this.tenant.user(id).orElseThrow())
			.filter(EntraUser::accountEnabled)
			.toList();
	}

	private String personId(EntraUser user) {
		return this.jdbc
			.sql("""
					select cast(person_id as text) from person_identity where company_id = :c and source = 'entra' and external_id = :id
					""")
			.param("c", this.company.id())
			.param("id", user.id())
			.query(String.class)
			.single();
	}

	private JsonNode person(String id) {
		return this.client.api(this.company, "GET", "/api/v1/people/" + id).json();
	}

	private JsonNode sync() {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
		Response started = this.client.api(this.company, "POST", "/api/v1/integrations/entra/sync-runs", Map.of());
		while (started.status() == 409 && Instant.now().isBefore(deadline)) {
			pause();
			started = this.client.api(this.company, "POST", "/api/v1/integrations/entra/sync-runs", Map.of());
		}
		assertThat(started.status()).as(started.body()).isEqualTo(202);
		JsonNode run = this.syncs.await(this.company, started.json().path("id").asString());
		assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("succeeded");
		return run;
	}

	private void awaitRunsSettled() {
		await(() -> this.jdbc.sql("""
				select count(*) from sync_run where company_id = :c
				and status not in ('succeeded', 'failed', 'previewed', 'held', 'discarded', 'superseded')
				""").param("c", this.company.id()).query(Integer.class).single() == 0);
	}

	private static void pause() {
		try {
			Thread.sleep(100);
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
			pause();
		}
		throw new AssertionError("The condition did not hold within 20 s");
	}

}
