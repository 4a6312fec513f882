package io.rollcall.emulators.entra;

import java.time.Instant;

/** Graph's identity throttling budget: resource units per app and tenant in fixed 10-second windows. */
final class ResourceUnits {

    static final long WINDOW_MILLIS = 10_000;

    private long windowStart = Long.MIN_VALUE;
    private long used;
    private long spent;

    /**
     * Charges a request.
     * @return 0 when allowed, else the seconds until the window resets (for {@code Retry-After})
     */
    synchronized long charge(int cost, int limit, Instant now) {
        long window = Math.floorDiv(now.toEpochMilli(), WINDOW_MILLIS) * WINDOW_MILLIS;
        if (window != this.windowStart) {
            this.windowStart = window;
            this.used = 0;
        }
        if (this.used + cost > limit) {
            long left = this.windowStart + WINDOW_MILLIS - now.toEpochMilli();
            return Math.max(1, (left + 999) / 1000);
        }
        this.used += cost;
        this.spent += cost;
        return 0;
    }

    /** Percentage of this window's budget used. */
    synchronized int percentUsed(int limit) {
        return (int) Math.min(100, this.used * 100 / Math.max(1, limit));
    }

    synchronized long spent() {
        return this.spent;
    }
}
