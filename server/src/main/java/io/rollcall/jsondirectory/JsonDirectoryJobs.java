package io.rollcall.jsondirectory;

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

/** The integration's recurring work: the daily full sync at each company's time (03:00 UTC unless set otherwise). */
@Component
class JsonDirectoryJobs implements Jobs {

	static final Actor DAILY = new Actor(Actor.Type.SYSTEM, "jsondirectory-daily", "JSON directory daily sync");

	private final List<Task<?>> tasks;

	private final JsonDirectoryConnections connections;

	private final DailySync daily;

	JsonDirectoryJobs(JsonDirectoryConnections connections, SyncRuns runs, Clock clock, TransactionTemplate transaction) {
		this.connections = connections;
		this.daily = new DailySync(JsonDirectorySource.KIND, DAILY, connections::claimDailyRun, runs, transaction, clock);
		this.tasks = List.of(Tasks.recurring("jsondirectory-daily-sync", FixedDelay.ofMinutes(1))
			.execute((instance, context) -> startDailySyncs()));
	}

	@Override
	public List<Task<?>> tasks() {
		return this.tasks;
	}

	/** Starts the full run of every company whose daily time (UTC) has come and that has not had it today. */
	void startDailySyncs() {
		this.daily.startDue(this.connections.all());
	}

}
