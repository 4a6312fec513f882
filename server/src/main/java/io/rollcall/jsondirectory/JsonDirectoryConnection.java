package io.rollcall.jsondirectory;

import java.util.UUID;

import io.rollcall.connector.DailySync;

/**
 * A company's link to its JSON directory, with its token opened: it never leaves this package.
 *
 * @param peopleUrl the people endpoint, listed page by page from {@code {peopleUrl}?limit=N}
 * @param token the bearer token the endpoint wants, or null while none is saved
 * @param fullSyncAt the time of day (UTC, HH:mm) of the daily full sync
 */
record JsonDirectoryConnection(UUID companyId, String peopleUrl, String token,
		String fullSyncAt) implements DailySync.Schedule {

}
