package io.rollcall.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import io.rollcall.platform.RestartableScheduler;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.stereotype.Component;

/**
 * Runs are db-scheduler jobs in PostgreSQL: they survive a restart (a run whose node died is picked up again once
 * its heartbeat is stale) and spread over nodes. The job itself is {@link SyncEngine#execute}.
 */
@Component
class SyncJobs implements SmartLifecycle {

	private final OneTimeTask<Void> task;

	private final DataSource dataSource;

	private final JdbcClient jdbc;

	private final RestartableScheduler scheduler;

	SyncJobs(DataSource dataSource, JdbcClient jdbc, ObjectProvider<SyncEngine> engine) {
		this.dataSource = dataSource;
		this.jdbc = jdbc;
		this.task = new OneTimeTask<>("sync-run", Void.class) {

			// A run that failed comes back at the time the engine names: the same job, rescheduled, so that the retry
			// is as durable as the run (a node that dies in between leaves it to another).
			@Override
			public CompletionHandler<Void> execute(TaskInstance<Void> instance, ExecutionContext context) {
				Instant retryAt = engine.getObject().execute(UUID.fromString(instance.getId()));
				return retryAt == null ? new CompletionHandler.OnCompleteRemove<>()
						: (complete, operations) -> operations.reschedule(complete, retryAt);
			}

			@Override
			public void executeOnce(TaskInstance<Void> instance, ExecutionContext context) {
				throw new UnsupportedOperationException("execute() runs the engine");
			}

		};
		this.scheduler = new RestartableScheduler(this::newScheduler);
	}

	private Scheduler newScheduler() {
		return Scheduler.create(this.dataSource, this.task)
			.threads(2)
			.pollingInterval(Duration.ofMillis(500))
			// A node killed mid-run is noticed after about 6 missed heartbeats, and its run resumed elsewhere.
			.heartbeatInterval(Duration.ofSeconds(2))
			.enableImmediateExecution()
			// A node that stops waits this long for its runs; one still going is left to resume (here after a restart,
			// or on another node once its heartbeat is stale), as a run of a node that died would be.
			.shutdownMaxWait(Duration.ofSeconds(10))
			.build();
	}

	/**
	 * Queues the run's job (again); a job already queued for it is left as it is. Inside a transaction the job is
	 * queued once it commits, so that it never looks for a run that is not there yet.
	 */
	void schedule(UUID runId) {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					queue(runId);
				}
			});
		}
		else {
			queue(runId);
		}
	}

	private void queue(UUID runId) {
		queue(runId, Instant.now());
	}

	private void queue(UUID runId, Instant at) {
		this.scheduler.current().scheduleIfNotExists(this.task.instance(runId.toString()), at);
	}

	/**
	 * Also queues runs that were started but whose job was never queued (the node died right after the commit), and
	 * runs waiting to retry whose job is missing.
	 */
	@Override
	public void start() {
		if (!this.scheduler.start()) {
			return;
		}
		this.jdbc.sql("""
				select id, coalesce(next_attempt_at, now()) from sync_run
				where status in ('queued', 'planning', 'applying', 'retrying')
				""")
			.query((rs, n) -> Map.entry(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant()))
			.list()
			.forEach(run -> queue(run.getKey(), run.getValue()));
	}

	@Override
	public void stop() {
		this.scheduler.stop();
	}

	@Override
	public boolean isRunning() {
		return this.scheduler.isRunning();
	}

}
