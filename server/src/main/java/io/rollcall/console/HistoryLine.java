package io.rollcall.console;

import java.time.Instant;
import java.util.List;

/**
 * One audit entry as the person page shows it: ids already turned into names.
 *
 * @param action as recorded, e.g. {@code invitation_sent}
 */
record HistoryLine(long id, Instant at, String who, String action, List<Change> changes) {

	record Change(String field, String from, String to) {
	}

}
