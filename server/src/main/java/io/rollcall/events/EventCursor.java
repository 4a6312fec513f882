package io.rollcall.events;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.rollcall.platform.RequestRejectedException;

/**
 * A place in the feed: after the event at {@code position}. Opaque to consumers, so its form may change;
 * {@link #START} is before every event.
 */
record EventCursor(long position) {

	static final EventCursor START = new EventCursor(0);

	private static final String PREFIX = "p1:";

	String encode() {
		String raw = PREFIX + this.position;
		return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
	}

	static EventCursor decode(String cursor) {
		if (cursor == null || cursor.isBlank()) {
			return START;
		}
		try {
			String raw = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.US_ASCII);
			if (!raw.startsWith(PREFIX)) {
				throw new IllegalArgumentException();
			}
			long position = Long.parseLong(raw.substring(PREFIX.length()));
			if (position < 0) {
				throw new IllegalArgumentException();
			}
			return new EventCursor(position);
		}
		catch (IllegalArgumentException ex) {
			throw RequestRejectedException.invalid("after",
					"'after' is not a cursor Rollcall gave out; pass the nextCursor of the previous answer, or nothing to "
							+ "read from the oldest event kept");
		}
	}

}
