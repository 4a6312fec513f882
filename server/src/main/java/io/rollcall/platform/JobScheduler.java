package io.rollcall.platform;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.OnStartup;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

/**
 * The application's one db-scheduler: every module's {@link Jobs} in one table ({@code scheduled_tasks}), polled by
 * one poller and run by one pool. db-scheduler lets one node at a time pick an execution, so nodes share the table,
 * and an execution whose node died (its heartbeat stale) is run again by another.
 */
@Component
public final class JobScheduler implements SmartLifecycle {

	/**
	 * Executions one node runs at once. A sync run or a photo pass may hold one for minutes, the rest are short; a sync
	 * run, first by priority, waits only when four are running.
	 */
	public static final int THREADS = 4;

	/**
	 * How soon a due execution is seen when nothing woke the poller: the photo pass comes due every second. A sync run
	 * queued on this node wakes it at once.
	 */
	static final Duration POLLING_INTERVAL = Duration.ofMillis(100);

	private final RestartableScheduler scheduler;

	private final ClockCheck clock;

	/**
	 * The modules' jobs are asked for when the scheduler is first needed: a module that queues work needs it too. While
	 * {@code clock} finds this node's clock out of tolerance the scheduler picks nothing.
	 */
	JobScheduler(DataSource dataSource, ObjectProvider<Jobs> jobs, ClockCheck clock) {
		Assert.notNull(dataSource, "dataSource cannot be null");
		Assert.notNull(jobs, "jobs cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
		this.scheduler = new RestartableScheduler(() -> build(dataSource, jobs.orderedStream().toList(), clock));
		this.scheduler.hold(true); // until the clock is first found within its tolerance
		clock.whenTrustChanges(trusted -> this.scheduler.hold(!trusted));
	}

	private static Scheduler build(DataSource dataSource, List<Jobs> jobs, ClockCheck clock) {
		List<Task<?>> tasks = jobs.stream().flatMap(module -> module.tasks().stream()).toList();
		Set<String> names = new HashSet<>();
		for (Task<?> task : tasks) {
			Assert.state(names.add(task.getName()), () -> "two tasks are named " + task.getName());
		}
		List<RecurringTask<?>> recurring = tasks.stream()
			.filter(OnStartup.class::isInstance)
			.<RecurringTask<?>>map(RecurringTask.class::cast)
			.toList();
		return Scheduler.create(dataSource, tasks.stream().filter(task -> !(task instanceof OnStartup)).toList())
			.tableName("scheduled_tasks")
			// The default is the host name alone: two nodes on one host would be one name in picked_by.
			.schedulerName(new SchedulerName.Fixed(nodeName()))
			.startTasks(recurring)
			.threads(THREADS)
			.enablePriority()
			.pollingInterval(POLLING_INTERVAL)
			// A node killed mid-task is noticed after about 6 missed heartbeats, and its task run again elsewhere.
			.heartbeatInterval(Duration.ofSeconds(2))
			.enableImmediateExecution()
			// Heartbeats are written, and other nodes' judged, by PostgreSQL's time as this node estimates it: a wall
			// clock stepped minutes away then neither takes live executions for dead nor makes its own look dead.
			.clock(clock::databaseNow)
			// A stopping node waits this long for what it runs; a task still going (a sync run, a photo pass) is left to
			// be picked up again, here after a restart or on another node once its heartbeat is stale.
			.shutdownMaxWait(Duration.ofSeconds(10))
			.build();
	}

	/** The name recorded in {@code scheduled_tasks.picked_by} for what this node runs: host and process id. */
	static String nodeName() {
		return new SchedulerName.Hostname().getName() + "/" + ProcessHandle.current().pid();
	}

	/**
	 * Queues an execution, to run at {@code at} (at once, on this node if it is free, when due already); one already
	 * queued under the same task and id is left as it is. Works stopped too: it runs once a scheduler is started.
	 * @return whether it was queued
	 */
	public boolean scheduleIfNotExists(TaskInstance<?> instance, Instant at) {
		return this.scheduler.current().scheduleIfNotExists(instance, at);
	}

	/**
	 * The time to queue executions by: PostgreSQL's as this node estimates it ({@link ClockCheck#databaseNow}), the
	 * time every node's scheduler compares due times with.
	 */
	public Instant now() {
		return this.clock.databaseNow();
	}

	@Override
	public void start() {
		this.scheduler.start();
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
