package io.rollcall.emulators.okta;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.rollcall.emulators.http.HttpCall;

/**
 * Okta's per-endpoint rate limits: a budget per endpoint family per window; every answer carries
 * {@code X-Rate-Limit-Limit}, {@code -Remaining} and {@code -Reset} (epoch seconds when the window ends).
 */
final class RateLimits {

    private static final class Window {
        long start;
        int used;
    }

    private final OktaEmulator emulator;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private volatile int limitOverride;

    RateLimits(OktaEmulator emulator) {
        this.emulator = emulator;
    }

    /** Changes the budget per window at run time (0 = back to the start-up option). */
    void limit(int perWindow) {
        this.limitOverride = perWindow;
    }

    int limit() {
        return this.limitOverride > 0 ? this.limitOverride : this.emulator.options().rateLimit();
    }

    /** Counts one request of a family, writes the headers, and answers false (after a 429) when over budget. */
    boolean admit(HttpCall call, String family) {
        long windowMillis = this.emulator.options().rateLimitWindow().toMillis();
        long now = this.emulator.clock().millis();
        long start = now - Math.floorMod(now, windowMillis);
        int limit = limit();
        int used;
        Window window = this.windows.computeIfAbsent(family, key -> new Window());
        synchronized (window) {
            if (window.start != start) {
                window.start = start;
                window.used = 0;
            }
            used = ++window.used;
        }
        long reset = Instant.ofEpochMilli(start + windowMillis).getEpochSecond();
        call.responseHeader("X-Rate-Limit-Limit", Integer.toString(limit));
        call.responseHeader("X-Rate-Limit-Remaining", Integer.toString(Math.max(0, limit - used)));
        call.responseHeader("X-Rate-Limit-Reset", Long.toString(reset));
        if (used > limit) {
            tooMany(call);
            return false;
        }
        return true;
    }

    void tooMany(HttpCall call) {
        this.emulator.counters().add("throttled", 1);
        ManagementApi.error(call, OktaErrors.E0000047);
    }
}
