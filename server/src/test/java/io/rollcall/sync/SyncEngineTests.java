package io.rollcall.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rollcall.mapping.SourceRecord;
import io.rollcall.platform.Actor;
import io.rollcall.platform.JobScheduler;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.ScriptedSource;
import io.rollcall.support.Syncs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static io.rollcall.support.ScriptedSource.person;
import static org.assertj.core.api.Assertions.assertThat;

/** The engine's rules for a source that lists everyone in scope, as an identity provider does. */
class SyncEngineTests extends IntegrationTest {

	private static final Actor ADMIN = new Actor(Actor.Type.PERSON, null, "admin@example.com");

	@Autowired
	ScriptedSource source;

	@Autowired
	SyncRuns runs;

	private TestCompany company;

	private Syncs syncs;

	@BeforeEach
	void company() {
		this.company = this.client.createCompany();
		this.syncs = new Syncs(this.client, this.port);
	}

	@Test
	void syncWhenPersonNoLongerListedThenDeactivatedAndReactivatedWhenBack() {
		List<SourceRecord> everyone = everyone(5);
		sync(everyone);

		JsonNode without = sync(everyone.subList(1, 5));
		String afterRemoval = status("u0@example.com");
		JsonNode back = sync(everyone);

		assertThat(without.path("counts").path("deactivate").asInt()).isEqualTo(1);
		assertThat(afterRemoval).isEqualTo("deactivated");
		assertThat(back.path("counts").path("reactivate").asInt()).isEqualTo(1);
		assertThat(status("u0@example.com")).isEqualTo("active");
		assertThat(this.client.api(this.company, "GET", "/api/v1/people?limit=200").json().path("items")).hasSize(6);
	}

	@Autowired
	JobScheduler jobs;

	/** Spring pauses a cached test context (stop, later start); a run queued in between still runs after it. */
	@Test
	void syncWhenJobsStoppedAndStartedAgainThenQueuedRunStillCompletes() {
		this.jobs.stop();
		SyncRun queued;
		try {
			this.source.script(this.company.id(), everyone(3));
			queued = this.runs.start(this.company.id(), ScriptedSource.KIND, false, null, Map.of(), ADMIN);
		}
		finally {
			this.jobs.start();
		}

		JsonNode done = this.syncs.await(this.company, queued.id().toString());

		assertThat(done.path("status").asString()).isEqualTo("succeeded");
		assertThat(status("u2@example.com")).isEqualTo("active");
	}

	@Test
	void syncWhenItWouldDeactivateTooManyThenHeldUntilApproved() {
		List<SourceRecord> everyone = everyone(40);
		sync(everyone);

		JsonNode held = sync(everyone.subList(0, 25));

		assertThat(held.path("status").asString()).isEqualTo("held");
		assertThat(held.path("counts").path("deactivate").asInt()).isEqualTo(15);
		assertThat(held.path("holdReason").asString()).contains("15 of 41");
		assertThat(status("u39@example.com")).isEqualTo("active");

		this.runs.approve(this.company.id(), UUID.fromString(held.path("id").asString()), ADMIN);
		JsonNode approved = this.syncs.await(this.company, held.path("id").asString());
		assertThat(approved.path("status").asString()).isEqualTo("succeeded");
		assertThat(status("u39@example.com")).isEqualTo("deactivated");
		assertThat(status("u0@example.com")).isEqualTo("active");
	}

	/**
	 * More departures than one batch of the plan writer: the full sync's deactivations are planned while the company's
	 * identities are read, and that read once held a read-only transaction open, so the first full batch failed the
	 * run ("cannot execute INSERT in a read-only transaction") instead of holding it.
	 */
	@Test
	void syncWhenMoreDeparturesThanOnePlanBatchThenHeldAndWhenApprovedAllDeactivated() {
		List<SourceRecord> everyone = everyone(PlanStore.BATCH + 300);
		sync(everyone);

		JsonNode held = sync(everyone.subList(0, 100));

		assertThat(held.path("status").asString()).as(held.toString()).isEqualTo("held");
		assertThat(held.path("counts").path("deactivate").asInt()).isEqualTo(PlanStore.BATCH + 200);
		assertThat(held.path("total").asInt()).isEqualTo(PlanStore.BATCH + 200);
		this.runs.approve(this.company.id(), UUID.fromString(held.path("id").asString()), ADMIN);
		JsonNode approved = this.syncs.await(this.company, held.path("id").asString());
		assertThat(approved.path("status").asString()).as(approved.toString()).isEqualTo("succeeded");
		assertThat(approved.path("done").asInt()).isEqualTo(PlanStore.BATCH + 200);
		Integer deactivated = this.jdbc.sql("""
				select count(*) from person where company_id = :company and status = 'deactivated'
				""").param("company", this.company.id()).query(Integer.class).single();
		assertThat(deactivated).isEqualTo(PlanStore.BATCH + 200);
		assertThat(status("u99@example.com")).isEqualTo("active");
		assertThat(status("u100@example.com")).isEqualTo("deactivated");
	}

	/** A provider's record Rollcall cannot use is the provider's listing all the same, never a departure. */
	@Test
	void syncWhenAListedRecordIsRefusedThenReportedAndItsPersonNotDeactivated() {
		List<SourceRecord> everyone = everyone(5);
		sync(everyone);
		List<SourceRecord> withoutEmail = new ArrayList<>(everyone);
		withoutEmail.set(0, person("id-0", null, "First0", "Last0", "Sales", null));

		JsonNode run = sync(withoutEmail);

		assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("succeeded");
		assertThat(run.path("counts").path("error").asInt()).isEqualTo(1);
		assertThat(run.path("counts").path("deactivate").asInt()).isZero();
		assertThat(status("u0@example.com")).isEqualTo("active");
	}

	@Test
	void syncWhenHeldRunDiscardedThenNothingOfItsPlanApplied() {
		List<SourceRecord> everyone = everyone(30);
		sync(everyone);
		List<SourceRecord> changed = new ArrayList<>(everyone.subList(0, 10));
		changed.set(0, person("id-0", "u0@example.com", "Renamed", "Zero", "Sales", null));

		JsonNode held = sync(changed);
		this.runs.discard(this.company.id(), UUID.fromString(held.path("id").asString()), ADMIN);

		assertThat(this.syncs.await(this.company, held.path("id").asString()).path("status").asString())
			.isEqualTo("discarded");
		assertThat(status("u29@example.com")).isEqualTo("active");
		assertThat(personByEmail("u0@example.com").path("firstName").asString()).isEqualTo("First0");
	}

	@Test
	void syncWhenSourceFailsPartWayThenRunRetriesAndNobodyIsDeactivatedOrChanged() {
		List<SourceRecord> everyone = everyone(5);
		sync(everyone);
		List<SourceRecord> changed = new ArrayList<>(everyone);
		changed.set(0, person("id-0", "u0@example.com", "Changed", "Zero", "Sales", null));
		this.source.scriptFailure(this.company.id(), changed, 2);

		JsonNode run = start(false);

		assertThat(run.path("status").asString()).isEqualTo("retrying");
		assertThat(run.path("error").asString()).contains("503");
		assertThat(personByEmail("u0@example.com").path("firstName").asString()).isEqualTo("First0");
		for (int i = 0; i < 5; i++) {
			assertThat(status("u" + i + "@example.com")).isEqualTo("active");
		}
		this.runs.discard(this.company.id(), UUID.fromString(run.path("id").asString()), ADMIN);
	}

	@Test
	void syncWhenTwoRecordsShareAnEmailThenConflictReportedNotMerged() {
		JsonNode run = sync(List.of(person("a", "same@example.com", "One", "A", null, null),
				person("b", "SAME@example.com", "Two", "B", null, null)));

		assertThat(run.path("counts").path("create").asInt()).isEqualTo(1);
		assertThat(run.path("counts").path("error").asInt()).isEqualTo(1);
		JsonNode error = this.syncs.plan(this.company, run.path("id").asString()).get(0);
		assertThat(error.path("kind").asString()).isEqualTo("error");
		assertThat(error.path("message").asString()).contains("also used by record a");
		assertThat(personByEmail("same@example.com").path("externalIds").path("scripted").asString()).isEqualTo("a");
	}

	@Test
	void syncWhenEmailBelongsToPersonLinkedToAnotherAccountThenConflictReported() {
		sync(List.of(person("a", "x@example.com", "X", "A", null, null)));

		JsonNode run = sync(List.of(person("a", "x@example.com", "X", "A", null, null),
				person("b", "X@example.com", "X", "B", null, null)));

		assertThat(run.path("counts").path("error").asInt()).isEqualTo(1);
		assertThat(personByEmail("x@example.com").path("externalIds").path("scripted").asString()).isEqualTo("a");
	}

	@Test
	void syncWhenManagersChangeThenOverrideManagersFollowAndManualTeamParentsStay() {
		sync(List.of(person("boss", "boss@example.com", "B", "Oss", "Exec", null),
				person("w", "w@example.com", "W", "Orker", "Ops", "boss")));
		String exec = teamId("Exec");
		String ops = teamId("Ops");
		this.client.api(this.company, "PATCH", "/api/v1/teams/" + ops, Map.of("parentId", exec));

		sync(List.of(person("boss", "boss@example.com", "B", "Oss", "Exec", null),
				person("w", "w@example.com", "W", "Orker", "Ops", "")));

		assertThat(personByEmail("w@example.com").path("overrideManagerId").isNull()).isTrue();
		assertThat(this.client.api(this.company, "GET", "/api/v1/teams/" + ops).json().path("parentId").asString())
			.isEqualTo(exec);
	}

	@Test
	void syncWhenNewManagerWouldCloseALoopThroughSomeoneNotLinkedInTheRunThenReportedAndNotSet() {
		sync(List.of(person("c", "c@example.com", "C", "Top", "Exec", null),
				person("b", "b@example.com", "B", "Middle", "Exec", "c"),
				person("a", "a@example.com", "A", "Low", "Ops", "b")));
		String c = personByEmail("c@example.com").path("id").asString();

		// b's record names no manager, so the loop check walks from a through b's stored manager to c.
		JsonNode run = sync(List.of(person("c", "c@example.com", "C", "Top", "Exec", "a"),
				person("b", "b@example.com", "B", "Middle", "Exec", null),
				person("a", "a@example.com", "A", "Low", "Ops", "b")));

		assertThat(run.path("counts").path("error").asInt()).isEqualTo(1);
		assertThat(run.path("counts").path("manager").asInt()).isZero();
		assertThat(personByEmail("c@example.com").path("overrideManagerId").isNull()).isTrue();
		assertThat(personByEmail("b@example.com").path("overrideManagerId").asString()).isEqualTo(c);
	}

	@Test
	void dryRunWhenRequestedThenNothingChangesEvenDeactivations() {
		sync(everyone(3));
		this.source.script(this.company.id(), everyone(1));

		JsonNode preview = start(true);

		assertThat(preview.path("status").asString()).isEqualTo("previewed");
		assertThat(preview.path("counts").path("deactivate").asInt()).isEqualTo(2);
		assertThat(status("u2@example.com")).isEqualTo("active");
	}

	@Autowired
	org.springframework.jdbc.core.simple.JdbcClient jdbc;

	/**
	 * Right after an import the query planner would still see the directory as it was (autovacuum looks a minute
	 * later, or never for a table that grew by less than a tenth), and may plan one person's look-up as a scan of
	 * the whole company: a large run gathers the statistics itself.
	 */
	@Test
	void syncWhenThousandsAppliedThenDirectoryStatisticsGatheredAtOnce() {
		String started = this.jdbc.sql("select now()::text").query(String.class).single();

		sync(everyone(1_100));

		boolean analysed = this.jdbc.sql("""
				select coalesce(greatest(last_analyze, last_autoanalyze) > cast(:started as timestamptz), false)
				from pg_stat_user_tables where relname = 'person'
				""").param("started", started).query(Boolean.class).single();
		assertThat(analysed).as("person analysed after the run started").isTrue();
	}

	private List<SourceRecord> everyone(int count) {
		List<SourceRecord> records = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			records
				.add(person("id-" + i, "u" + i + "@example.com", "First" + i, "Last" + i, i % 2 == 0 ? "Sales" : "Ops",
						null));
		}
		return records;
	}

	private JsonNode sync(List<SourceRecord> records) {
		this.source.script(this.company.id(), records);
		return start(false);
	}

	private JsonNode start(boolean dryRun) {
		SyncRun run = this.runs.start(this.company.id(), ScriptedSource.KIND, dryRun, null, Map.of(), ADMIN);
		return this.syncs.await(this.company, run.id().toString());
	}

	private JsonNode personByEmail(String email) {
		return this.client.personByEmail(this.company, email);
	}

	private String status(String email) {
		return personByEmail(email).path("status").asString();
	}

	private String teamId(String name) {
		for (JsonNode team : this.client.api(this.company, "GET", "/api/v1/teams").json()) {
			if (team.path("name").asString().equals(name)) {
				return team.path("id").asString();
			}
		}
		throw new AssertionError("No team " + name);
	}

}
