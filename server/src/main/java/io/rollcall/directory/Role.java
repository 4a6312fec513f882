package io.rollcall.directory;

/** Owners and admins run the company in the console; learners only learn. */
public enum Role {
	OWNER, ADMIN, LEARNER;

	@com.fasterxml.jackson.annotation.JsonValue
	public String column() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

	@com.fasterxml.jackson.annotation.JsonCreator
	public static Role of(String column) {
		return valueOf(column.strip().toUpperCase(java.util.Locale.ROOT));
	}

	public boolean runsConsole() {
		return this != LEARNER;
	}
}
