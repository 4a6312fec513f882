package io.rollcall.sync;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import io.rollcall.support.Eventually;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.ScriptedSource;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.rollcall.support.ScriptedSource.person;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run is committed, then its job queued: a node that stops in between (or a database gone for that one statement)
 * leaves a run no job carries, which also keeps its source's next runs out. The sweep queues it again.
 */
class SyncRunSweepTests extends IntegrationTest {

	@Autowired
	ScriptedSource source;

	@Autowired
	SyncRuns runs;

	@Autowired
	SyncJobs jobs;

	@Autowired
	JdbcClient jdbc;

	@Test
	void sweepWhenARunWasCommittedButItsJobNeverQueuedThenItIsQueuedAndApplied() {
		TestCompany company = this.client.createCompany();
		this.source.script(company.id(),
				List.of(person("orphan-1", "orphan@example.com", "Or", "Phan", "Research", null)));
		// As SyncRuns.start leaves it when its node stops right after the commit: the run, and no job.
		UUID run = insertQueuedRun(company.id(), Duration.ofMinutes(1));
		assertThat(jobOf(run)).isZero();

		int queued = this.jobs.requeueUnscheduled(SyncJobs.SETTLED);

		assertThat(queued).isEqualTo(1);
		Eventually.await(Duration.ofSeconds(30),
				() -> this.runs.get(company.id(), run).status() == RunStatus.SUCCEEDED);
		assertThat(this.jdbc.sql("select email from person where company_id = :c and status = 'active'")
			.param("c", company.id())
			.query(String.class)
			.list()).contains("orphan@example.com");
	}

	@Test
	void sweepWhenARunIsYoungerThanSettledOrHasItsJobThenLeftAlone() {
		TestCompany company = this.client.createCompany();
		// Just committed: its own node is queuing the job.
		UUID young = insertQueuedRun(company.id(), Duration.ZERO);

		assertThat(this.jobs.requeueUnscheduled(SyncJobs.SETTLED)).isZero();
		assertThat(jobOf(young)).isZero();

		// With its job: nothing to do, however old.
		this.jdbc.sql("update sync_run set created_at = now() - interval '1 minute' where id = :id")
			.param("id", young)
			.update();
		this.source.script(company.id(), List.of(person("kept-1", "kept@example.com", "Ke", "Pt", "Sales", null)));
		assertThat(this.jobs.requeueUnscheduled(SyncJobs.SETTLED)).isEqualTo(1);
		assertThat(this.jobs.requeueUnscheduled(SyncJobs.SETTLED)).isZero();
		Eventually.await(Duration.ofSeconds(30),
				() -> this.runs.get(company.id(), young).status() == RunStatus.SUCCEEDED);
	}

	@Test
	void tasksWhenListedThenTheSweepIsARecurringTaskOfTheScheduler() {
		assertThat(this.jobs.tasks()).anySatisfy(task -> {
			assertThat(task).isInstanceOf(RecurringTask.class);
			assertThat(task.getName()).isEqualTo("sync-run-sweep");
		});
	}

	private UUID insertQueuedRun(UUID companyId, Duration age) {
		UUID id = UUID.randomUUID();
		this.jdbc.sql("""
				insert into sync_run (id, company_id, source, dry_run, status, requested_by, created_at)
				values (:id, :company, :source, false, 'queued', 'test', now() - make_interval(secs => :age))
				""")
			.param("id", id)
			.param("company", companyId)
			.param("source", ScriptedSource.KIND)
			.param("age", (double) age.toSeconds())
			.update();
		return id;
	}

	private long jobOf(UUID run) {
		return this.jdbc
			.sql("select count(*) from scheduled_tasks where task_name = 'sync-run' and task_instance = :id")
			.param("id", run.toString())
			.query(Long.class)
			.single();
	}

}
