package io.rollcall.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.rollcall.mapping.SourceRecord;
import io.rollcall.platform.Actor;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.RowTrigger;
import io.rollcall.support.ScriptedSource;
import io.rollcall.support.Syncs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.rollcall.support.ScriptedSource.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A run that fails is not the end of its changes: it waits as {@code retrying}, is tried again with back-off until it
 * succeeds, and the problem is visible while it lasts (the tests' back-off is 0.3 s doubling to 2 s).
 */
class SyncRetryTests extends IntegrationTest {

	private static final Actor ADMIN = new Actor(Actor.Type.PERSON, null, "admin@example.com");

	private static final Duration WITHIN = Duration.ofSeconds(30);

	@Autowired
	ScriptedSource source;

	@Autowired
	SyncRuns runs;

	@Autowired
	SourceHealth health;

	@Autowired
	JdbcClient jdbc;

	private TestCompany company;

	private Syncs syncs;

	@BeforeEach
	void company() {
		this.company = this.client.createCompany();
		this.syncs = new Syncs(this.client, this.port);
	}

	@Test
	void syncWhenSourceFailsThenRetriedUntilItSucceedsAndTheChangeArrives() {
		List<SourceRecord> everyone = everyone(5);
		awaitStatus(start(everyone, false), "succeeded");
		List<SourceRecord> changed = new ArrayList<>(everyone);
		changed.set(0, person("id-0", "u0@example.com", "Changed", "Zero", "Sales", null));
		this.source.scriptFailure(this.company.id(), changed, 2);

		SyncRun failing = this.runs.start(this.company.id(), ScriptedSource.KIND, false, null, Map.of(), ADMIN);
		JsonNode retrying = awaitAttempts(failing.id(), 2);

		assertThat(retrying.path("status").asString()).isEqualTo("retrying");
		assertThat(retrying.path("error").asString()).contains("503");
		assertThat(retrying.path("nextAttemptAt").isNull()).isFalse();
		assertThat(firstName("u0@example.com")).as("nothing applied while it fails").isEqualTo("First0");
		SyncHealth during = this.health.of(this.company.id(), ScriptedSource.KIND);
		assertThat(during.problem()).isNotNull();
		assertThat(during.problem().runId()).isEqualTo(failing.id());
		assertThat(during.problem().message()).contains("503");
		assertThat(during.problem().since()).isNotNull();
		assertThat(during.problem().retried()).isTrue();

		this.source.script(this.company.id(), changed); // the provider recovers

		JsonNode recovered = awaitStatus(failing.id().toString(), "succeeded");
		assertThat(recovered.path("attempts").asInt()).isGreaterThanOrEqualTo(2);
		assertThat(firstName("u0@example.com")).isEqualTo("Changed");
		for (int i = 0; i < 5; i++) {
			assertThat(status("u" + i + "@example.com")).isEqualTo("active");
		}
		SyncHealth after = this.health.of(this.company.id(), ScriptedSource.KIND);
		assertThat(after.problem()).isNull();
		assertThat(after.lastSucceededAt()).isAfter(during.problem().since());
	}

	@Test
	void syncWhenRunWaitsToRetryThenNewFullRunReplacesItAndKeepsSinceWhenItFails() {
		List<SourceRecord> everyone = everyone(3);
		this.source.scriptFailure(this.company.id(), everyone, 1);
		SyncRun failing = this.runs.start(this.company.id(), ScriptedSource.KIND, false, null, Map.of(), ADMIN);
		awaitAttempts(failing.id(), 1);
		java.time.Instant since = this.health.of(this.company.id(), ScriptedSource.KIND).problem().since();

		assertThatThrownBy(() -> this.runs.start(this.company.id(), ScriptedSource.KIND, true, null, Map.of(), ADMIN))
			.as("a dry run does not replace it")
			.hasMessageContaining("waiting to be tried again");
		this.source.script(this.company.id(), everyone);
		SyncRun replacing = this.runs.start(this.company.id(), ScriptedSource.KIND, false, null, Map.of(), ADMIN);

		assertThat(this.runs.get(this.company.id(), failing.id()).status()).isEqualTo(RunStatus.SUPERSEDED);
		assertThat(replacing.failingSince()).isEqualTo(since);
		awaitStatus(replacing.id().toString(), "succeeded");
		assertThat(status("u2@example.com")).isEqualTo("active");
		assertThat(this.health.of(this.company.id(), ScriptedSource.KIND).problem()).isNull();
		JsonNode old = this.client.api(this.company, "GET", "/api/v1/sync-runs/" + failing.id()).json();
		assertThat(old.path("status").asString()).as("a replaced run is not tried again").isEqualTo("superseded");
	}

	@Test
	void syncWhenRetryingRunDiscardedThenNotTriedAgain() throws InterruptedException {
		this.source.scriptFailure(this.company.id(), everyone(3), 1);
		SyncRun failing = this.runs.start(this.company.id(), ScriptedSource.KIND, false, null, Map.of(), ADMIN);
		awaitAttempts(failing.id(), 1);

		this.runs.discard(this.company.id(), failing.id(), ADMIN);
		this.source.script(this.company.id(), everyone(3));
		Thread.sleep(2_500); // longer than the tests' longest back-off

		assertThat(this.runs.get(this.company.id(), failing.id()).status()).isEqualTo(RunStatus.DISCARDED);
		assertThat(scriptedPeople()).as("nothing of it applied").isZero();
		assertThat(this.runs.active(this.company.id(), ScriptedSource.KIND)).isEmpty();
	}

	@Test
	void dryRunWhenSourceFailsThenFailsForGoodAndIsNotRetried() {
		this.source.scriptFailure(this.company.id(), everyone(3), 1);

		JsonNode run = awaitStatus(start(null, true), "failed");

		assertThat(run.path("error").asString()).contains("503");
		assertThat(run.path("attempts").asInt()).isEqualTo(1);
		assertThat(this.runs.active(this.company.id(), ScriptedSource.KIND)).isEmpty();
	}

	@Test
	void syncWhenUnexpectedErrorKeepsComingThenFailsForGoodAfterFewAttemptsAndSaysSo() {
		this.source.scriptBug(this.company.id(), everyone(3));

		SyncRun run = this.runs.start(this.company.id(), ScriptedSource.KIND, false, null, Map.of(), ADMIN);
		JsonNode failed = this.syncs.await(this.company, run.id().toString(), Set.of("failed"), WITHIN);

		assertThat(failed.path("attempts").asInt()).isEqualTo(SyncEngine.UNEXPECTED_ATTEMPTS);
		assertThat(failed.path("error").asString()).contains("unexpected error").contains("tell the operator");
		SyncProblem problem = this.health.of(this.company.id(), ScriptedSource.KIND).problem();
		assertThat(problem.retried()).as("not retried any more").isFalse();
		assertThat(problem.nextAttemptAt()).isNull();
		assertThat(problem.message()).contains("unexpected error");
	}

	@Test
	void syncWhenABatchOfThePlanCannotBeWrittenThenNothingOfAPartialPlanIsAppliedAndTheNextRunAppliesItWhole() {
		// The plan is copied in by the thousand while the run's thread plans on: a batch refused (here its 2nd) must
		// fail the pass, not leave a plan without it to be applied.
		int people = 2_500;
		String refused = "u1500@example.com";
		JsonNode failed;
		try (RowTrigger trigger = RowTrigger.refusing(this.jdbc, "test_refused_plan_item", "insert", "sync_plan_item",
				"new.label = '%s'".formatted(refused), "this plan item is refused")) {
			failed = this.syncs.await(this.company, start(everyone(people), false), Set.of("failed"), WITHIN);
		}

		assertThat(failed.path("error").asString()).contains("unexpected error");
		assertThat(failed.path("attempts").asInt()).isEqualTo(SyncEngine.UNEXPECTED_ATTEMPTS);
		assertThat(people()).as("nothing applied from a plan missing a batch").isZero();

		JsonNode succeeded = awaitStatus(start(everyone(people), false), "succeeded");
		assertThat(succeeded.path("counts").path("create").asInt()).isEqualTo(people);
		assertThat(people()).isEqualTo(people);
		assertThat(this.jdbc.sql("select count(*) from sync_plan_item where run_id = :run")
			.param("run", UUID.fromString(succeeded.path("id").asString()))
			.query(Integer.class)
			.single()).as("each item once").isEqualTo(people + 1);
	}

	private int people() {
		return this.jdbc.sql("select count(*) from person where company_id = :company and email like 'u%@example.com'")
			.param("company", this.company.id())
			.query(Integer.class)
			.single();
	}

	@Test
	void syncWhenItFailsThenHistoryAndApiShowTheRetrying() {
		this.source.scriptFailure(this.company.id(), everyone(3), 1);
		SyncRun failing = this.runs.start(this.company.id(), ScriptedSource.KIND, false, null, Map.of(), ADMIN);
		awaitAttempts(failing.id(), 1);

		long audited = this.jdbc.sql("""
				select count(*) from audit_entry where company_id = :company and subject_id = :run
				""").param("company", this.company.id()).param("run", failing.id()).query(Long.class).single();
		assertThat(audited).as("the run's request is in the history").isGreaterThanOrEqualTo(1);
		assertThatThrownBy(() -> this.runs.start(this.company.id(), ScriptedSource.KIND, false, null,
				Map.of(SyncRun.MODE, SyncRun.INCREMENTAL), ADMIN))
			.as("an incremental run waits behind it")
			.hasMessageContaining("waiting to be tried again");
		this.runs.discard(this.company.id(), failing.id(), ADMIN);
	}

	/**
	 * The database gone at the moment a run records its own failure (ChaosIT met it when PostgreSQL restarted
	 * mid-apply): that record fails too, the run stays as it was, and its job throws. db-scheduler's failure handler
	 * then decides when it runs again: within seconds, not five minutes, and the change arrives. A trigger stands in for
	 * the restart, refusing that one update as PostgreSQL refuses statements while it shuts down (SQLSTATE 57P01).
	 */
	@Test
	void syncWhenTheDatabaseRefusesTheRunsFailureRecordThenItsJobRunsAgainWithinSecondsAndTheChangeArrives() {
		List<SourceRecord> everyone = everyone(3);
		this.source.scriptFailure(this.company.id(), everyone, 1);
		this.jdbc.sql("""
				create function refuse_run_failure_record() returns trigger language plpgsql as $$
				begin
				  if new.status = 'retrying' and new.company_id = '%s' then
				    raise exception 'terminating connection due to administrator command' using errcode = '57P01';
				  end if;
				  return new;
				end $$""".formatted(this.company.id())).update();
		this.jdbc.sql("create trigger refuse_run_failure_record before update on sync_run for each row "
				+ "execute function refuse_run_failure_record()")
			.update();
		SyncRun failing;
		try {
			failing = this.runs.start(this.company.id(), ScriptedSource.KIND, false, null, Map.of(), ADMIN);
			io.rollcall.support.Eventually.await(WITHIN, () -> jobFailures(failing.id()) >= 1);
		}
		finally {
			this.jdbc.sql("drop trigger refuse_run_failure_record on sync_run").update();
			this.jdbc.sql("drop function refuse_run_failure_record()").update();
		}
		assertThat(this.runs.get(this.company.id(), failing.id()).status())
			.as("its failure was never recorded: the run is as the database last had it")
			.isIn(RunStatus.QUEUED, RunStatus.PLANNING);

		this.source.script(this.company.id(), everyone); // the provider recovers with the database

		JsonNode recovered = this.syncs.await(this.company, failing.id().toString(), Set.of("succeeded"),
				Duration.ofSeconds(20));
		assertThat(recovered.path("status").asString()).isEqualTo("succeeded");
		assertThat(status("u2@example.com")).isEqualTo("active");
	}

	/** How many times in a row the run's db-scheduler job has failed (thrown), 0 when it has none. */
	private int jobFailures(UUID runId) {
		return this.jdbc.sql("select coalesce(max(consecutive_failures), 0) from scheduled_tasks "
				+ "where task_name = 'sync-run' and task_instance = :run")
			.param("run", runId.toString())
			.query(Integer.class)
			.single();
	}

	private JsonNode awaitAttempts(UUID runId, int attempts) {
		return this.syncs.awaitRetrying(this.company, runId.toString(), attempts, WITHIN);
	}

	private JsonNode awaitStatus(String runId, String status) {
		return this.syncs.await(this.company, runId, Set.of(status), WITHIN);
	}

	private String start(List<SourceRecord> records, boolean dryRun) {
		if (records != null) {
			this.source.script(this.company.id(), records);
		}
		return this.runs.start(this.company.id(), ScriptedSource.KIND, dryRun, null, Map.of(), ADMIN).id().toString();
	}

	private List<SourceRecord> everyone(int count) {
		List<SourceRecord> records = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			records.add(person("id-" + i, "u" + i + "@example.com", "First" + i, "Last" + i, "Sales", null));
		}
		return records;
	}

	private JsonNode personByEmail(String email) {
		return this.client.personByEmail(this.company, email);
	}

	private String firstName(String email) {
		return personByEmail(email).path("firstName").asString();
	}

	private String status(String email) {
		return personByEmail(email).path("status").asString();
	}

	private long scriptedPeople() {
		return this.jdbc.sql("select count(*) from person where company_id = :company and email like 'u%@example.com'")
			.param("company", this.company.id())
			.query(Long.class)
			.single();
	}

}
