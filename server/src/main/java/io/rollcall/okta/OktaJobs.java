package io.rollcall.okta;

import java.time.Clock;
import java.util.List;

import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.rollcall.connector.DailySync;
import io.rollcall.platform.Actor;
import io.rollcall.platform.Jobs;
import io.rollcall.sync.SyncRuns;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The integration's recurring work: the daily full sync at each company's time (03:00 UTC unless set otherwise) and
 * forgetting old events. Recorded events are {@link OktaEvents}' own work, on a thread woken as they arrive.
 */
@Component
class OktaJobs implements Jobs {

	static final Actor DAILY = new Actor(Actor.Type.SYSTEM, "okta-daily", "Okta daily sync");

	private final List<Task<?>> tasks;

	private final OktaConnections connections;

	private final OktaEvents events;

	private final DailySync daily;

	private final Clock clock;

	OktaJobs(OktaEvents events, OktaConnections connections, SyncRuns runs, Clock clock, TransactionTemplate transaction) {
		this.events = events;
		this.connections = connections;
		this.clock = clock;
		this.daily = new DailySync(OktaSource.KIND, DAILY, connections::claimDailyRun, runs, transaction, clock);
		this.tasks = List.of(
				Tasks.recurring("okta-daily-sync", FixedDelay.ofMinutes(1)).execute((instance, context) -> startDailySyncs()));
	}

	@Override
	public List<Task<?>> tasks() {
		return this.tasks;
	}

	/** Starts the full run of every company whose daily time (UTC) has come and that has not had it today. */
	void startDailySyncs() {
		this.daily.startDue(this.connections.all());
		this.events.forgetOld(this.clock.instant());
	}

}
