package io.rollcall.scim;

import io.rollcall.platform.RequestRejectedException;

/** What a SCIM DELETE of a user does in a company. */
public enum DeleteMode {

	/** The person is deactivated: nothing is lost. */
	DEACTIVATE("deactivate"),

	/** The person is removed. */
	DELETE("delete");

	private final String value;

	DeleteMode(String value) {
		this.value = value;
	}

	/** As stored in {@code scim_settings.delete_mode}, sent by forms and shown in the API. */
	@com.fasterxml.jackson.annotation.JsonValue
	public String value() {
		return this.value;
	}

	/** The mode named {@code value}; anything else is refused with what to send instead. */
	public static DeleteMode of(String value) {
		for (DeleteMode mode : values()) {
			if (mode.value.equals(value)) {
				return mode;
			}
		}
		throw RequestRejectedException.invalid("deleteMode",
				"'deleteMode' must be deactivate (a SCIM DELETE deactivates the person) or delete (removes them)");
	}

}
