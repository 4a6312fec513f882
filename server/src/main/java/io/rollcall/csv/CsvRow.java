package io.rollcall.csv;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One row of a CSV file after its header.
 *
 * @param line the 1-based physical line where the row starts (a quoted value with line breaks makes a row span
 * several lines)
 * @param values the row's values by header name, in header order; values are trimmed, and a column whose value is
 * empty is absent, so a present value is never blank
 */
public record CsvRow(long line, Map<String, String> values) {

	public CsvRow {
		Objects.requireNonNull(values, "values cannot be null");
		values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
	}

	/**
	 * The value in the named column, or null when the row leaves it empty or there is no such column. Names compare
	 * without regard to case, as people type headers by hand.
	 */
	public String get(String header) {
		String value = this.values.get(header);
		if (value != null) {
			return value;
		}
		for (Map.Entry<String, String> entry : this.values.entrySet()) {
			if (entry.getKey().equalsIgnoreCase(header)) {
				return entry.getValue();
			}
		}
		return null;
	}

}
