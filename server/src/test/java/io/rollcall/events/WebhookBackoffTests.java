package io.rollcall.events;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookBackoffTests {

	@Test
	void delayWhenDrawnThenWithinUpperHalfOfItsStepAndLongerThanTheWaitBefore() {
		Duration longestBefore = Duration.ZERO;
		for (int failures = 1; failures <= WebhookBackoff.STEPS.size(); failures++) {
			Duration step = WebhookBackoff.step(failures);
			Duration shortest = step;
			Duration longest = Duration.ZERO;
			for (int draw = 0; draw < 2_000; draw++) {
				Duration delay = WebhookBackoff.delay(failures);
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
		while (total.compareTo(WebhookBackoff.GIVE_UP_AFTER) < 0) {
			total = total.plus(WebhookBackoff.step(failures++));
		}
		assertThat(failures).isBetween(10, 20);
		assertThat(WebhookBackoff.step(100)).isEqualTo(Duration.ofHours(12));
	}

}
