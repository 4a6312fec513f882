package io.rollcall.directory;

public enum PersonStatus {
	ACTIVE, DEACTIVATED;

	@com.fasterxml.jackson.annotation.JsonValue
	public String column() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

	@com.fasterxml.jackson.annotation.JsonCreator
	public static PersonStatus of(String column) {
		return valueOf(column.strip().toUpperCase(java.util.Locale.ROOT));
	}
}
