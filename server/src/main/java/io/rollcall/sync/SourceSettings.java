package io.rollcall.sync;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A company's choices for one source.
 *
 * @param invitationPolicy {@code immediately}: new people are invited as they are created; {@code never}: an
 * admin invites them later from Individuals
 * @param assignManagers whether the source's manager becomes the person's override manager
 * @param deactivateMissing for file sources: whether people missing from a file are deactivated
 */
public record SourceSettings(@Schema(implementation = String.class) InvitationPolicy invitationPolicy,
		boolean assignManagers, boolean deactivateMissing) {

	public static SourceSettings defaults() {
		return new SourceSettings(InvitationPolicy.NEVER, true, false);
	}

	public boolean invitesImmediately() {
		return this.invitationPolicy == InvitationPolicy.IMMEDIATELY;
	}

}
