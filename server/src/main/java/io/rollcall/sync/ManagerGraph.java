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

	/**
	 * How many people each person manages, in a whole company's graph (null in a lazy one, which knows only what it
	 * walked). Someone who manages nobody cannot be reached from anyone else, so a link that gives them a manager is
	 * known to close no loop without a walk. Without it, a run's links each walked their manager's chain to its top:
	 * 100,000 people in chains 2,000 deep took 14 s of planning (bench/RESULTS.md, fifteenth session). Counted at the
	 * first walk, from the links as they are then: a run whose links are all unchanged walks nothing, and counting a
	 * company's 100,000 links for it was a tenth of its managers' planning (JFR).
	 */
	private Map<UUID, Integer> reports;

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

	/** How many people each person manages now; null for a lazy graph (one with a loader). */
	private Map<UUID, Integer> reports() {
		if (this.reports == null && this.loader == null) {
			this.reports = new HashMap<>();
			this.known.values().forEach(manager -> this.reports.merge(manager, 1, Integer::sum));
		}
		return this.reports;
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
		UUID before = manager == null ? this.known.remove(person) : this.known.put(person, manager);
		// Counts not made yet are made from the links as they are when first needed, this one included.
		if (this.reports != null) {
			if (before != null) {
				this.reports.computeIfPresent(before, (m, count) -> count == 1 ? null : count - 1);
			}
			if (manager != null) {
				this.reports.merge(manager, 1, Integer::sum);
			}
		}
	}

	/** Whether following managers up from {@code from} reaches {@code target}. */
	boolean reaches(UUID from, UUID target) {
		Map<UUID, Integer> reports = reports();
		if (reports != null && !from.equals(target) && !reports.containsKey(target)) {
			return false;
		}
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
