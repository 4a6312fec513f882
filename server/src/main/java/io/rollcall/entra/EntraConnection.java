package io.rollcall.entra;

import java.time.Instant;
import java.util.UUID;

import io.rollcall.connector.DailySync;

/**
 * A company's link to its Entra ID tenant, with its secrets opened: it never leaves this package.
 *
 * @param fullSyncAt the time of day (UTC, HH:mm) of the daily full reconciliation
 */
record EntraConnection(UUID companyId, String tenantId, String groupId, String clientId, String clientSecret,
		GraphCloud cloud, String fullSyncAt, Instant consentedAt, String usersDeltaLink, long rejectedNotifications,
		String lastError) implements DailySync.Schedule {

	boolean authorised() {
		return this.consentedAt != null;
	}

}
