package io.rollcall.csv;

import java.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.rollcall.mapping.DefaultMappings;
import io.rollcall.mapping.FieldMapping;
import io.rollcall.mapping.Mappings;
import io.rollcall.mapping.SourceRecord;
import io.rollcall.sync.Source;
import io.rollcall.sync.SourceReadException;
import io.rollcall.sync.SourceSettings;
import io.rollcall.sync.SyncRun;

import org.springframework.stereotype.Component;

/**
 * People from an uploaded CSV file. A row's id is its "external id" / "id" / "employee id" column when the file
 * has one, else its e-mail. Optional columns: "status" or "active" (inactive, deactivated, false, no, 0 disable
 * the account) and "manager" / "manager email" (the manager's e-mail or id; empty clears the manager).
 */
@Component
class CsvSource implements Source {

	private static final List<String> ID_COLUMNS = List.of("externalid", "id", "employeeid");

	private static final List<String> MANAGER_COLUMNS = List.of("manageremail", "manager", "managerid");

	private static final Set<String> DISABLED = Set.of("inactive", "deactivated", "disabled", "false", "no", "0",
			"suspended");

	private final Uploads uploads;

	private final Mappings mappings;

	CsvSource(Uploads uploads, Mappings mappings) {
		this.uploads = uploads;
		this.mappings = mappings;
	}

	@Override
	public String kind() {
		return CsvKind.SOURCE.kind();
	}

	@Override
	public void read(SyncRun run, RecordSink sink) {
		byte[] content = content(run);
		List<FieldMapping> fieldMappings = this.mappings.saved(run.companyId(), kind())
			.orElseGet(() -> defaultMappings(run));
		String emailColumn = fieldMappings.stream()
			.filter(m -> "email".equals(m.target()) && m.source() != null)
			.map(FieldMapping::source)
			.findFirst()
			.orElse(null);
		try (CsvReader reader = new CsvReader(new ByteArrayInputStream(content))) {
			List<String> header = reader.header();
			String idColumn = column(header, ID_COLUMNS);
			String managerColumn = column(header, MANAGER_COLUMNS);
			String statusColumn = column(header, List.of("status", "active"));
			if (idColumn == null && emailColumn == null) {
				throw SourceReadException.permanent(
						"The file has no column for e-mail addresses (nor an id column); name one 'email' or map one to email");
			}
			for (CsvRow row : reader) {
				String position = "line " + row.line();
				String id = idColumn == null ? null : blankToNull(row.get(idColumn));
				if (id == null) {
					String email = emailColumn == null ? null : blankToNull(row.get(emailColumn));
					id = email == null ? null : email.toLowerCase(Locale.ROOT);
				}
				if (id == null) {
					sink.problem(position, "no " + (idColumn == null ? "e-mail address" : "id or e-mail address")
							+ "; the row is skipped");
					continue;
				}
				String status = statusColumn == null ? null : blankToNull(row.get(statusColumn));
				boolean enabled = status == null || !DISABLED.contains(status.toLowerCase(Locale.ROOT));
				String manager = managerColumn == null ? null
						: (row.get(managerColumn) == null ? "" : row.get(managerColumn).strip());
				Map<String, String> attributes = new HashMap<>(row.values());
				sink.record(new SourceRecord(id, attributes, enabled, manager, null, List.of()), position);
			}
		}
		catch (CsvFormatException ex) {
			throw SourceReadException.permanent("The file is not valid CSV: " + ex.getMessage());
		}
	}

	@Override
	public List<FieldMapping> defaultMappings(SyncRun run) {
		try (CsvReader reader = new CsvReader(new ByteArrayInputStream(content(run)))) {
			return DefaultMappings.forColumns(reader.header());
		}
	}

	/** Only when asked: a file may well hold just the people to add or change. */
	@Override
	public boolean deactivatesMissing(SyncRun run, SourceSettings settings) {
		Object option = run.options().get(SyncRun.DEACTIVATE_MISSING);
		return option instanceof Boolean b ? b : settings.deactivateMissing();
	}

	private byte[] content(SyncRun run) {
		if (run.inputId() == null) {
			throw SourceReadException.permanent("This run has no file to read; upload one first");
		}
		return this.uploads.content(run.companyId(), run.inputId())
			.orElseThrow(() -> SourceReadException.permanent("The uploaded file of this run is gone"));
	}

	private static String column(List<String> header, List<String> names) {
		for (String name : names) {
			for (String column : header) {
				if (column.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "").equals(name)) {
					return column;
				}
			}
		}
		return null;
	}

	private static String blankToNull(String value) {
		return value == null || value.isBlank() ? null : value.strip();
	}

}
