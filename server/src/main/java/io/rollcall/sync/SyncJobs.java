package io.rollcall.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.DeadExecutionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Priority;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.rollcall.platform.JobScheduler;
import io.rollcall.platform.Jobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.stereotype.Component;

/**
 * Runs are db-scheduler jobs in PostgreSQL ({@link JobScheduler}): they survive a restart (a run whose node died is
 * picked up again once its heartbeat is stale) and spread over nodes. The job itself is {@link SyncEngine#execute}.
 */
@Component
class SyncJobs implements Jobs, SmartLifecycle {

	/**
	 * Above every other task (db-scheduler gives a recurring task {@link Priority#HIGH}): a run started by a change is
	 * what someone waits for, the others can wait for a thread. V24 gives a run queued before it the same.
	 */
	static final int PRIORITY = Priority.HIGH + 10;

	/**
	 * Full runs hold at most this many of a node's threads at once, so a run started by a change (a person left the
	 * group; someone waits for it within seconds) always finds one free, however many companies resync at once (the
	 * day after a provider's outage). A full run can hold its thread for minutes.
	 */
	static final int FULL_RUN_THREADS = JobScheduler.THREADS - 1;

	/** A full run that finds no thread of its lane free is handed back, due again after this (any node may take it). */
	static final Duration FULL_RUN_WAIT = Duration.ofSeconds(2);

	/**
	 * A run whose lock another node holds (it has the run, though db-scheduler gave its job to this node too) is handed
	 * back, due again after this: by then it has ended, or the job is still there should that node have died.
	 */
	static final Duration LOCKED_WAIT = Duration.ofSeconds(5);

	/**
	 * The sweep leaves alone a run younger than this: its own node is queuing its job (right after the commit), and
	 * it would only be reported as lost.
	 */
	static final Duration SETTLED = Duration.ofSeconds(10);

	private static final Logger log = LoggerFactory.getLogger(SyncJobs.class);

	private final Semaphore fullRuns = new Semaphore(FULL_RUN_THREADS);

	private final OneTimeTask<Void> task;

	private final RecurringTask<Void> sweep;

	private final JdbcClient jdbc;

	private final JobScheduler scheduler;

	private volatile boolean running;

	SyncJobs(JdbcClient jdbc, DataSource dataSource, JobScheduler scheduler, ObjectProvider<SyncEngine> engine,
			ObjectProvider<SyncRuns> runs, @Value("${rollcall.sync.run-sweep:1m}") Duration sweepEvery) {
		this.jdbc = jdbc;
		this.scheduler = scheduler;
		// A run is committed first and its job queued after: a node that dies in between, or a database that is gone
		// for that one statement, leaves a run no job carries, which would also keep its source's next runs out.
		// Start-up queues them again (start()), but a lost node may never start again: one node looks every minute.
		this.sweep = Tasks.recurring("sync-run-sweep", FixedDelay.of(sweepEvery))
			.execute((instance, context) -> requeueUnscheduled(SETTLED));
		this.task = new OneTimeTask<>("sync-run", Void.class,
				new RetrySoonAfterDatabaseLoss(),
				new DeadExecutionHandler.ReviveDeadExecution<>(), PRIORITY) {

			// A run that failed comes back at the time the engine names: the same job, rescheduled, so that the retry
			// is as durable as the run (a node that dies in between leaves it to another).
			@Override
			public CompletionHandler<Void> execute(TaskInstance<Void> instance, ExecutionContext context) {
				UUID runId = UUID.fromString(instance.getId());
				boolean full = runs.getObject().find(runId).map(run -> !run.incremental()).orElse(false);
				if (full && !SyncJobs.this.fullRuns.tryAcquire()) {
					Instant later = scheduler.now().plus(FULL_RUN_WAIT);
					return (complete, operations) -> operations.reschedule(complete, later);
				}
				try {
					Optional<RunLock> lock = RunLock.tryTake(dataSource, runId);
					if (lock.isEmpty()) {
						Instant later = scheduler.now().plus(LOCKED_WAIT);
						log.warn(
								"Sync run {} is being carried by another node (it holds the run's lock), though its job "
										+ "came here too: left to that node, looked at again at {}",
								runId, later);
						return (complete, operations) -> operations.reschedule(complete, later);
					}
					try (RunLock held = lock.get()) {
						Instant retryAt = engine.getObject().execute(runId);
						return retryAt == null ? new CompletionHandler.OnCompleteRemove<>()
								: (complete, operations) -> operations.reschedule(complete, retryAt);
					}
				}
				finally {
					if (full) {
						SyncJobs.this.fullRuns.release();
					}
				}
			}

			@Override
			public void executeOnce(TaskInstance<Void> instance, ExecutionContext context) {
				throw new UnsupportedOperationException("execute() runs the engine");
			}

		};
	}

	/**
	 * What befalls a run's job that throws. The engine records every failure of its own as the run's retry and
	 * returns; a job throws only where that record could not be written either: the database went away under the run
	 * (a restart, a failover, a lost connection) and the run is left as it was, applying or planning, with no retry
	 * time. It is tried again within seconds, backing off while the database stays away, and resumes where it
	 * stopped: waiting minutes would hold back the changes it carries (and its source's next runs) long after the
	 * database is back. Anything else is a fault of Rollcall's own, looked at again after five minutes.
	 */
	static final class RetrySoonAfterDatabaseLoss implements FailureHandler<Void> {

		/** The first wait after the database went away; doubled with every failure in a row. */
		static final Duration FIRST_WAIT = Duration.ofSeconds(2);

		/** The longest wait while the database stays away. */
		static final Duration LONGEST_WAIT = Duration.ofMinutes(1);

		/** The wait after a failure that is not the database's. */
		static final Duration FAULT_WAIT = Duration.ofMinutes(5);

		@Override
		public void onFailure(ExecutionComplete complete, ExecutionOperations<Void> operations) {
			Instant next = complete.getTimeDone()
				.plus(waitAfter(complete.getCause().orElse(null),
						complete.getExecution().consecutiveFailures));
			log.warn("Sync run {}: its job failed ({}); it runs again at {}", complete.getExecution().getId(),
					complete.getCause().map(Throwable::toString).orElse("no cause"), next);
			operations.reschedule(complete, next);
		}

		/** @param failuresBefore the job's failures in a row before this one */
		static Duration waitAfter(Throwable cause, int failuresBefore) {
			if (cause == null || !SyncEngine.databaseUnavailable(cause)) {
				return FAULT_WAIT;
			}
			Duration wait = FIRST_WAIT.multipliedBy(1L << Math.min(failuresBefore, 10));
			return wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
		}

	}

	@Override
	public List<Task<?>> tasks() {
		return List.of(this.task, this.sweep);
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
		queue(runId, this.scheduler.now());
	}

	/** @return whether a job was queued: false when one was there already */
	private boolean queue(UUID runId, Instant at) {
		return this.scheduler.scheduleIfNotExists(this.task.instance(runId.toString()), at);
	}

	/**
	 * Also queues runs that were started but whose job was never queued (the node died right after the commit), and
	 * runs waiting to retry whose job is missing. The sweep does the same every minute, for a node that never starts
	 * again.
	 */
	@Override
	public void start() {
		this.running = true;
		requeueUnscheduled(Duration.ZERO);
	}

	/**
	 * Queues the job of every run that is not over, has none and was created before {@code settled} ago (see
	 * {@link #sweep}); how many. A job queued meanwhile by its own node is left as it is ({@code scheduleIfNotExists}).
	 */
	int requeueUnscheduled(Duration settled) {
		List<Map.Entry<UUID, Instant>> active = this.jdbc.sql("""
				select id, coalesce(next_attempt_at, now()) from sync_run
				where status in ('queued', 'planning', 'applying', 'retrying')
				  and created_at < now() - make_interval(secs => :settled)
				""")
			.param("settled", settled.toMillis() / 1000.0)
			.query((rs, n) -> Map.entry(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant()))
			.list();
		int orphans = 0;
		for (Map.Entry<UUID, Instant> run : active) {
			// The job table is the scheduler's (platform): it says whether this queued a job that was not there.
			if (queue(run.getKey(), run.getValue())) {
				orphans++;
				log.warn("Sync run {} was not over but had no job (its node stopped, or the database was gone, right "
						+ "after it was queued): queued again", run.getKey());
			}
		}
		return orphans;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
