package io.rollcall.emulators.okta;

import java.util.concurrent.atomic.AtomicLong;

import io.rollcall.emulators.http.Faults;

/**
 * Delivery knobs of event hooks, deterministic from the seed: a share of POSTs sent twice (at-least-once),
 * and a share of batches delivered out of order (one POST per event, newest first).
 */
public final class EventHookFaults {

    private final Faults rolls;
    private final AtomicLong batches = new AtomicLong();
    private volatile double duplicateShare;
    private volatile double reorderShare;

    EventHookFaults(long seed) {
        this.rolls = new Faults(seed);
    }

    /** Share (0..1) of POSTs delivered a second time. */
    public EventHookFaults duplicateShare(double share) {
        this.duplicateShare = check(share);
        return this;
    }

    /** Share (0..1) of batches split into single-event POSTs sent newest first. */
    public EventHookFaults reorderShare(double share) {
        this.reorderShare = check(share);
        return this;
    }

    public EventHookFaults reset() {
        this.duplicateShare = 0;
        this.reorderShare = 0;
        return this;
    }

    record Decision(boolean duplicate, boolean reorder) {
    }

    Decision nextBatch() {
        long n = this.batches.incrementAndGet();
        return new Decision(this.rolls.roll(n, 0x632BE59BD9B4E019L) < this.duplicateShare,
                this.rolls.roll(n, 0x85157AF5L) < this.reorderShare);
    }

    private static double check(double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("A share is between 0 and 1, got " + share);
        }
        return share;
    }
}
