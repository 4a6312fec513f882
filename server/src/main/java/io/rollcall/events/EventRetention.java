package io.rollcall.events;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.rollcall.platform.BatchedDeletes;
import io.rollcall.platform.RestartableScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

/**
 * Keeps the feed to {@code rollcall.events.retention} (30 days unless set): a db-scheduler task, run by one node at a
 * time, deletes older events in batches, each its own short statement, so that a first pass over months of events
 * never holds locks or a transaction for long. A reader given a cursor older than what is kept reads on from the
 * oldest event kept ({@link EventFeed}).
 */
@Component
class EventRetention implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(EventRetention.class);

	/** Events deleted by one statement. */
	static final int BATCH = 10_000;

	private final JdbcClient jdbc;

	private final Clock clock;

	private final Duration retention;

	private final RestartableScheduler scheduler;

	EventRetention(DataSource dataSource, JdbcClient jdbc, Clock clock,
			@Value("${rollcall.events.retention:30d}") Duration retention,
			@Value("${rollcall.events.retention-check:1h}") Duration every) {
		Assert.notNull(jdbc, "jdbc cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		Assert.isTrue(retention != null && retention.isPositive(), "rollcall.events.retention must be a positive duration");
		this.jdbc = jdbc;
		this.clock = clock;
		this.retention = retention;
		RecurringTask<Void> task = Tasks.recurring("event-retention", FixedDelay.of(every))
			.execute((instance, context) -> forgetOld());
		this.scheduler = new RestartableScheduler(() -> Scheduler.create(dataSource)
			.tableName("event_scheduled_tasks")
			.startTasks(task)
			.threads(1)
			.pollingInterval(Duration.ofSeconds(30))
			.heartbeatInterval(Duration.ofSeconds(2))
			.shutdownMaxWait(Duration.ofSeconds(10))
			.build());
	}

	/** Deletes the events older than the retention, a batch at a time; how many. */
	long forgetOld() {
		Timestamp before = Timestamp.from(this.clock.instant().minus(this.retention));
		// Only numbered events: one not numbered yet has just committed, whatever its time says.
		long deleted = BatchedDeletes.untilDone(BATCH, batch -> this.jdbc.sql("""
				delete from domain_event where id in (
				    select id from domain_event where at < :before and position is not null limit :batch)
				""").param("before", before).param("batch", batch).update());
		if (deleted > 0) {
			log.info("Events: deleted {} older than {}", deleted, this.retention);
		}
		return deleted;
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
