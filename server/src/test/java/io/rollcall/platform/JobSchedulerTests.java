package io.rollcall.platform;

import com.github.kagkarlsson.scheduler.SchedulerName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How a node names itself in {@code scheduled_tasks.picked_by}. */
@Tag("unit")
class JobSchedulerTests {

	@Test
	void nodeNameWhenTwoNodesShareAHostThenTheProcessIdTellsThemApart() {
		assertThat(JobScheduler.nodeName())
			.isEqualTo(new SchedulerName.Hostname().getName() + "/" + ProcessHandle.current().pid());
	}

}
