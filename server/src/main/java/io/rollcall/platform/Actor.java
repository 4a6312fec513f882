package io.rollcall.platform;

import java.util.Objects;

/**
 * Who made a change: recorded with every audit entry.
 *
 * @param type a person, an API key, a sync source, the operator or Rollcall itself
 * @param id the person's or key's id, the source's name; null for the system
 * @param label what an admin reads in the history, e.g. an email address or "API key ci-bot"
 */
public record Actor(Type type, String id, String label) {

	public enum Type {
		PERSON, API_KEY, SOURCE, OPERATOR, SYSTEM;

		@com.fasterxml.jackson.annotation.JsonValue
		public String json() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}
	}

	public Actor {
		Objects.requireNonNull(type, "type cannot be null");
		Objects.requireNonNull(label, "label cannot be null");
	}

	public static Actor system() {
		return new Actor(Type.SYSTEM, null, "Rollcall");
	}

	public static Actor operator() {
		return new Actor(Type.OPERATOR, null, "Operator");
	}

}
