package io.rollcall.sync;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import io.rollcall.audit.FieldChange;
import io.rollcall.company.Company;
import io.rollcall.directory.Person;
import io.rollcall.directory.Role;
import io.rollcall.mapping.SourceRecord;

/**
 * Who leaves, and who comes back. A person is deactivated when their account is disabled in the source, when a full
 * listing no longer has them, or when the source saw them leave its scope, never the company's owner; a disabled
 * account comes back when enabled again. A run that would deactivate too many at once, or too many with what syncs
 * deactivated in the last day, is held for an admin (the safety hold).
 */
final class Departures {

	static final Map<String, FieldChange> DEACTIVATED = Map.of("status", new FieldChange("active", "deactivated"));

	/** External ids the source saw leave its scope in this run, with where it saw it. */
	private final Map<String, String> departed = new LinkedHashMap<>();

	/** The source saw this person leave its scope (an incremental run); the first sighting is kept. */
	void departed(String externalId, String position) {
		this.departed.putIfAbsent(externalId, position);
	}

	/** The external ids seen leaving that the run did not also list: the people to look up. */
	List<String> leaving(Predicate<String> listed) {
		return this.departed.keySet().stream().filter(id -> !listed.test(id)).toList();
	}

	/** Whether a sync may deactivate the person: an active person who is not the company's owner. */
	static boolean deactivatable(boolean active, Role role) {
		return active && role != Role.OWNER;
	}

	/** A person who left the source's scope: deactivated when active and not the owner. */
	void planLeft(Person person, String externalId, PlanSink sink) {
		if (deactivatable(person.active(), person.role())) {
			sink.add(PlanKind.DEACTIVATE, externalId, person.id(), person.email(), DEACTIVATED,
					"left the source (" + this.departed.get(externalId) + ")");
		}
	}

	/** A person the source provisioned and a full listing no longer has: deactivated when active and not the owner. */
	static void planMissing(String externalId, UUID personId, boolean active, String email, Role role, PlanSink sink) {
		if (deactivatable(active, role)) {
			sink.add(PlanKind.DEACTIVATE, externalId, personId, email, DEACTIVATED, "no longer in the source");
		}
	}

	/**
	 * What the record's enabled flag does to the person's status: reactivate, deactivate or nothing.
	 *
	 * @return whether an item was planned
	 */
	static boolean planStatus(SourceRecord record, Person person, PlanSink sink) {
		if (record.enabled() && !person.active()) {
			sink.add(PlanKind.REACTIVATE, record.externalId(), person.id(), person.email(), Map.of(), null);
			return true;
		}
		if (!record.enabled() && deactivatable(person.active(), person.role())) {
			planDisabled(record, person.id(), person.email(), sink);
			return true;
		}
		return false;
	}

	/** A person whose account is disabled in the source. */
	static void planDisabled(SourceRecord record, UUID personId, String label, PlanSink sink) {
		sink.add(PlanKind.DEACTIVATE, record.externalId(), personId, label, DEACTIVATED, "disabled in the source");
	}

	/**
	 * How far back the safety hold counts the deactivations syncs already applied: a burst cut into runs (by the
	 * provider's pages, by notifications arriving one at a time, by a file split in two) is held like one run.
	 */
	static final Duration HOLD_WINDOW = Duration.ofHours(24);

	/**
	 * The safety hold: why a run that would deactivate this many of the company's {@code active} people waits for an
	 * admin's approval, or null when it goes on. The {@code recent} deactivations of the {@link #HOLD_WINDOW}
	 * count with the run's own, against the people active before them.
	 */
	static String holdReason(Company company, int deactivations, int active, int recent) {
		if (deactivations == 0) {
			return null;
		}
		if (company.holdsDeactivating(deactivations, active)) {
			return "This run would deactivate " + deactivations + " of " + active + " active people, more than the "
					+ company.deactivationHoldPercent()
					+ " % the company allows without approval. Check the plan, then approve or discard it.";
		}
		if (recent > 0 && company.holdsDeactivating(deactivations + recent, active + recent)) {
			return "This run would deactivate " + deactivations + " of " + active + " active people, after " + recent
					+ " deactivated by syncs in the last " + HOLD_WINDOW.toHours() + " hours: "
					+ (deactivations + recent)
					+ " of " + (active + recent) + " together, more than the " + company.deactivationHoldPercent()
					+ " % the company allows without approval. Check the plan, then approve or discard it.";
		}
		return null;
	}

}
