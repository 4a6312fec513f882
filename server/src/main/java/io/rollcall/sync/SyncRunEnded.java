package io.rollcall.sync;

import java.util.UUID;

/**
 * A run stopped being active (succeeded, failed, previewed or discarded), published as its status is stored (inside
 * the transaction that stores it, when there is one): work waiting for the end of the company's run of this source
 * can go on without polling for it.
 */
public record SyncRunEnded(UUID runId, UUID companyId, String source, RunStatus status) {

	public SyncRunEnded {
		java.util.Objects.requireNonNull(runId, "runId cannot be null");
		java.util.Objects.requireNonNull(companyId, "companyId cannot be null");
		java.util.Objects.requireNonNull(source, "source cannot be null");
	}

}
