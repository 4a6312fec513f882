package io.rollcall.csv;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.rollcall.support.DirectorySeed;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.Syncs;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A CSV import at the size Rollcall is sold for: 100,000 people, of whom the file lacks 30 %. The company's people are
 * seeded straight into the database (their import is not what is tested); the run is the real one, through the API.
 */
class CsvImportAtScaleTests extends IntegrationTest {

	private static final int PEOPLE = 100_000;

	private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

	@Autowired
	JdbcClient jdbc;

	/** A company of 100,000 seeded people, and the held run of a file lacking 30 % of them. */
	private record HeldRun(TestCompany company, Syncs syncs, String runId, Set<String> leaving, String seededAt) {
	}

	private HeldRun holdThirtyPercentOf100000() {
		TestCompany company = this.client.createCompany();
		Syncs syncs = new Syncs(this.client, this.port);
		List<DirectorySeed.Seeded> people = new ArrayList<>();
		Set<String> leaving = new HashSet<>();
		StringBuilder csv = new StringBuilder("email,first name\n");
		for (int i = 0; i < PEOPLE; i++) {
			String email = "p" + i + "@" + company.slug() + ".example";
			people.add(new DirectorySeed.Seeded(email, email, "First" + i));
			if (i % 10 < 3) {
				leaving.add(email);
			}
			else {
				csv.append(email).append(",First").append(i).append('\n');
			}
		}
		DirectorySeed.people(this.jdbc, company.id(), "csv", people);
		String seededAt = this.jdbc.sql("select clock_timestamp()::text").query(String.class).single();

		Response upload = syncs.upload(company, csv.toString());
		assertThat(upload.status()).as(upload.body()).isEqualTo(201);
		Response started = this.client.api(company, "POST", "/api/v1/integrations/csv/sync-runs",
				Map.of("uploadId", upload.json().path("id").asString(), "deactivateMissing", true));
		assertThat(started.status()).as(started.body()).isEqualTo(202);
		String runId = started.json().path("id").asString();
		JsonNode held = syncs.await(company, runId, RUN_TIMEOUT);

		assertThat(held.path("status").asString()).as(held.toString()).isEqualTo("held");
		assertThat(held.path("holdReason").asString()).contains("30000 of 100001");
		assertThat(held.path("counts").path("deactivate").asInt()).isEqualTo(30_000);
		assertThat(held.path("counts").path("unchanged").asInt()).isEqualTo(70_000);
		for (String kind : List.of("create", "update", "link", "reactivate", "manager", "team", "invite", "error")) {
			assertThat(held.path("counts").path(kind).asInt()).as(kind).isZero();
		}
		assertThat(held.path("total").asInt()).isEqualTo(30_000);
		assertThat(deactivatedEmails(company)).as("nobody deactivated while held").isEmpty();
		return new HeldRun(company, syncs, runId, leaving, seededAt);
	}

	@Test
	void importWhenThirtyPercentOf100000MissingThenHeldAndWhenApprovedExactlyThoseDeactivated() {
		HeldRun run = holdThirtyPercentOf100000();
		TestCompany company = run.company();
		Syncs syncs = run.syncs();
		String runId = run.runId();
		Set<String> leaving = run.leaving();
		String seededAt = run.seededAt();

		Response approval = this.client.api(company, "POST", "/api/v1/sync-runs/" + runId + "/approval",
				Map.of("decision", "approve"));
		assertThat(approval.status()).as(approval.body()).isEqualTo(200);
		JsonNode applied = syncs.await(company, runId, RUN_TIMEOUT);

		assertThat(applied.path("status").asString()).as(applied.toString()).isEqualTo("succeeded");
		assertThat(applied.path("done").asInt()).isEqualTo(30_000);
		assertThat(applied.path("counts").path("failed").asInt()).isZero();
		assertThat(deactivatedEmails(company)).isEqualTo(leaving);
		Integer touched = this.jdbc.sql("""
				select count(*) from person where company_id = :company and status = 'active'
				  and updated_at > cast(:seededAt as timestamptz)
				""").param("company", company.id()).param("seededAt", seededAt).query(Integer.class).single();
		assertThat(touched).as("active people changed by the run").isZero();
		Integer active = this.jdbc.sql("select count(*) from person where company_id = :company and status = 'active'")
			.param("company", company.id())
			.query(Integer.class)
			.single();
		assertThat(active).isEqualTo(70_001);
		assertThat(countsBy(
				"select action, count(*) from audit_entry where company_id = :company and actor_id = :run group by action",
				company.id(), runId))
			.isEqualTo(Map.of("deactivated", 30_000));
		assertThat(countsBy(
				"select type, count(*) from domain_event where company_id = :company and run_id = cast(:run as uuid) group by type",
				company.id(), runId))
			.isEqualTo(Map.of("person.deactivated", 30_000, "sync_run.held", 1, "sync_run.succeeded", 1));
		assertThat(countsBy(
				"""
						select kind || case when applied and apply_error is null then ' applied' else ' not applied' end, count(*)
						from sync_plan_item where run_id = cast(:run as uuid) group by 1
						""",
				company.id(), runId))
			.isEqualTo(Map.of("deactivate applied", 30_000));
	}

	/**
	 * The database refuses the approved run's writes once 12,000 of the 30,000 deactivations are applied (as when it
	 * goes away mid-run): the run waits to retry, and when the database takes writes again it goes on from where it
	 * stopped, without asking for approval again, and applies each deactivation exactly once.
	 */
	@Test
	void importWhenDatabaseRefusesWritesMidApplyThenRetriedFromWhereItStoppedAndEachDeactivationAppliedOnce() {
		HeldRun run = holdThirtyPercentOf100000();
		this.jdbc.sql("create table if not exists test_apply_fault (run_id uuid primary key)").update();
		this.jdbc.sql("""
				create or replace function test_apply_fault() returns trigger language plpgsql as $$
				begin
				  if exists (select 1 from test_apply_fault f join sync_run r on r.id = f.run_id
				             where f.run_id = new.run_id and r.done >= 12000) then
				    raise exception 'injected by the test: the database is going away' using errcode = '08006';
				  end if;
				  return new;
				end $$
				""").update();
		this.jdbc.sql("""
				create or replace trigger test_apply_fault before update on sync_plan_item
				for each row execute function test_apply_fault()
				""").update();
		try {
			this.jdbc.sql("insert into test_apply_fault values (cast(:run as uuid))")
				.param("run", run.runId())
				.update();
			Response approval = this.client.api(run.company(), "POST", "/api/v1/sync-runs/" + run.runId() + "/approval",
					Map.of("decision", "approve"));
			assertThat(approval.status()).as(approval.body()).isEqualTo(200);

			JsonNode failing = run.syncs().awaitRetrying(run.company(), run.runId(), 2, RUN_TIMEOUT);
			int done = failing.path("done").asInt();
			assertThat(done).as("stopped midway").isBetween(12_000, 29_999);
			assertThat(deactivatedEmails(run.company())).as("what was applied, and nothing more").hasSize(done);
			assertThat(failing.path("error").asString()).contains("database could not be reached");

			this.jdbc.sql("delete from test_apply_fault where run_id = cast(:run as uuid)")
				.param("run", run.runId())
				.update();
		}
		finally {
			this.jdbc.sql("drop trigger if exists test_apply_fault on sync_plan_item").update();
		}
		JsonNode applied = run.syncs()
			.await(run.company(), run.runId(), Set.of("succeeded", "failed", "held"), RUN_TIMEOUT);

		assertThat(applied.path("status").asString()).as(applied.toString()).isEqualTo("succeeded");
		assertThat(applied.path("done").asInt()).isEqualTo(30_000);
		assertThat(deactivatedEmails(run.company())).isEqualTo(run.leaving());
		assertThat(countsBy(
				"select action, count(*) from audit_entry where company_id = :company and actor_id = :run group by action",
				run.company().id(), run.runId()))
			.isEqualTo(Map.of("deactivated", 30_000));
		assertThat(countsBy(
				"select type, count(*) from domain_event where company_id = :company and run_id = cast(:run as uuid) group by type",
				run.company().id(), run.runId()))
			.as("a failed attempt that is retried is no event; the hold and the success are")
			.isEqualTo(Map.of("person.deactivated", 30_000, "sync_run.held", 1, "sync_run.succeeded", 1));
		assertThat(countsBy(
				"""
						select kind || case when applied and apply_error is null then ' applied' else ' not applied' end, count(*)
						from sync_plan_item where run_id = cast(:run as uuid) group by 1
						""",
				run.company().id(), run.runId()))
			.isEqualTo(Map.of("deactivate applied", 30_000));
	}

	private Set<String> deactivatedEmails(TestCompany company) {
		return new HashSet<>(
				this.jdbc.sql("select email from person where company_id = :company and status = 'deactivated'")
					.param("company", company.id())
					.query(String.class)
					.list());
	}

	private Map<String, Integer> countsBy(String sql, UUID companyId, String runId) {
		Map<String, Integer> counts = new HashMap<>();
		this.jdbc.sql(sql).param("company", companyId).param("run", runId).query(rs -> {
			counts.put(rs.getString(1), rs.getInt(2));
		});
		return counts;
	}

}
