package io.rollcall.sync;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.rollcall.platform.RequestRejectedException;

/** When the people a source creates are invited to sign in. */
public enum InvitationPolicy {

	/** As they are created, once the run has made them. */
	IMMEDIATELY("immediately"),

	/** Never on its own: an admin invites them later from Individuals. */
	NEVER("never");

	private final String value;

	InvitationPolicy(String value) {
		this.value = value;
	}

	/** As stored in {@code sync_source_settings.invitation_policy}, sent by forms and shown in the API. */
	@JsonValue
	public String value() {
		return this.value;
	}

	/** The policy named {@code value}; anything else is refused with what to send instead. */
	@JsonCreator
	public static InvitationPolicy of(String value) {
		for (InvitationPolicy policy : values()) {
			if (policy.value.equals(value)) {
				return policy;
			}
		}
		throw invalid();
	}

	static RequestRejectedException invalid() {
		return RequestRejectedException.invalid("invitationPolicy",
				"'invitationPolicy' must be immediately (invite people as they are created) or never (invite them later from Individuals)");
	}

}
