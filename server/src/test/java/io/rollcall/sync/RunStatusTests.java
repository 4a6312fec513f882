package io.rollcall.sync;

import java.util.Arrays;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The run statuses' transitions, without Spring: what the engine's statements may do to a run. */
@Tag("unit")
class RunStatusTests {

	@Test
	void toWhenHeldRunApprovedThenApplying() {
		assertThat(RunStatus.HELD.to(RunStatus.APPLYING)).isEqualTo(RunStatus.APPLYING);
	}

	@Test
	void toWhenHeldRunWouldSucceedWithoutApplyingThenRefusedSayingWhereItCanGo() {
		assertThatThrownBy(() -> RunStatus.HELD.to(RunStatus.SUCCEEDED))
			.isInstanceOf(RunStatus.IllegalRunTransitionException.class)
			.hasMessage("A sync run cannot go from held to succeeded; from held it can only become applying, discarded")
			.satisfies(ex -> {
				RunStatus.IllegalRunTransitionException refused = (RunStatus.IllegalRunTransitionException) ex;
				assertThat(refused.from()).isEqualTo(RunStatus.HELD);
				assertThat(refused.to()).isEqualTo(RunStatus.SUCCEEDED);
			});
	}

	@Test
	void toWhenRunEndedThenNothingMovesItAgain() {
		for (RunStatus end : new RunStatus[] { RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.PREVIEWED,
				RunStatus.DISCARDED, RunStatus.SUPERSEDED }) {
			assertThat(end.finished()).as(end.value()).isTrue();
			for (RunStatus next : RunStatus.values()) {
				assertThatThrownBy(() -> end.to(next)).isInstanceOf(IllegalStateException.class)
					.hasMessageContaining("nothing (it has ended)");
			}
		}
	}

	@Test
	void leadingToWhenPlanningThenTheStatusesARunIsPlannedFrom() {
		// Queued for the first time, planning again after a restart, or retried after a failure.
		assertThat(RunStatus.leadingTo(RunStatus.PLANNING)).containsExactly("queued", "planning", "retrying");
	}

	@Test
	void leadingToWhenDiscardedOrSupersededThenOnlyRunsWaitingForAnAdminOrARetry() {
		assertThat(RunStatus.leadingTo(RunStatus.DISCARDED)).containsExactly("held", "retrying");
		assertThat(RunStatus.leadingTo(RunStatus.SUPERSEDED)).containsExactly("retrying");
	}

	@Test
	void activeThenEveryStatusNotEndedAsTheUniqueIndexOfActiveRunsNamesThem() {
		assertThat(RunStatus.active()).containsExactly("queued", "planning", "held", "applying", "retrying");
	}

	@Test
	void ofWhenStoredValueThenSameStatusAndUnknownRefused() {
		Arrays.stream(RunStatus.values()).forEach(status -> assertThat(RunStatus.of(status.value())).isEqualTo(status));
		assertThatThrownBy(() -> RunStatus.of("running")).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("'running'");
	}

}
