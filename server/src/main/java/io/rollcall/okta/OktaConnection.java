package io.rollcall.okta;

import java.util.UUID;

import io.rollcall.connector.DailySync;

/**
 * A company's link to its Okta org, with its secrets opened: it never leaves this package.
 *
 * @param authMethod {@code token} (an API token, SSWS) or {@code oauth} (a service app's client credentials)
 * @param fullSyncAt the time of day (UTC, HH:mm) of the daily full sync
 */
record OktaConnection(UUID companyId, String orgUrl, String authorizationServer, String authMethod, String apiToken,
		String clientId, String clientSecret, String appId, boolean hookSecretSet, String pictureAttribute,
		boolean allowPrivatePictures, String fullSyncAt, long rejectedDeliveries) implements DailySync.Schedule {

}
