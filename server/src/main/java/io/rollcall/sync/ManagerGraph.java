package io.rollcall.sync;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Who manages whom, to keep new manager links from closing a loop: the whole company's links for a run, looked up
 * person by person for a single record.
 */
final class ManagerGraph {

	private final Map<UUID, UUID> known;

	private final Function<UUID, UUID> loader;

	private final Set<UUID> loaded = new HashSet<>();

	private ManagerGraph(Map<UUID, UUID> known, Function<UUID, UUID> loader) {
		this.known = known;
		this.loader = loader;
	}

	/** @param all every person's override manager, by person */
	static ManagerGraph of(Map<UUID, UUID> all) {
		return new ManagerGraph(all, null);
	}

	/** @param loader a person's override manager, or null; asked once for each person walked through */
	static ManagerGraph lazy(Function<UUID, UUID> loader) {
		return new ManagerGraph(new HashMap<>(), loader);
	}

	UUID get(UUID person) {
		if (this.loader != null && !this.known.containsKey(person) && this.loaded.add(person)) {
			UUID manager = this.loader.apply(person);
			if (manager != null) {
				this.known.put(person, manager);
			}
		}
		return this.known.get(person);
	}

	void put(UUID person, UUID manager) {
		this.loaded.add(person);
		if (manager == null) {
			this.known.remove(person);
		}
		else {
			this.known.put(person, manager);
		}
	}

	/** Whether following managers up from {@code from} reaches {@code target}. */
	boolean reaches(UUID from, UUID target) {
		UUID current = from;
		// A chain longer than any company is a loop that does not pass through the target.
		for (int steps = 0; current != null && steps <= 1_000_000; steps++) {
			if (current.equals(target)) {
				return true;
			}
			current = get(current);
		}
		return false;
	}

}
