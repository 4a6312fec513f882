package io.rollcall.sync;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import io.rollcall.audit.FieldChange;

/**
 * Which manager each person of a run gets. A record names its manager by the manager's external id or e-mail;
 * references are resolved once everyone of the run is known, so that a chain of new people is linked in one run,
 * first among the run's people, then in the directory. An empty reference clears the manager. A manager nobody
 * knows, or a link that would close a loop of managers, is reported and left out; the person goes in without it.
 */
final class ManagerLinking {

	/** The plan's change of a person's manager. */
	static final String OVERRIDE_MANAGER = "overrideManagerId";

	private static final String EMAIL = "email:";

	/**
	 * A person's wish for a manager.
	 *
	 * @param label the person's e-mail, for the plan and its messages
	 * @param managerRef the manager's external id or e-mail; empty for none
	 * @param currentManager the person's override manager now, null for a new person
	 * @param position where the record is in the source, for messages
	 */
	record Wanted(UUID personId, String label, String managerRef, UUID currentManager, String position) {
	}

	/** External ids and "email:" + e-mail of everyone in this run, to their person id (new or existing). */
	private final Map<String, UUID> personByRef = new HashMap<>();

	private final List<Wanted> wanted = new ArrayList<>();

	/**
	 * Someone of the run, whom others' references may name.
	 *
	 * @param emailKey their e-mail as {@link RecordMatching#emailKey} makes it
	 */
	void known(String externalId, String emailKey, UUID personId) {
		this.personByRef.put(externalId, personId);
		this.personByRef.put(EMAIL + emailKey, personId);
	}

	void want(Wanted link) {
		this.wanted.add(link);
	}

	List<Wanted> wanted() {
		return this.wanted;
	}

	/** The references no one of the run answers to: to look up in the directory. */
	List<String> unresolved() {
		return this.wanted.stream()
			.map(Wanted::managerRef)
			.filter(ref -> !ref.isEmpty() && !this.personByRef.containsKey(ref)
					&& !this.personByRef.containsKey(EMAIL + ref.toLowerCase(Locale.ROOT)))
			.distinct()
			.toList();
	}

	/** The directory's answers to {@link #unresolved()} references, by external id and by e-mail. */
	static final class Outside {

		private final Map<String, UUID> byRef = new HashMap<>();

		void byExternalId(Map<String, UUID> ids) {
			this.byRef.putAll(ids);
		}

		void byEmail(Map<String, UUID> ids) {
			ids.forEach((email, id) -> this.byRef.put(EMAIL + email, id));
		}

	}

	/**
	 * Plans the manager changes, in the order they were wanted, keeping the graph up to date so that a later link
	 * of the same run cannot close a loop with an earlier one.
	 */
	void plan(Outside outside, ManagerGraph graph, PlanSink sink) {
		for (Wanted link : this.wanted) {
			UUID manager = null;
			if (!link.managerRef().isEmpty()) {
				manager = resolve(link.managerRef(), outside);
				if (manager == null) {
					sink.problem(null, link.label(), new RecordProblem(RecordProblem.Kind.UNKNOWN_MANAGER,
							link.position(), "the manager " + link.managerRef() + " of " + link.label()
									+ " is not known; the manager was not set"));
					continue;
				}
			}
			UUID current = graph.get(link.personId());
			if (manager != null) {
				if (manager.equals(current)) {
					continue; // unchanged: the link was checked when it was made
				}
				if (manager.equals(link.personId()) || graph.reaches(manager, link.personId())) {
					sink.problem(null, link.label(), new RecordProblem(RecordProblem.Kind.MANAGER_LOOP,
							link.position(), "making " + link.managerRef() + " the manager of " + link.label()
									+ " would make a loop of managers; the manager was not set"));
					continue;
				}
			}
			if (Objects.equals(current, manager)) {
				continue;
			}
			sink.add(PlanKind.MANAGER, null, link.personId(), link.label(),
					Map.of(OVERRIDE_MANAGER, new FieldChange(current, manager)), null);
			graph.put(link.personId(), manager);
		}
	}

	/**
	 * The person a reference names: someone of the run before the directory, an external id before an e-mail. The
	 * e-mail's key is made only when the id is not known: a source naming managers by id (Okta's {@code managerId})
	 * finds them in one look-up, where every link used to lower-case and concatenate its reference and make all four.
	 */
	private UUID resolve(String ref, Outside outside) {
		UUID byId = this.personByRef.get(ref);
		if (byId != null) {
			return byId;
		}
		String emailRef = EMAIL + ref.toLowerCase(Locale.ROOT);
		UUID byEmail = this.personByRef.get(emailRef);
		if (byEmail != null) {
			return byEmail;
		}
		byId = outside.byRef.get(ref);
		return byId != null ? byId : outside.byRef.get(emailRef);
	}

}
