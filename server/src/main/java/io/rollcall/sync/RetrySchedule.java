package io.rollcall.sync;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * When a failed run is tried again: the wait doubles from {@code first} up to {@code max}, with a tenth of jitter so
 * that companies failing together (one provider's outage) do not come back in one burst. The cap keeps a provider
 * that recovers in step within about a minute; the attempts are cheap while it is down (it refuses fast, or the
 * client's own retries wait).
 */
@Component
final class RetrySchedule {

	private final Duration first;

	private final Duration max;

	RetrySchedule(@Value("${rollcall.sync.retry.first-delay:5s}") Duration first,
			@Value("${rollcall.sync.retry.max-delay:30s}") Duration max) {
		if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
			throw new IllegalArgumentException(
					"rollcall.sync.retry: first-delay must be positive and at most max-delay");
		}
		this.first = first;
		this.max = max;
	}

	/** The wait before the next attempt, after {@code failures} failed ones (1 or more). */
	Duration after(int failures) {
		int doublings = Math.min(Math.max(failures, 1) - 1, 20);
		long millis = Math.min(this.max.toMillis(), this.first.toMillis() << doublings);
		long jitter = millis / 10;
		return Duration.ofMillis(millis - jitter + ThreadLocalRandom.current().nextLong(2 * jitter + 1));
	}

}
