package io.rollcall.okta;

import java.time.Clock;
import java.util.List;

import com.github.kagkarlsson.scheduler.task.Task;
import io.rollcall.connector.DailySync;
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

	private final OktaEvents events;

	private final DailySync daily;

	private final Clock clock;

	OktaJobs(OktaEvents events, OktaConnections connections, SyncRuns runs, Clock clock,
			TransactionTemplate transaction) {
		this.events = events;
		this.clock = clock;
		this.daily = new DailySync(OktaKind.SOURCE, connections::claimDailyRun, connections::all, runs, transaction,
				clock);
	}

	@Override
	public List<Task<?>> tasks() {
		// Old events are forgotten on the daily sync's round, as they always were: no task of their own to schedule.
		return List.of(this.daily.task(this::forgetOldEvents));
	}

	/** Starts the full run of every company whose daily time (UTC) has come and that has not had it today. */
	void startDailySyncs() {
		this.daily.startDue();
		forgetOldEvents();
	}

	private void forgetOldEvents() {
		this.events.forgetOld(this.clock.instant());
	}

}
