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
 * @param retried whether Rollcall tries it again on its own; false when it failed for good (it needs an admin)
 * @param nextAttemptAt when it is tried next; null while an attempt is under way, or when it is not retried
 */
public record SyncProblem(UUID runId, String message, Instant since, int attempts, boolean retried,
		Instant nextAttemptAt) {
}
