package io.rollcall.sync;

import java.time.Instant;

/**
 * How a source's changes are coming in, as the integration's page and API show it.
 *
 * @param problem why they are not, while that lasts; null while runs succeed
 * @param changesWaiting the provider's changes not yet brought in: queued for a run, or in a run that has not
 * succeeded yet
 * @param lastSucceededAt when a run of this source last succeeded (the directory was in step then)
 */
public record SyncHealth(SyncProblem problem, long changesWaiting, Instant lastSucceededAt) {
}
