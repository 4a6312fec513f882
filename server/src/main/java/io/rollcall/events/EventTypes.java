package io.rollcall.events;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.rollcall.platform.RequestRejectedException;

/**
 * The event types a consumer wants: exact ({@code person.deactivated}) or every type under a prefix
 * ({@code person.*}); none given means all.
 */
record EventTypes(List<String> exact, List<String> prefixes) {

	private static final Pattern TYPE = Pattern.compile("^[a-z][a-z_]*(\\.[a-z][a-z_]*)*(\\.\\*)?$");

	static final EventTypes ALL = new EventTypes(List.of(), List.of());

	boolean all() {
		return this.exact.isEmpty() && this.prefixes.isEmpty();
	}

	/** From a comma-separated list, each entry checked so that a typo is refused instead of matching nothing. */
	static EventTypes parse(String list) {
		if (list == null || list.isBlank()) {
			return ALL;
		}
		List<String> exact = new ArrayList<>();
		List<String> prefixes = new ArrayList<>();
		for (String entry : list.split(",")) {
			String type = entry.strip();
			if (type.isEmpty()) {
				continue;
			}
			if (!TYPE.matcher(type).matches()) {
				throw RequestRejectedException.invalid("types", "'" + type
						+ "' is not an event type; name types like person.created, or every type of a subject like person.*");
			}
			if (type.endsWith(".*")) {
				prefixes.add(type.substring(0, type.length() - 1));
			}
			else {
				exact.add(type);
			}
		}
		return new EventTypes(List.copyOf(exact), List.copyOf(prefixes));
	}

}
