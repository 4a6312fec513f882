package io.rollcall.entra;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

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

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The integration's recurring work, as db-scheduler tasks in PostgreSQL (one node runs each at a time): renewing
 * subscriptions before they expire and keeping them in line with the group's tree, the daily full reconciliation, and the photo pass. Queued notifications are
 * {@link EntraChanges}' own work, on a thread woken as they arrive.
 */
@Component
class EntraJobs implements SmartLifecycle {

	static final Actor DAILY = new Actor(Actor.Type.SYSTEM, "entra-daily", "Entra ID daily sync");

	private static final Logger log = LoggerFactory.getLogger(EntraJobs.class);

	private final DataSource dataSource;

	private final List<RecurringTask<Void>> tasks;

	private final EntraConnections connections;

	private final EntraSubscriptions subscriptions;

	private final SyncRuns runs;

	private final Clock clock;

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final RestartableScheduler scheduler;

	EntraJobs(DataSource dataSource, EntraConnections connections, EntraSubscriptions subscriptions, SyncRuns runs,
			Clock clock, EntraPhotoPass photoPass, JdbcClient jdbc, TransactionTemplate transaction,
			@Value("${rollcall.entra.photo-poll:1s}") Duration photoPoll,
			@Value("${rollcall.entra.upkeep-every:10m}") Duration upkeepEvery) {
		this.dataSource = dataSource;
		this.connections = connections;
		this.subscriptions = subscriptions;
		this.runs = runs;
		this.clock = clock;
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.tasks = List.of(
				Tasks.recurring("entra-subscription-upkeep", FixedDelay.of(upkeepEvery))
					.execute((instance, context) -> renewSubscriptions()),
				Tasks.recurring("entra-daily-sync", FixedDelay.ofMinutes(1))
					.execute((instance, context) -> startDailySyncs()),
				Tasks.recurring("entra-photos", FixedDelay.of(photoPoll))
					.execute((instance, context) -> photoPass.runOnce()));
		this.scheduler = new RestartableScheduler(this::newScheduler);
	}

	private Scheduler newScheduler() {
		return Scheduler.create(this.dataSource)
			.tableName("entra_scheduled_tasks")
			.startTasks(this.tasks)
			// The photo pass may hold a thread for its whole turn; the upkeep and the daily sync share the other.
			.threads(2)
			.pollingInterval(Duration.ofMillis(100))
			.heartbeatInterval(Duration.ofSeconds(2))
			// A stopping node does not wait for a long pass (photos, a daily round): what it left is picked up again.
			.shutdownMaxWait(Duration.ofSeconds(10))
			.build();
	}

	/**
	 * Renews what expires soon and follows the group's tree (a change to it may have come while notifications were
	 * lost), for every authorised company; one company's failure does not stop the others.
	 */
	void renewSubscriptions() {
		for (EntraConnection connection : this.connections.authorised()) {
			try {
				this.subscriptions.renewDue(connection);
				this.subscriptions.reconcileTree(connection);
			}
			catch (RuntimeException ex) {
				log.warn("Entra: subscription upkeep of company {} failed: {}", connection.companyId(), ex.getMessage());
			}
		}
	}

	/** Starts the full run of every company whose daily time (UTC) has come and that has not had it today. */
	void startDailySyncs() {
		ZonedDateTime now = this.clock.instant().atZone(ZoneOffset.UTC);
		LocalDate today = now.toLocalDate();
		for (EntraConnection connection : this.connections.authorised()) {
			LocalTime at = LocalTime.parse(connection.fullSyncAt());
			if (now.toLocalTime().isBefore(at)) {
				continue;
			}
			try {
				// Claimed and started together: a day's sync that cannot start now (another run is going, or waits for
				// approval) is not marked done, and is tried again on the next round instead of skipped for the day.
				this.transaction.executeWithoutResult(status -> {
					if (this.connections.claimDailyRun(connection.companyId(), today)) {
						this.runs.start(connection.companyId(), EntraSource.KIND, false, null, java.util.Map.of(), DAILY);
					}
				});
			}
			catch (RequestRejectedException ex) {
				log.debug("Entra: daily sync of company {} waits: {}", connection.companyId(), ex.getMessage());
			}
		}
	}

	@Override
	public void start() {
		// Notifications were a polled task here before; its row would otherwise be reported as an unknown task.
		this.jdbc.sql("delete from entra_scheduled_tasks where task_name = 'entra-notifications'").update();
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
