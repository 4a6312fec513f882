package io.rollcall.sync;

import java.time.Instant;
import java.util.UUID;

/**
 * Why a source's changes are not coming in, as the integration's page and API show it.
 *
 * @param runId the run that fails
 * @param message why its latest attempt failed
 * @param since the first failure not yet followed by a success
 * @param attempts failed attempts of that run
 * @param nextAttemptAt when it is tried again on its own; null when it failed for good (it needs an admin)
 */
public record SyncProblem(UUID runId, String message, Instant since, int attempts, Instant nextAttemptAt) {
}
