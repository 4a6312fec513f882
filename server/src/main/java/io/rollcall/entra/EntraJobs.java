package io.rollcall.entra;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.rollcall.connector.DailySync;
import io.rollcall.platform.Jobs;
import io.rollcall.sync.SyncRuns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The integration's recurring work: renewing subscriptions before they expire and keeping them in line with the
 * group's tree, the daily full reconciliation, and the photo pass. Queued notifications are {@link EntraChanges}' own
 * work, on a thread woken as they arrive.
 */
@Component
class EntraJobs implements Jobs {

	private static final Logger log = LoggerFactory.getLogger(EntraJobs.class);

	private final List<Task<?>> tasks;

	private final EntraConnections connections;

	private final EntraSubscriptions subscriptions;

	private final DailySync daily;

	EntraJobs(EntraConnections connections, EntraSubscriptions subscriptions, SyncRuns runs, Clock clock,
			EntraPhotoPass photoPass, TransactionTemplate transaction,
			@Value("${rollcall.entra.photo-poll:1s}") Duration photoPoll,
			@Value("${rollcall.entra.upkeep-every:10m}") Duration upkeepEvery) {
		this.connections = connections;
		this.subscriptions = subscriptions;
		this.daily = new DailySync(EntraKind.SOURCE, connections::claimDailyRun, connections::authorised, runs,
				transaction, clock);
		this.tasks = List.of(
				Tasks.recurring("entra-subscription-upkeep", FixedDelay.of(upkeepEvery))
					.execute((instance, context) -> renewSubscriptions()),
				this.daily.task(),
				Tasks.recurring("entra-photos", FixedDelay.of(photoPoll))
					.execute((instance, context) -> photoPass.runOnce()));
	}

	@Override
	public List<Task<?>> tasks() {
		return this.tasks;
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
				log.warn("Entra: subscription upkeep of company {} failed: {}", connection.companyId(),
						ex.getMessage());
			}
		}
	}

	/** Starts the full run of every authorised company whose daily time (UTC) has come and that has not had it today. */
	void startDailySyncs() {
		this.daily.startDue();
	}

}
