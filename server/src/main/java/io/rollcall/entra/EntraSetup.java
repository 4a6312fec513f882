package io.rollcall.entra;

import java.time.Instant;
import java.util.List;

import io.rollcall.sync.SyncHealth;

/**
 * A company's Entra ID integration as the API and console show it. The client secret is never shown: only whether
 * one is set.
 *
 * @param tenantId masked once saved ({@code ••••••••-…-1a2b}): only its last four characters are shown
 * @param clientSecret {@code "set"} when a secret is stored, else null
 * @param cloud {@code global}, {@code usGov}, {@code china} or {@code custom}
 * @param authorityUrl the sign-in authority (without tenant); for {@code custom} the one given
 * @param graphUrl Graph's base with its version; for {@code custom} the one given
 * @param invitationPolicy {@code immediately} or {@code never}
 * @param assignManagers whether Entra's managers become override managers
 * @param fullSyncAt the daily full sync's time of day, UTC, {@code HH:mm}
 * @param authorised whether admin consent was given
 * @param problem the latest problem with change notifications, or null
 * @param rejectedNotifications notification items dropped because their clientState did not match
 * @param sync whether Entra's changes are getting through: the problem and since when, the changes waiting
 */
public record EntraSetup(boolean configured, String tenantId, String groupId, String clientId, String clientSecret,
		String cloud, String authorityUrl, String graphUrl, String invitationPolicy, boolean assignManagers,
		String fullSyncAt, boolean authorised, Instant consentedAt, String problem, long rejectedNotifications,
		List<SubscriptionStatus> subscriptions, SyncHealth sync) {

	/** One Graph subscription: what it watches and until when. */
	public record SubscriptionStatus(String id, String resource, String status, Instant expiresAt, Instant renewedAt,
			Instant lastNotifiedAt) {
	}

	/**
	 * What an admin sends to set the integration up; a null or blank {@code clientSecret} keeps the stored one, a
	 * null, blank or masked {@code tenantId} (as {@link EntraSetup} shows it) the stored tenant, and null preferences
	 * keep theirs.
	 */
	@io.swagger.v3.oas.annotations.media.Schema(name = "EntraSetupForm")
	public record Form(String tenantId, String groupId, String clientId, String clientSecret, String cloud,
			String authorityUrl, String graphUrl, String invitationPolicy, Boolean assignManagers, String fullSyncAt) {
	}

}
