package io.rollcall.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.rollcall.csv.Uploads;
import io.rollcall.mapping.FieldMapping;

/**
 * An uploaded file's columns and what each becomes, so the admin sees which columns go where before applying.
 *
 * @param mappingsSaved whether the company's own CSV mappings are in use rather than the match by column name
 */
record CsvColumns(String filename, long rows, List<Column> columns, boolean mappingsSaved) {

	/** @param uses the targets the column fills; empty when the import ignores it */
	record Column(String name, List<String> uses) {
	}

	// The columns CsvSource reads beside the mappings, each list in the order it looks for them.
	private static final List<String> ID_COLUMNS = List.of("externalid", "id", "employeeid");

	private static final List<String> MANAGER_COLUMNS = List.of("manageremail", "manager", "managerid");

	private static final List<String> STATUS_COLUMNS = List.of("status", "active");

	static CsvColumns of(Uploads.Upload upload, List<FieldMapping> mappings, boolean mappingsSaved) {
		List<String> header = upload.header();
		String idColumn = first(header, ID_COLUMNS);
		String managerColumn = first(header, MANAGER_COLUMNS);
		String statusColumn = first(header, STATUS_COLUMNS);
		List<Column> columns = new ArrayList<>();
		for (String name : header) {
			List<String> uses = new ArrayList<>();
			for (FieldMapping mapping : mappings) {
				if (mapping.source() != null && mapping.source().equalsIgnoreCase(name)) {
					uses.add(mapping.target());
				}
			}
			if (name.equals(idColumn)) {
				uses.add("source id (matches people on later imports)");
			}
			if (name.equals(managerColumn)) {
				uses.add("manager (by e-mail or source id)");
			}
			if (name.equals(statusColumn)) {
				uses.add("active or not");
			}
			columns.add(new Column(name, List.copyOf(uses)));
		}
		return new CsvColumns(upload.filename(), upload.rows(), List.copyOf(columns), mappingsSaved);
	}

	private static String first(List<String> header, List<String> names) {
		for (String name : names) {
			for (String column : header) {
				if (column.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "").equals(name)) {
					return column;
				}
			}
		}
		return null;
	}

}
