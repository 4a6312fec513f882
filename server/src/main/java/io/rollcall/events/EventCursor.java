package io.rollcall.events;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.rollcall.platform.RequestRejectedException;

/**
 * A place in a company's feed: after the event {@code eventId} of the transaction that committed at
 * {@code position}. Opaque to consumers, so its form may change; {@link #START} is before every event.
 */
record EventCursor(long position, long eventId) implements Comparable<EventCursor> {

	static final EventCursor START = new EventCursor(0, 0);

	/** After every event of the transaction at this position. */
	static EventCursor endOf(long position) {
		return new EventCursor(position, Long.MAX_VALUE);
	}

	String encode() {
		String raw = this.position + ":" + this.eventId;
		return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
	}

	static EventCursor decode(String cursor) {
		if (cursor == null || cursor.isBlank()) {
			return START;
		}
		try {
			String[] parts = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.US_ASCII)
				.split(":", -1);
			if (parts.length != 2) {
				throw new IllegalArgumentException();
			}
			EventCursor decoded = new EventCursor(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
			if (decoded.position < 0 || decoded.eventId < 0) {
				throw new IllegalArgumentException();
			}
			return decoded;
		}
		catch (IllegalArgumentException ex) {
			throw RequestRejectedException.invalid("after",
					"'after' is not a cursor Rollcall gave out; pass the nextCursor of the previous answer, or nothing to "
							+ "read from the oldest event kept");
		}
	}

	@Override
	public int compareTo(EventCursor other) {
		int byPosition = Long.compare(this.position, other.position);
		return byPosition != 0 ? byPosition : Long.compare(this.eventId, other.eventId);
	}

}
