package io.rollcall.platform;

import java.time.Duration;
import java.time.Instant;

import io.rollcall.platform.ClockReading.Verdict;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What one comparison of this node's clock with PostgreSQL's says, round trip included. */
@Tag("unit")
class ClockReadingTests {

	private static final Duration TOLERANCE = Duration.ofSeconds(5);

	private static final Instant POSTGRES = Instant.parse("2026-12-06T00:00:00Z");

	@Test
	void verdictWhenFiveMinutesAheadThenAheadWithTheOffsetInTheReason() {
		ClockReading reading = reading(Duration.ofMinutes(5), Duration.ofMillis(2));

		assertThat(reading.verdict(TOLERANCE)).isEqualTo(Verdict.AHEAD);
		assertThat(reading.offset()).isEqualTo(Duration.ofMinutes(5));
		assertThat(reading.reason(TOLERANCE)).isEqualTo("clock is 300 s ahead of PostgreSQL's; tolerance 5 s");
	}

	@Test
	void verdictWhenFiveMinutesBehindThenBehind() {
		ClockReading reading = reading(Duration.ofMinutes(-5), Duration.ofMillis(2));

		assertThat(reading.verdict(TOLERANCE)).isEqualTo(Verdict.BEHIND);
		assertThat(reading.reason(TOLERANCE)).isEqualTo("clock is 300 s behind PostgreSQL's; tolerance 5 s");
	}

	@Test
	void verdictWhenWithinToleranceEitherWayThenWithin() {
		assertThat(reading(Duration.ofSeconds(4), Duration.ofMillis(2)).verdict(TOLERANCE)).isEqualTo(Verdict.WITHIN);
		assertThat(reading(Duration.ofSeconds(-4), Duration.ofMillis(2)).verdict(TOLERANCE)).isEqualTo(Verdict.WITHIN);
		assertThat(reading(Duration.ZERO, Duration.ZERO).verdict(TOLERANCE)).isEqualTo(Verdict.WITHIN);
	}

	@Test
	void verdictWhenJustBeyondToleranceButTheRoundTripMayExplainItThenWithin() {
		// 5.5 s ahead, measured over a round trip of 2 s: PostgreSQL may have read its clock as early as 1 s before the
		// midpoint, so the clock may be only 4.5 s ahead.
		assertThat(reading(Duration.ofMillis(5500), Duration.ofSeconds(2)).verdict(TOLERANCE))
			.isEqualTo(Verdict.WITHIN);
		assertThat(reading(Duration.ofMillis(6500), Duration.ofSeconds(2)).verdict(TOLERANCE))
			.isEqualTo(Verdict.AHEAD);
		assertThat(reading(Duration.ofMillis(-6500), Duration.ofSeconds(2)).verdict(TOLERANCE))
			.isEqualTo(Verdict.BEHIND);
	}

	@Test
	void verdictWhenTheRoundTripIsSlowerThanTheToleranceThenInconclusiveWhateverTheOffset() {
		assertThat(reading(Duration.ofMinutes(5), Duration.ofSeconds(6)).verdict(TOLERANCE))
			.isEqualTo(Verdict.INCONCLUSIVE);
		assertThat(reading(Duration.ZERO, Duration.ofSeconds(6)).verdict(TOLERANCE)).isEqualTo(Verdict.INCONCLUSIVE);
	}

	@Test
	void offsetWhenPostgresReadItsClockMidwayThenTheMidpointIsCompared() {
		// Sent at PostgreSQL's time minus 100 ms, back 200 ms later: PostgreSQL's clock was read at the midpoint.
		ClockReading reading = new ClockReading(POSTGRES.minusMillis(100), Duration.ofMillis(200), POSTGRES);

		assertThat(reading.offset()).isZero();
		assertThat(reading.uncertainty()).isEqualTo(Duration.ofMillis(100));
		assertThat(reading.reason(TOLERANCE)).isEqualTo("clock is 0 s ahead of PostgreSQL's; tolerance 5 s");
	}

	/** A reading of a node whose clock is {@code offset} ahead, PostgreSQL answering in the middle of the round trip. */
	private static ClockReading reading(Duration offset, Duration roundTrip) {
		Instant sentAt = POSTGRES.plus(offset).minus(roundTrip.dividedBy(2));
		return new ClockReading(sentAt, roundTrip, POSTGRES);
	}

}
