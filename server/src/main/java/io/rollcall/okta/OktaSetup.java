package io.rollcall.okta;

import io.rollcall.sync.SyncHealth;

/**
 * A company's Okta integration as the API and console show it. Secrets are never shown: only whether one is set.
 * The event-hook secret is shown once, in {@code eventHookSecret}, in the answer that generated it.
 *
 * @param authorizationServer for sign-in: {@code org} or a custom server's id ({@code default} built in)
 * @param authMethod {@code token} or {@code oauth}
 * @param apiToken {@code "set"} when an API token is stored, else null
 * @param clientSecret {@code "set"} when the service app's secret is stored, else null
 * @param appId the Rollcall app's id in Okta; only people assigned to it are synced
 * @param eventHookUrl where to point the event hook in Okta
 * @param eventHookSecretSet whether an event-hook secret was generated
 * @param eventHookSecret the new secret, only in the answer that generated it; paste it as the hook's Authorization
 * @param invitationPolicy {@code immediately} or {@code never}
 * @param assignManagers whether Okta's manager becomes the override manager
 * @param pictureAttribute the profile attribute holding a picture URL
 * @param allowPrivatePictures whether picture URLs may point at private or local addresses
 * @param fullSyncAt the daily full sync's time of day, UTC, {@code HH:mm}
 * @param rejectedDeliveries deliveries on this company's address refused for a wrong secret
 * @param sync whether Okta's changes are getting through: the problem and since when, the changes waiting
 */
public record OktaSetup(boolean configured, String orgUrl, String authorizationServer, String authMethod,
		String apiToken, String clientId, String clientSecret, String appId, String eventHookUrl,
		boolean eventHookSecretSet,
		String eventHookSecret, String invitationPolicy, boolean assignManagers, String pictureAttribute,
		boolean allowPrivatePictures, String fullSyncAt, long rejectedDeliveries, SyncHealth sync) {

	OktaSetup withSecret(String secret) {
		return new OktaSetup(this.configured, this.orgUrl, this.authorizationServer, this.authMethod, this.apiToken,
				this.clientId, this.clientSecret, this.appId, this.eventHookUrl, true, secret, this.invitationPolicy,
				this.assignManagers, this.pictureAttribute, this.allowPrivatePictures, this.fullSyncAt,
				this.rejectedDeliveries,
				this.sync);
	}

	/**
	 * What an admin sends; blank secrets keep the stored ones, null preferences keep theirs.
	 *
	 * @param authMethod {@code token} (default when an API token is given) or {@code oauth}
	 */
	@io.swagger.v3.oas.annotations.media.Schema(name = "OktaSetupForm")
	public record Form(String orgUrl, String authorizationServer, String authMethod, String apiToken, String clientId,
			String clientSecret, String appId, String invitationPolicy, Boolean assignManagers, String pictureAttribute,
			Boolean allowPrivatePictures, String fullSyncAt) {
	}

}
