package io.rollcall.emulators;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The emulators' notion of "now": wall-clock time plus an offset that tests move forward, so token,
 * subscription and delta-token expiry can be exercised without waiting. Thread-safe.
 */
public final class EmulatorClock extends Clock {

    private final Clock base;
    private final AtomicReference<Duration> offset;

    private EmulatorClock(Clock base, Duration offset) {
        this.base = Objects.requireNonNull(base, "base cannot be null");
        this.offset = new AtomicReference<>(offset);
    }

    /** Real time, movable forward with {@link #advance(Duration)}. */
    public static EmulatorClock system() {
        return new EmulatorClock(Clock.systemUTC(), Duration.ZERO);
    }

    /** Real time shifted so that it reads {@code start} now; it keeps ticking from there. */
    public static EmulatorClock startingAt(Instant start) {
        return new EmulatorClock(Clock.systemUTC(), Duration.between(Instant.now(), start));
    }

    /** Moves time forward (or back, with a negative duration) for everything that uses this clock. */
    public EmulatorClock advance(Duration by) {
        Objects.requireNonNull(by, "by cannot be null");
        this.offset.updateAndGet(current -> current.plus(by));
        return this;
    }

    @Override
    public Instant instant() {
        return this.base.instant().plus(this.offset.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.offset(this, Duration.ZERO).withZone(zone);
    }
}
