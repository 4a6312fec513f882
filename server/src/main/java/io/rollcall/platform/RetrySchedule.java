package io.rollcall.platform;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a failed outbound request (a webhook delivery, a back-channel logout) is tried again: 5 s, 30 s, 2 min,
 * 10 min, 30 min, 1 h, 3 h, 6 h, then every 12 h, each drawn at random from the upper half of its step, so that
 * receivers that failed together are not all retried in the same second, and yet every wait is longer than the one
 * before (a draw from the whole step, "full jitter", could retry a struggling receiver at once). After
 * {@link #GIVE_UP_AFTER} the request is given up, and its owner keeps it as failed.
 */
public final class RetrySchedule {

	public static final List<Duration> STEPS = List.of(Duration.ofSeconds(5), Duration.ofSeconds(30),
			Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1),
			Duration.ofHours(3), Duration.ofHours(6), Duration.ofHours(12));

	public static final Duration GIVE_UP_AFTER = Duration.ofDays(3);

	private RetrySchedule() {
	}

	/** The step after the {@code failures}-th failed attempt (1 for the first). */
	public static Duration step(int failures) {
		return STEPS.get(Math.min(Math.max(failures, 1), STEPS.size()) - 1);
	}

	/** The wait after the {@code failures}-th failed attempt: between half the step and the step. */
	public static Duration delay(int failures) {
		long millis = step(failures).toMillis();
		return Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
	}

	/**
	 * When to try again after the {@code failures}-th failed attempt of something first tried at {@code firstTried},
	 * or null when that would be past {@link #GIVE_UP_AFTER}: give up.
	 */
	public static Instant next(Instant now, int failures, Instant firstTried) {
		Instant next = now.plus(delay(failures));
		return next.isAfter(firstTried.plus(GIVE_UP_AFTER)) ? null : next;
	}

}
