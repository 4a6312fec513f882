package io.rollcall.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
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
		this.task = Tasks.oneTime("sync-run")
			.execute((instance, context) -> engine.getObject().execute(UUID.fromString(instance.getId())));
		this.scheduler = new RestartableScheduler(this::newScheduler);
	}

	private Scheduler newScheduler() {
		return Scheduler.create(this.dataSource, this.task)
			.threads(2)
			.pollingInterval(Duration.ofMillis(500))
			// A node killed mid-run is noticed after about 6 missed heartbeats, and its run resumed elsewhere.
			.heartbeatInterval(Duration.ofSeconds(2))
			.enableImmediateExecution()
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
		this.scheduler.current().scheduleIfNotExists(this.task.instance(runId.toString()), Instant.now());
	}

	/** Also queues runs that were started but whose job was never queued (the node died right after the commit). */
	@Override
	public void start() {
		if (!this.scheduler.start()) {
			return;
		}
		this.jdbc.sql("select id from sync_run where status in ('queued', 'planning', 'applying')")
			.query(UUID.class)
			.list()
			.forEach(this::queue);
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
