package io.rollcall.events;

import java.util.List;

/**
 * Events in commit order and where to resume: {@code nextCursor} is never null, so a consumer always passes the
 * last one it got, whether or not the page had events.
 */
public record EventPage(List<Event> items, String nextCursor) {
}
