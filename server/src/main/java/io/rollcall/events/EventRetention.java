package io.rollcall.events;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.rollcall.platform.BatchedDeletes;
import io.rollcall.platform.Jobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
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
class EventRetention implements Jobs {

	private static final Logger log = LoggerFactory.getLogger(EventRetention.class);

	/** Events deleted by one statement. */
	static final int BATCH = 10_000;

	private final JdbcClient jdbc;

	private final Clock clock;

	private final Duration retention;

	private final Task<Void> task;

	EventRetention(JdbcClient jdbc, Clock clock,
			@Value("${rollcall.events.retention:30d}") Duration retention,
			@Value("${rollcall.events.retention-check:1h}") Duration every) {
		Assert.notNull(jdbc, "jdbc cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		Assert.isTrue(retention != null && retention.isPositive(),
				"rollcall.events.retention must be a positive duration");
		this.jdbc = jdbc;
		this.clock = clock;
		this.retention = retention;
		this.task = Tasks.recurring("event-retention", FixedDelay.of(every))
			.execute((instance, context) -> forgetOld());
	}

	@Override
	public List<Task<?>> tasks() {
		return List.of(this.task);
	}

	/** Deletes the events older than the retention, a batch at a time; how many. */
	long forgetOld() {
		Timestamp before = Timestamp.from(this.clock.instant().minus(this.retention));
		// Only numbered events: one not numbered yet has just committed, whatever its time says. Oldest first: an
		// event whose subject another of its transaction carries goes before that one (Outbox), never after.
		long deleted = BatchedDeletes.untilDone(BATCH, batch -> this.jdbc.sql("""
				delete from domain_event where id in (
				    select id from domain_event where at < :before and position is not null order by id limit :batch)
				""").param("before", before).param("batch", batch).update());
		if (deleted > 0) {
			log.info("Events: deleted {} older than {}", deleted, this.retention);
		}
		return deleted;
	}

}
