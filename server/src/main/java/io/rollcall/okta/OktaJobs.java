package io.rollcall.okta;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import io.rollcall.platform.RestartableScheduler;
import io.rollcall.sync.SyncRuns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The integration's recurring work, as db-scheduler tasks in PostgreSQL (one node runs each at a time): the daily
 * full sync at each company's time (03:00 UTC unless set otherwise) and forgetting old events. Recorded events are
 * {@link OktaEvents}' own work, on a thread woken as they arrive.
 */
@Component
class OktaJobs implements SmartLifecycle {

	static final Actor DAILY = new Actor(Actor.Type.SYSTEM, "okta-daily", "Okta daily sync");

	private static final Logger log = LoggerFactory.getLogger(OktaJobs.class);

	private final DataSource dataSource;

	private final List<RecurringTask<Void>> tasks;

	private final OktaConnections connections;

	private final OktaEvents events;

	private final SyncRuns runs;

	private final Clock clock;

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final RestartableScheduler scheduler;

	OktaJobs(DataSource dataSource, OktaEvents events, OktaConnections connections, SyncRuns runs, Clock clock,
			JdbcClient jdbc, TransactionTemplate transaction) {
		this.dataSource = dataSource;
		this.events = events;
		this.connections = connections;
		this.runs = runs;
		this.clock = clock;
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.tasks = List.of(
				Tasks.recurring("okta-daily-sync", FixedDelay.ofMinutes(1)).execute((instance, context) -> startDailySyncs()));
		this.scheduler = new RestartableScheduler(this::newScheduler);
	}

	private Scheduler newScheduler() {
		return Scheduler.create(this.dataSource)
			.tableName("okta_scheduled_tasks")
			.startTasks(this.tasks)
			.threads(2)
			// Its tasks come due once a minute: a tenth of that is soon enough.
			.pollingInterval(Duration.ofSeconds(6))
			.heartbeatInterval(Duration.ofSeconds(2))
			// A stopping node does not wait for a long pass (photos, a daily round): what it left is picked up again.
			.shutdownMaxWait(Duration.ofSeconds(10))
			.build();
	}

	/** Starts the full run of every company whose daily time (UTC) has come and that has not had it today. */
	void startDailySyncs() {
		ZonedDateTime now = this.clock.instant().atZone(ZoneOffset.UTC);
		LocalDate today = now.toLocalDate();
		for (OktaConnection connection : this.connections.all()) {
			LocalTime at = LocalTime.parse(connection.fullSyncAt());
			if (now.toLocalTime().isBefore(at)) {
				continue;
			}
			try {
				// Claimed and started together: a day's sync that cannot start now (another run is going, or waits for
				// approval) is not marked done, and is tried again on the next round instead of skipped for the day.
				this.transaction.executeWithoutResult(status -> {
					if (this.connections.claimDailyRun(connection.companyId(), today)) {
						this.runs.start(connection.companyId(), OktaSource.KIND, false, null, Map.of(), DAILY);
					}
				});
			}
			catch (RequestRejectedException ex) {
				log.debug("Okta: daily sync of company {} waits: {}", connection.companyId(), ex.getMessage());
			}
		}
		this.events.forgetOld(this.clock.instant());
	}

	@Override
	public void start() {
		// Events were a polled task here before; its row would otherwise be reported as an unknown task.
		this.jdbc.sql("delete from okta_scheduled_tasks where task_name = 'okta-events'").update();
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
