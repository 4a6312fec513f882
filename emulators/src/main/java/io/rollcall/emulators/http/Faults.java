package io.rollcall.emulators.http;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fault knobs of an emulator: shares of throttled (429), failed (5xx) and dropped requests, added latency,
 * and a share of change notifications that are never delivered. Decisions are a pure function of the seed
 * and the request's sequence number, so the same request sequence meets the same faults on every run.
 * All setters are safe to call while the emulator serves requests.
 */
public final class Faults {

    /** What happens to one request. */
    public enum Fault {
        NONE, THROTTLE, SERVER_ERROR, DROP
    }

    private final long seed;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong notifications = new AtomicLong();
    private volatile double throttleShare;
    private volatile double serverErrorShare;
    private volatile double dropShare;
    private volatile double missedNotificationShare;
    private volatile Duration latency = Duration.ZERO;
    private volatile Duration retryAfter = Duration.ofSeconds(1);
    private volatile long outageFrom = Long.MAX_VALUE;

    public Faults(long seed) {
        this.seed = seed;
    }

    /** Share (0..1) of requests answered 429 with {@code Retry-After}. */
    public Faults throttleShare(double share) {
        this.throttleShare = checkShare(share);
        return this;
    }

    /** Share (0..1) of requests answered with a 503/500/502. */
    public Faults serverErrorShare(double share) {
        this.serverErrorShare = checkShare(share);
        return this;
    }

    /** Share (0..1) of requests whose connection is closed without an answer. */
    public Faults dropShare(double share) {
        this.dropShare = checkShare(share);
        return this;
    }

    /** Share (0..1) of change notifications silently lost. */
    public Faults missedNotificationShare(double share) {
        this.missedNotificationShare = checkShare(share);
        return this;
    }

    /** Delay added before every answer. */
    public Faults latency(Duration latency) {
        this.latency = Objects.requireNonNull(latency, "latency cannot be null");
        return this;
    }

    /** The {@code Retry-After} sent with injected 429s (whole seconds, at least 1 on the wire; default 1 s). */
    public Faults retryAfter(Duration retryAfter) {
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter cannot be null");
        return this;
    }

    /**
     * Lets the next {@code requests} requests through (subject to the other knobs), then fails every later one
     * with a server error until {@link #reset()}: a run that breaks midway.
     */
    public Faults outageAfter(long requests) {
        if (requests < 0) {
            throw new IllegalArgumentException("requests cannot be negative");
        }
        this.outageFrom = this.requests.get() + requests + 1;
        return this;
    }

    /** Turns every fault off. */
    public Faults reset() {
        this.throttleShare = 0;
        this.serverErrorShare = 0;
        this.dropShare = 0;
        this.missedNotificationShare = 0;
        this.latency = Duration.ZERO;
        this.retryAfter = Duration.ofSeconds(1);
        this.outageFrom = Long.MAX_VALUE;
        return this;
    }

    public double throttleShare() {
        return this.throttleShare;
    }

    public double serverErrorShare() {
        return this.serverErrorShare;
    }

    public double dropShare() {
        return this.dropShare;
    }

    public double missedNotificationShare() {
        return this.missedNotificationShare;
    }

    public Duration latency() {
        return this.latency;
    }

    public Duration retryAfter() {
        return this.retryAfter;
    }

    /** Decides the fate of the next request. */
    public Fault nextRequest() {
        long n = this.requests.incrementAndGet();
        if (n >= this.outageFrom) {
            return Fault.SERVER_ERROR;
        }
        double roll = roll(n, 0x9E3779B97F4A7C15L);
        double throttle = this.throttleShare;
        double error = throttle + this.serverErrorShare;
        double drop = error + this.dropShare;
        if (roll < throttle) {
            return Fault.THROTTLE;
        }
        if (roll < error) {
            return Fault.SERVER_ERROR;
        }
        if (roll < drop) {
            return Fault.DROP;
        }
        return Fault.NONE;
    }

    /** Decides whether the next change notification is lost. */
    public boolean nextNotificationMissed() {
        return roll(this.notifications.incrementAndGet(), 0xC2B2AE3D27D4EB4FL) < this.missedNotificationShare;
    }

    /** A deterministic value in [0, 1) for the n-th event (SplitMix64 of seed and n). */
    public double roll(long n, long salt) {
        long z = this.seed + n * salt;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }

    private static double checkShare(double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("A share is between 0 and 1, got " + share);
        }
        return share;
    }
}
