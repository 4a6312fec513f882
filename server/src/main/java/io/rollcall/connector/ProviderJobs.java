package io.rollcall.connector;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import io.rollcall.platform.RestartableScheduler;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A provider's recurring work (its daily sync, upkeep), as db-scheduler tasks in PostgreSQL so that one node runs
 * each at a time; started and stopped with the application. A provider lists its {@link #tasks()}.
 */
public abstract class ProviderJobs implements SmartLifecycle {

	private final DataSource dataSource;

	private final JdbcClient jdbc;

	private final String table;

	private final Duration pollingInterval;

	private final String retiredTask;

	/** Made at the first start: a subclass has its tasks only once its constructor has run. */
	private volatile RestartableScheduler scheduler;

	/**
	 * @param table the provider's db-scheduler table
	 * @param pollingInterval how soon a task that came due is run
	 * @param retiredTask a task that was scheduled here before; its row would otherwise be reported as unknown
	 */
	protected ProviderJobs(DataSource dataSource, JdbcClient jdbc, String table, Duration pollingInterval,
			String retiredTask) {
		this.dataSource = dataSource;
		this.jdbc = jdbc;
		this.table = table;
		this.pollingInterval = pollingInterval;
		this.retiredTask = retiredTask;
	}

	/** The tasks, asked for when the scheduler is made. */
	protected abstract List<RecurringTask<Void>> tasks();

	private Scheduler newScheduler() {
		return Scheduler.create(this.dataSource)
			.tableName(this.table)
			.startTasks(tasks())
			// A long task (a photo pass) may hold a thread for its whole turn; the others share the second.
			.threads(2)
			.pollingInterval(this.pollingInterval)
			.heartbeatInterval(Duration.ofSeconds(2))
			// A stopping node does not wait for a long pass (photos, a daily round): what it left is picked up again.
			.shutdownMaxWait(Duration.ofSeconds(10))
			.build();
	}

	@Override
	public synchronized void start() {
		this.jdbc.sql("delete from " + this.table + " where task_name = :task").param("task", this.retiredTask).update();
		if (this.scheduler == null) {
			this.scheduler = new RestartableScheduler(this::newScheduler);
		}
		this.scheduler.start();
	}

	@Override
	public synchronized void stop() {
		if (this.scheduler != null) {
			this.scheduler.stop();
		}
	}

	@Override
	public boolean isRunning() {
		RestartableScheduler current = this.scheduler;
		return current != null && current.isRunning();
	}

}
