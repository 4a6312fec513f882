package io.rollcall.platform;

import java.time.Duration;
import java.time.Instant;

import org.springframework.util.Assert;

/**
 * One comparison of this node's clock with PostgreSQL's, as NTP makes it: PostgreSQL's time was read at some moment
 * of the round trip, most likely its middle, so the node's clock at the middle minus PostgreSQL's is the offset, give
 * or take half the round trip.
 *
 * @param sentAt this node's time when the query was sent
 * @param roundTrip from sending the query to its answer, by the monotonic clock
 * @param databaseTime PostgreSQL's {@code clock_timestamp()} in the answer
 */
record ClockReading(Instant sentAt, Duration roundTrip, Instant databaseTime) {

	/** What a reading says of this node's clock. */
	enum Verdict {

		/** Within the tolerance, or maybe so given the round trip. */
		WITHIN,

		/** Ahead of PostgreSQL's by more than the tolerance, whatever the round trip hid. */
		AHEAD,

		/** Behind PostgreSQL's by more than the tolerance, whatever the round trip hid. */
		BEHIND,

		/** The round trip took longer than the tolerance: it cannot tell a good clock from a bad one. */
		INCONCLUSIVE

	}

	ClockReading {
		Assert.notNull(sentAt, "sentAt cannot be null");
		Assert.isTrue(roundTrip != null && !roundTrip.isNegative(), "roundTrip cannot be negative");
		Assert.notNull(databaseTime, "databaseTime cannot be null");
	}

	/** How far this node's clock is ahead of PostgreSQL's (negative: behind). */
	Duration offset() {
		return Duration.between(this.databaseTime, this.sentAt.plus(uncertainty()));
	}

	/** How far the true offset may be from {@link #offset()}: PostgreSQL read its clock somewhere in the round trip. */
	Duration uncertainty() {
		return this.roundTrip.dividedBy(2);
	}

	/** A node is told off only when even the most favourable reading of the round trip is beyond the tolerance. */
	Verdict verdict(Duration tolerance) {
		Assert.isTrue(tolerance != null && tolerance.isPositive(), "tolerance must be positive");
		if (this.roundTrip.compareTo(tolerance) > 0) {
			return Verdict.INCONCLUSIVE;
		}
		Duration offset = offset();
		if (offset.minus(uncertainty()).compareTo(tolerance) > 0) {
			return Verdict.AHEAD;
		}
		if (offset.plus(uncertainty()).negated().compareTo(tolerance) > 0) {
			return Verdict.BEHIND;
		}
		return Verdict.WITHIN;
	}

	/** Why the node stays out, in the words of its health and its log: "clock is 300 s ahead of PostgreSQL's; ...". */
	String reason(Duration tolerance) {
		Duration offset = offset();
		return "clock is " + seconds(offset.abs()) + " s " + (offset.isNegative() ? "behind" : "ahead of")
				+ " PostgreSQL's; tolerance " + seconds(tolerance) + " s";
	}

	private static String seconds(Duration duration) {
		long millis = duration.toMillis();
		return millis % 1000 == 0 || millis >= 10_000 ? String.valueOf(Math.round(millis / 1000.0))
				: String.format(java.util.Locale.ROOT, "%.1f", millis / 1000.0);
	}

}
