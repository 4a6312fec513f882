package io.rollcall.directory;

/**
 * How a person came to be linked to their id in a source. Only a link made while provisioning lets the source
 * deactivate the person when it no longer lists them: a sign-in proves who someone is, not that the source manages
 * them (seed 001: provisioning and single sign-on are usable apart or together).
 */
public enum LinkedBy {

	/** A sync (a run, a change notification, an event hook, a SCIM push) created or matched the person. */
	SYNC("sync"),

	/** The person signed in with the source's single sign-on; the source's syncs adopt them only if they list them. */
	SIGN_IN("sign-in");

	/** The audit change recording how an identity is linked, e.g. {@code sign-in → sync} when a sync adopts one. */
	public static final String CHANGE = "linkedBy";

	private final String column;

	LinkedBy(String column) {
		this.column = column;
	}

	/** As stored in {@code person_identity.linked_by} and shown in the history. */
	@com.fasterxml.jackson.annotation.JsonValue
	public String column() {
		return this.column;
	}

	/** The kind stored as {@code column}. */
	public static LinkedBy of(String column) {
		for (LinkedBy linkedBy : values()) {
			if (linkedBy.column.equals(column)) {
				return linkedBy;
			}
		}
		throw new IllegalArgumentException("No link kind " + column);
	}

}
