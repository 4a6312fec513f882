package io.rollcall.platform;

import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The back-off of webhooks and back-channel logouts. */
@Tag("unit")
class RetryScheduleTests {

	@Test
	void delayWhenDrawnThenWithinUpperHalfOfItsStepAndLongerThanTheWaitBefore() {
		Duration longestBefore = Duration.ZERO;
		for (int failures = 1; failures <= RetrySchedule.STEPS.size(); failures++) {
			Duration step = RetrySchedule.step(failures);
			Duration shortest = step;
			Duration longest = Duration.ZERO;
			for (int draw = 0; draw < 2_000; draw++) {
				Duration delay = RetrySchedule.delay(failures);
				assertThat(delay).isBetween(step.dividedBy(2), step);
				shortest = shortest.compareTo(delay) < 0 ? shortest : delay;
				longest = longest.compareTo(delay) > 0 ? longest : delay;
			}
			assertThat(shortest).as("every wait after failure %d is longer than any before it", failures)
				.isGreaterThan(longestBefore);
			// Spread over the half step: receivers that failed together are not retried together.
			assertThat(longest.minus(shortest)).isGreaterThan(step.dividedBy(3));
			longestBefore = longest;
		}
	}

	@Test
	void stepsWhenSummedThenRetriesLastAboutThreeDays() {
		Duration total = Duration.ZERO;
		int failures = 1;
		while (total.compareTo(RetrySchedule.GIVE_UP_AFTER) < 0) {
			total = total.plus(RetrySchedule.step(failures++));
		}
		assertThat(failures).isBetween(10, 20);
		assertThat(RetrySchedule.step(100)).isEqualTo(Duration.ofHours(12));
	}

	@Test
	void nextWhenPastThreeDaysSinceFirstTryThenNullToGiveUp() {
		java.time.Instant first = java.time.Instant.parse("2026-01-01T00:00:00Z");
		assertThat(RetrySchedule.next(first.plus(Duration.ofDays(2)), 12, first)).isNotNull();
		assertThat(RetrySchedule.next(first.plus(Duration.ofDays(3)), 12, first)).isNull();
	}

}
