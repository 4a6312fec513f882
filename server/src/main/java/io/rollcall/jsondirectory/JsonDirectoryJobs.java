package io.rollcall.jsondirectory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.rollcall.connector.DailySync;
import io.rollcall.connector.ProviderJobs;
import io.rollcall.platform.Actor;
import io.rollcall.sync.SyncRuns;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** The integration's recurring work: the daily full sync at each company's time (03:00 UTC unless set otherwise). */
@Component
class JsonDirectoryJobs extends ProviderJobs {

	static final Actor DAILY = new Actor(Actor.Type.SYSTEM, "jsondirectory-daily", "JSON directory daily sync");

	private final List<RecurringTask<Void>> tasks;

	private final JsonDirectoryConnections connections;

	private final DailySync daily;

	JsonDirectoryJobs(DataSource dataSource, JsonDirectoryConnections connections, SyncRuns runs, Clock clock,
			JdbcClient jdbc, TransactionTemplate transaction) {
		// Its task comes due once a minute: a tenth of that is soon enough. No task was ever retired here.
		super(dataSource, jdbc, "jsondirectory_scheduled_tasks", Duration.ofSeconds(6), "none");
		this.connections = connections;
		this.daily = new DailySync(JsonDirectorySource.KIND, DAILY, connections::claimDailyRun, runs, transaction, clock);
		this.tasks = List.of(Tasks.recurring("jsondirectory-daily-sync", FixedDelay.ofMinutes(1))
			.execute((instance, context) -> startDailySyncs()));
	}

	@Override
	protected List<RecurringTask<Void>> tasks() {
		return this.tasks;
	}

	/** Starts the full run of every company whose daily time (UTC) has come and that has not had it today. */
	void startDailySyncs() {
		this.daily.startDue(this.connections.all());
	}

}
