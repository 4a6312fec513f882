package io.rollcall.jsondirectory;

import io.rollcall.sync.SyncHealth;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A company's JSON directory as the API and console show it. The token is never shown: only whether one is set.
 *
 * @param peopleUrl the people endpoint, e.g. {@code https://hr.acme.example/api/people}
 * @param token {@code "set"} when a bearer token is stored, else null
 * @param invitationPolicy {@code immediately} or {@code never}
 * @param assignManagers whether the directory's {@code managerId} becomes the override manager
 * @param fullSyncAt the daily full sync's time of day, UTC, {@code HH:mm}
 * @param sync whether the directory's people are getting through: the problem and since when
 */
@Schema(name = "JsonDirectorySetup")
public record JsonDirectorySetup(boolean configured, String peopleUrl, String token, String invitationPolicy,
		boolean assignManagers, String fullSyncAt, SyncHealth sync) {

	/** What an admin sends; a blank token keeps the stored one, null preferences keep theirs. */
	@Schema(name = "JsonDirectorySetupForm")
	public record Form(String peopleUrl, String token, String invitationPolicy, Boolean assignManagers,
			String fullSyncAt) {
	}

}
