package io.rollcall.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import io.rollcall.platform.Actor;
import io.rollcall.platform.JobScheduler;
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
 * Many companies resyncing at once (the day after a provider's outage) do not starve a change another company waits
 * for: full runs hold at most all but one of a node's scheduler threads, so a run started by a change starts at once.
 */
class SyncFairnessTests extends IntegrationTest {

	private static final Actor ADMIN = new Actor(Actor.Type.PERSON, null, "admin@example.com");

	/** The usual time from a provider's change to the directory is under a second; this leaves room for a slow CI. */
	private static final Duration CHANGE_WITHIN = Duration.ofSeconds(5);

	@Autowired
	ScriptedSource source;

	@Autowired
	SyncRuns runs;

	@Autowired
	JdbcClient jdbc;

	@Test
	void changeWhenAsManyFullRunsAsThreadsAreRunningThenItsRunIsAppliedWithinSeconds() {
		CountDownLatch release = new CountDownLatch(1);
		List<TestCompany> resyncing = new ArrayList<>();
		List<UUID> fullRuns = new ArrayList<>();
		try {
			// As many long full reads as a node has threads: without a lane for changes, every thread is taken.
			for (int i = 0; i < JobScheduler.THREADS; i++) {
				TestCompany company = this.client.createCompany();
				this.source.scriptHeld(company.id(),
						List.of(person("full-" + i, "full" + i + "@example.com", "Full", "Run" + i, "Sales", null)),
						release);
				fullRuns.add(this.runs.start(company.id(), ScriptedSource.KIND, false, null, Map.of(), ADMIN).id());
				resyncing.add(company);
			}
			Eventually.await(Duration.ofSeconds(30), () -> reading(resyncing) == SyncJobs.FULL_RUN_THREADS);

			TestCompany changed = this.client.createCompany();
			this.source.script(changed.id(),
					List.of(person("changed-1", "newcomer@example.com", "New", "Comer", "Research", null)));
			long started = System.nanoTime();
			SyncRun change = this.runs.start(changed.id(), ScriptedSource.KIND, false, null,
					Map.of(SyncRun.MODE, SyncRun.INCREMENTAL), ADMIN);
			Eventually.await(CHANGE_WITHIN,
					() -> this.runs.get(changed.id(), change.id()).status() == RunStatus.SUCCEEDED);
			long millis = (System.nanoTime() - started) / 1_000_000;
			System.out.printf("a change's run applied %d ms after it was started, with %d full runs going%n", millis,
					reading(resyncing));

			assertThat(activeEmails(changed.id())).contains("newcomer@example.com");
			assertThat(reading(resyncing)).as("the full runs were still reading: the change did not wait for them")
				.isEqualTo(SyncJobs.FULL_RUN_THREADS);
			assertThat(fullRuns.stream().map(this::status))
				.as("the full run beyond the lane waits its turn, queued")
				.contains(RunStatus.QUEUED);
		}
		finally {
			release.countDown();
		}
		for (int i = 0; i < fullRuns.size(); i++) {
			TestCompany company = resyncing.get(i);
			UUID id = fullRuns.get(i);
			Eventually.await(Duration.ofSeconds(60),
					() -> this.runs.get(company.id(), id).status() == RunStatus.SUCCEEDED);
			assertThat(activeEmails(company.id())).contains("full" + i + "@example.com");
		}
	}

	private long reading(List<TestCompany> companies) {
		return companies.stream().filter(company -> this.source.reading(company.id())).count();
	}

	private RunStatus status(UUID runId) {
		return this.runs.find(runId).orElseThrow().status();
	}

	private List<String> activeEmails(UUID companyId) {
		return this.jdbc.sql("select email from person where company_id = :c and status = 'active'")
			.param("c", companyId)
			.query(String.class)
			.list();
	}

}
