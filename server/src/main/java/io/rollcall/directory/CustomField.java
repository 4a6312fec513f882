package io.rollcall.directory;

import java.util.UUID;

/** A field a company added to its people's profiles, e.g. {@code cost_centre}. */
public record CustomField(UUID id, String key, String label, Type type) {

	public enum Type {
		TEXT, NUMBER, DATE, BOOLEAN;

		@com.fasterxml.jackson.annotation.JsonValue
		public String column() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

		@com.fasterxml.jackson.annotation.JsonCreator
		public static Type of(String value) {
			return valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
		}
	}

}
