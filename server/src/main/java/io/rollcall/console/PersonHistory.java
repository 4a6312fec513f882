package io.rollcall.console;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.rollcall.audit.AuditEntry;
import io.rollcall.audit.AuditLog;
import io.rollcall.audit.FieldChange;
import io.rollcall.directory.People;
import io.rollcall.directory.Person;
import io.rollcall.directory.Team;
import io.rollcall.directory.Teams;

import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

/**
 * Reads a person's audit history for the person page. The log keeps ids (of teams, managers), which mean nothing
 * to an admin, so they are shown as names; an id that no longer names anything is shown as it is.
 */
@Component
final class PersonHistory {

	// Fields that hold ids of teams or people, whose values are shown as names (unlike, say, employeeId).
	private static final Set<String> REFERENCES = Set.of("primaryTeamId", "secondaryTeamIds", "overrideManagerId",
			"managerId", "parentId", "managerIds");

	private final AuditLog audit;

	private final Teams teams;

	private final People people;

	PersonHistory(AuditLog audit, Teams teams, People people) {
		Assert.notNull(audit, "audit cannot be null");
		Assert.notNull(teams, "teams cannot be null");
		Assert.notNull(people, "people cannot be null");
		this.audit = audit;
		this.teams = teams;
		this.people = people;
	}

	/** Newest first; {@code older} continues below the entry with that id, for the next page. */
	record Lines(List<HistoryLine> lines, Long older) {
	}

	Lines of(UUID companyId, UUID personId, Long before, int limit) {
		List<AuditEntry> entries = this.audit.list(companyId, personId, before, limit);
		Set<UUID> ids = new LinkedHashSet<>();
		for (AuditEntry entry : entries) {
			for (FieldChange change : entry.changes().values()) {
				collectIds(change.from(), ids);
				collectIds(change.to(), ids);
			}
		}
		Map<String, String> names = new HashMap<>();
		if (!ids.isEmpty()) {
			for (Team team : this.teams.list(companyId)) {
				names.put(team.id().toString(), team.name());
			}
			List<UUID> unnamed = ids.stream().filter(id -> !names.containsKey(id.toString())).toList();
			for (Person person : this.people.load(companyId, unnamed)) {
				names.put(person.id().toString(), person.displayName());
			}
		}
		List<HistoryLine> lines = new ArrayList<>();
		for (AuditEntry entry : entries) {
			List<HistoryLine.Change> changes = new ArrayList<>();
			entry.changes()
				.forEach((field, change) -> changes.add(new HistoryLine.Change(label(field),
						show(change.from(), names), show(change.to(), names))));
			lines.add(new HistoryLine(entry.id(), entry.at(), entry.actor().label(), entry.action(),
					changes));
		}
		Long older = entries.size() == limit ? entries.getLast().id() : null;
		return new Lines(lines, older);
	}

	/** {@code primaryTeamId} reads as "primary team", {@code customFields.cost_centre} as "cost_centre". */
	static String label(String field) {
		String name = field.startsWith("customFields.") ? field.substring("customFields.".length()) : field;
		if (REFERENCES.contains(name)) {
			name = name.substring(0, name.lastIndexOf('I'));
		}
		return name.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
	}

	private static String show(Object value, Map<String, String> names) {
		if (value == null) {
			return "—";
		}
		if (value instanceof Collection<?> values) {
			return values.isEmpty() ? "—"
					: values.stream().map(v -> show(v, names)).collect(Collectors.joining(", "));
		}
		String text = String.valueOf(value);
		return names.getOrDefault(text, text);
	}

	private static void collectIds(Object value, Set<UUID> ids) {
		if (value instanceof Collection<?> values) {
			values.forEach(v -> collectIds(v, ids));
		}
		else if (value instanceof String text && text.length() == 36) {
			try {
				ids.add(UUID.fromString(text));
			}
			catch (IllegalArgumentException ex) {
				// Text that only looks like an id: shown as it is.
			}
		}
	}

}
