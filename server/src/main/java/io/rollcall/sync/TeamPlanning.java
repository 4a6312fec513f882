package io.rollcall.sync;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import io.rollcall.audit.FieldChange;
import io.rollcall.directory.Person;

/**
 * The teams a run names: a person's primary team is compared by name in any letter case, and a team nobody has
 * yet is created once (in the letter case it was first named in), before anyone joins it.
 */
final class TeamPlanning {

	private final Supplier<Map<UUID, String>> reader;

	/** The company's teams by id; read on first need (a pushed record without a team never needs them). */
	private Map<UUID, String> names;

	private final Set<String> existing = new HashSet<>();

	private final Map<String, String> toCreate = new LinkedHashMap<>();

	/** @param names reads the company's team names by id, once */
	TeamPlanning(Supplier<Map<UUID, String>> names) {
		this.reader = names;
	}

	private Map<UUID, String> names() {
		if (this.names == null) {
			this.names = this.reader.get();
			this.names.values().forEach(name -> this.existing.add(name.toLowerCase(Locale.ROOT)));
		}
		return this.names;
	}

	/**
	 * The change of the person's primary team to the one the source names, or null when it is the same.
	 *
	 * @param person null for a new person
	 * @param named the team's name as the source gives it; blank or null for none
	 */
	FieldChange primaryTeamChange(Person person, String named) {
		String team = named == null || named.isBlank() ? null : named.strip();
		String current = person == null || person.primaryTeamId() == null ? null
				: names().get(person.primaryTeamId());
		if (team != null && !exists(team)) {
			this.toCreate.putIfAbsent(team.toLowerCase(Locale.ROOT), team);
		}
		return (team == null ? current == null : team.equalsIgnoreCase(current)) ? null
				: new FieldChange(current, team);
	}

	private boolean exists(String name) {
		names();
		return this.existing.contains(name.toLowerCase(Locale.ROOT));
	}

	/** A team item for every team the run named that nobody has yet. */
	void plan(PlanSink sink) {
		for (String team : this.toCreate.values()) {
			sink.add(PlanKind.TEAM, null, null, team, Map.of("name", new FieldChange(null, team)), null);
		}
	}

}
