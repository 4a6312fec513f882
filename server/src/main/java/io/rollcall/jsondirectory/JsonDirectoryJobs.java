package io.rollcall.jsondirectory;

import java.time.Clock;
import java.util.List;

import com.github.kagkarlsson.scheduler.task.Task;
import io.rollcall.connector.DailySync;
import io.rollcall.platform.Jobs;
import io.rollcall.sync.SyncRuns;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** The integration's recurring work: the daily full sync at each company's time (03:00 UTC unless set otherwise). */
@Component
class JsonDirectoryJobs implements Jobs {

	private final DailySync daily;

	JsonDirectoryJobs(JsonDirectoryConnections connections, SyncRuns runs, Clock clock,
			TransactionTemplate transaction) {
		this.daily = new DailySync(JsonDirectoryKind.SOURCE, connections::claimDailyRun, connections::all, runs,
				transaction, clock);
	}

	@Override
	public List<Task<?>> tasks() {
		return List.of(this.daily.task());
	}

	/** Starts the full run of every company whose daily time (UTC) has come and that has not had it today. */
	void startDailySyncs() {
		this.daily.startDue();
	}

}
