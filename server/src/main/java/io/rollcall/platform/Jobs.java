package io.rollcall.platform;

import java.util.List;

import com.github.kagkarlsson.scheduler.task.Task;

/**
 * A module's durable work: the db-scheduler tasks it gives the one {@link JobScheduler}. A recurring task is scheduled
 * at start unless it already is; any other task is known so that the executions the module queues can run.
 */
public interface Jobs {

	/** Asked once, when the scheduler is made; each task's name is unique in the application. */
	List<Task<?>> tasks();

}
