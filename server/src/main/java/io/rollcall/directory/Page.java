package io.rollcall.directory;

import java.util.List;

/** One page of a list; {@code nextCursor} fetches the next one and is null on the last page. */
public record Page<T>(List<T> items, String nextCursor) {
}
