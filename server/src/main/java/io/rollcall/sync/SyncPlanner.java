package io.rollcall.sync;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import io.rollcall.audit.FieldChange;
import io.rollcall.directory.DirectoryBatch;
import io.rollcall.directory.LinkedBy;
import io.rollcall.directory.People;
import io.rollcall.directory.Person;
import io.rollcall.directory.PersonChanges;
import io.rollcall.directory.PersonField;
import io.rollcall.directory.Role;
import io.rollcall.directory.Teams;
import io.rollcall.mapping.FieldMapping;
import io.rollcall.mapping.MappedPerson;
import io.rollcall.mapping.Mappings;
import io.rollcall.mapping.SourceRecord;
import io.rollcall.platform.RequestRejectedException;

import org.springframework.stereotype.Component;

/**
 * Turns a source's records into a stored plan, changing nothing in the directory. Records are handled in chunks:
 * each chunk is matched against the directory in a few queries and diffed field by field, so memory holds the
 * chunk and a few small indexes of the run (ids seen, e-mails seen, manager references), never the directory.
 */
@Component
class SyncPlanner {

	static final int CHUNK = 1000;

	private final People people;

	private final Teams teams;

	private final DirectoryBatch directory;

	private final Mappings mappings;

	private final PlanStore store;

	SyncPlanner(People people, Teams teams, DirectoryBatch directory, Mappings mappings, PlanStore store) {
		this.people = people;
		this.teams = teams;
		this.directory = directory;
		this.mappings = mappings;
		this.store = store;
	}

	/** The counts of the plan, which is stored item by item as it is made. */
	Map<String, Integer> plan(SyncRun run, Source source, SourceSettings settings) {
		PlanStore.Writer writer = this.store.writer(run.id());
		Planning planning = new Planning(run.companyId(), source.kind(), settings,
				this.mappings.saved(run.companyId(), source.kind()).orElseGet(() -> source.defaultMappings(run)), writer,
				null, false);
		source.read(run, planning);
		planning.flush();
		if (source.deactivatesMissing(run, settings)) {
			planning.planDeactivations();
		}
		planning.planDepartures();
		planning.planManagers();
		planning.planTeams();
		writer.close();
		return planning.counts;
	}

	/**
	 * The plan for one pushed record, kept in memory: the same matching, diffing and manager rules as a run, for
	 * a source that sends people one at a time. A disabled account Rollcall never had is created deactivated, as
	 * the pushing client goes on to address it by its id.
	 *
	 * @param knownPersonId the person the client addressed by id, or null to match by external id, then e-mail
	 */
	OnePlan planOne(UUID companyId, String kind, SourceSettings settings, SourceRecord record,
			UUID knownPersonId) {
		List<PlanStore.Item> items = new ArrayList<>();
		List<RecordProblem> problems = new ArrayList<>();
		PlanSink sink = new PlanSink() {
			@Override
			public void add(PlanKind itemKind, String externalId, UUID personId, String label,
					Map<String, FieldChange> changes, String message) {
				items.add(new PlanStore.Item(items.size() + 1, itemKind, externalId, personId, label, changes, message));
			}

			@Override
			public void problem(String externalId, String label, RecordProblem problem) {
				problems.add(problem);
				PlanSink.super.problem(externalId, label, problem);
			}

			@Override
			public void flush() {
			}
		};
		Planning planning = new Planning(companyId, kind, settings, this.mappings.effective(companyId, kind), sink,
				lazyManagerGraph(companyId), true);
		planning.push(record, knownPersonId);
		planning.flush();
		planning.planManagers();
		planning.planTeams();
		return new OnePlan(items, List.copyOf(problems), planning.lastPersonId);
	}

	/** A graph that looks people up as it is walked: for a few links, cheaper than the whole company's. */
	private ManagerGraph lazyManagerGraph(UUID companyId) {
		return ManagerGraph.lazy(id -> this.people.loadProfiles(companyId, List.of(id))
			.stream()
			.findFirst()
			.map(Person::overrideManagerId)
			.orElse(null));
	}

	/**
	 * @param problems the error items' problems, by kind
	 * @param personId the person the record matched or creates; null when it was refused
	 */
	record OnePlan(List<PlanStore.Item> items, List<RecordProblem> problems, UUID personId) {
	}

	/** Where a planning pass puts its items: the run's stored plan, or memory for a single pushed record. */
	interface PlanSink {

		void add(PlanKind kind, String externalId, UUID personId, String label, Map<String, FieldChange> changes,
				String message);

		/** A record, or its manager link, left out of the plan: an error item. */
		default void problem(String externalId, String label, RecordProblem problem) {
			add(PlanKind.ERROR, externalId, null, label, Map.of(), problem.message());
		}

		void flush();

	}

	/**
	 * Who manages whom, to keep new manager links from closing a loop: the whole company's links for a run, looked
	 * up person by person for a single record.
	 */
	static final class ManagerGraph {

		private final Map<UUID, UUID> known;

		private final java.util.function.Function<UUID, UUID> loader;

		private final Set<UUID> loaded = new HashSet<>();

		private ManagerGraph(Map<UUID, UUID> known, java.util.function.Function<UUID, UUID> loader) {
			this.known = known;
			this.loader = loader;
		}

		static ManagerGraph of(Map<UUID, UUID> all) {
			return new ManagerGraph(all, null);
		}

		static ManagerGraph lazy(java.util.function.Function<UUID, UUID> loader) {
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

	}

	/** The state of one planning pass. */
	private final class Planning implements Source.RecordSink {

		private final UUID companyId;

		private final String kind;

		private final SourceSettings settings;

		private final List<FieldMapping> fieldMappings;

		private final PlanSink writer;

		/** Given for a pushed record; for a run, chosen by how many links it makes (see {@link #managerGraph}). */
		private final ManagerGraph graph;

		/** Whether a disabled account Rollcall does not have yet is created (deactivated) rather than skipped. */
		private final boolean createsDisabled;

		private final Map<String, Integer> counts = new LinkedHashMap<>();

		private UUID lastPersonId;

		private final List<Pending> chunk = new ArrayList<>();

		private final Set<String> seenExternalIds = new HashSet<>();

		/**
		 * Every external id the source listed, refused records included: a person whose record could not be used (no
		 * e-mail, a mapping problem) is reported, never deactivated as missing from the source.
		 */
		private final Set<String> listedExternalIds = new HashSet<>();

		private final Map<String, String> seenEmails = new HashMap<>();

		/** External ids and "email:" + e-mail of everyone in this run, to their person id (new or existing). */
		private final Map<String, UUID> personByRef = new HashMap<>();

		private final List<ManagerLink> managerLinks = new ArrayList<>();

		private final Map<String, String> teamsToCreate = new LinkedHashMap<>();

		/** External ids the source saw leave its scope in this run, with where it saw it. */
		private final Map<String, String> departures = new LinkedHashMap<>();

		/** The company's teams by id; read on first need (a pushed record without a team never needs them). */
		private Map<UUID, String> teamNames;

		private final Set<String> existingTeams = new HashSet<>();

		Planning(UUID companyId, String kind, SourceSettings settings, List<FieldMapping> fieldMappings, PlanSink writer,
				ManagerGraph graph, boolean createsDisabled) {
			this.companyId = companyId;
			this.kind = kind;
			this.settings = settings;
			this.fieldMappings = fieldMappings;
			this.writer = writer;
			this.graph = graph;
			this.createsDisabled = createsDisabled;
			for (PlanKind countKind : List.of(PlanKind.CREATE, PlanKind.UPDATE, PlanKind.LINK, PlanKind.REACTIVATE,
					PlanKind.DEACTIVATE, PlanKind.MANAGER, PlanKind.TEAM, PlanKind.INVITE, PlanKind.ERROR)) {
				this.counts.put(countKind.value(), 0);
			}
			this.counts.put(PlanKind.UNCHANGED, 0);
		}

		private Map<UUID, String> teamNames() {
			if (this.teamNames == null) {
				this.teamNames = SyncPlanner.this.teams.names(this.companyId);
				this.teamNames.values().forEach(name -> this.existingTeams.add(name.toLowerCase(Locale.ROOT)));
			}
			return this.teamNames;
		}

		private boolean teamExists(String name) {
			teamNames();
			return this.existingTeams.contains(name.toLowerCase(Locale.ROOT));
		}

		private record Pending(MappedPerson mapped, String position, UUID knownPersonId) {
		}

		private record ManagerLink(UUID personId, String label, String managerRef, UUID currentManager, String position) {
		}

		@Override
		public void record(SourceRecord record, String position) {
			this.chunk.add(new Pending(Mappings.map(this.fieldMappings, record), position, null));
			if (this.chunk.size() >= CHUNK) {
				flush();
			}
		}

		void push(SourceRecord record, UUID knownPersonId) {
			this.chunk.add(new Pending(Mappings.map(this.fieldMappings, record), record.externalId(), knownPersonId));
		}

		@Override
		public void problem(String position, String message) {
			error(null, null, new RecordProblem(RecordProblem.Kind.UNREADABLE, position, message));
		}

		@Override
		public void departed(String externalId, String position) {
			this.departures.putIfAbsent(externalId, position);
		}

		void flush() {
			if (this.chunk.isEmpty()) {
				return;
			}
			UUID companyId = this.companyId;
			List<Pending> valid = new ArrayList<>();
			for (Pending pending : this.chunk) {
				if (admit(pending)) {
					valid.add(pending);
				}
			}
			Map<String, DirectoryBatch.Link> links = SyncPlanner.this.directory.linksByExternalId(companyId,
					this.kind, valid.stream().map(p -> p.mapped().record().externalId()).toList());
			Map<String, UUID> byExternalId = new HashMap<>();
			links.forEach((externalId, link) -> byExternalId.put(externalId, link.personId()));
			Map<String, UUID> byEmail = SyncPlanner.this.directory.idsByEmail(companyId, valid.stream()
				.filter(p -> !byExternalId.containsKey(p.mapped().record().externalId()))
				.map(p -> p.mapped().email())
				.toList());
			Set<UUID> ids = new HashSet<>(byExternalId.values());
			ids.addAll(byEmail.values());
			valid.stream().map(Pending::knownPersonId).filter(Objects::nonNull).forEach(ids::add);
			Map<UUID, Person> current = new HashMap<>();
			SyncPlanner.this.people.loadProfiles(companyId, List.copyOf(ids)).forEach(p -> current.put(p.id(), p));
			for (Pending pending : valid) {
				SourceRecord record = pending.mapped().record();
				UUID id = pending.knownPersonId() != null ? pending.knownPersonId() : byExternalId.get(record.externalId());
				boolean link = false;
				if (pending.knownPersonId() != null) {
					// Addressed by id: the source's id for them is (re)linked when it differs from the stored one.
					Person known = current.get(id);
					if (known == null) {
						error(record.externalId(), pending.mapped().email(), new RecordProblem(
								RecordProblem.Kind.PERSON_GONE, pending.position(), "person " + id + " no longer exists"));
						continue;
					}
					planPerson(pending, known, !record.externalId().equals(known.externalIds().get(this.kind)), false);
					continue;
				}
				if (id == null) {
					id = byEmail.get(pending.mapped().email().toLowerCase(Locale.ROOT));
					link = id != null;
				}
				// Signed in with this id but never provisioned: listed now, the source adopts them by that same id.
				boolean adopt = !link && id != null && links.get(record.externalId()).linkedBy() == LinkedBy.SIGN_IN;
				Person person = id == null ? null : current.get(id);
				if (link && person != null && person.externalIds().containsKey(this.kind)) {
					error(record.externalId(), pending.mapped().email(), new RecordProblem(
							RecordProblem.Kind.LINKED_ELSEWHERE, pending.position(), pending.mapped().email()
									+ " belongs to a person already linked to another " + this.kind + " account ("
									+ person.externalIds().get(this.kind) + "); not merged"));
					continue;
				}
				planPerson(pending, person, link || adopt, adopt);
			}
			this.chunk.clear();
			this.writer.flush();
		}

		/** Checks a record on its own: mappable, with an e-mail, not a second record for one e-mail or id. */
		private boolean admit(Pending pending) {
			MappedPerson mapped = pending.mapped();
			String externalId = mapped.record().externalId();
			this.listedExternalIds.add(externalId);
			if (!mapped.problems().isEmpty()) {
				error(externalId, mapped.email(), new RecordProblem(RecordProblem.Kind.UNMAPPABLE, pending.position(),
						String.join("; ", mapped.problems())));
				return false;
			}
			if (mapped.email() == null || mapped.email().isBlank()) {
				error(externalId, null, new RecordProblem(RecordProblem.Kind.NO_EMAIL, pending.position(),
						"no e-mail address; every person needs one"));
				return false;
			}
			try {
				PersonChanges.normalise(PersonField.EMAIL, mapped.email());
			}
			catch (RequestRejectedException ex) {
				error(externalId, mapped.email(), new RecordProblem(RecordProblem.Kind.INVALID_VALUE, pending.position(),
						ex.getMessage()));
				return false;
			}
			if (!this.seenExternalIds.add(externalId)) {
				error(externalId, mapped.email(), new RecordProblem(RecordProblem.Kind.DUPLICATE_ID, pending.position(),
						"the id " + externalId + " appears twice in the source; only its first record is used"));
				return false;
			}
			String email = mapped.email().strip().toLowerCase(Locale.ROOT);
			String other = this.seenEmails.putIfAbsent(email, externalId);
			if (other != null) {
				error(externalId, mapped.email(), new RecordProblem(RecordProblem.Kind.DUPLICATE_EMAIL,
						pending.position(), "the e-mail " + mapped.email() + " is also used by record " + other
								+ "; the two are not merged, this one is skipped"));
				return false;
			}
			return true;
		}

		/** @param adopt the person is linked to this id by a sign-in only; the link becomes the source's */
		private void planPerson(Pending pending, Person person, boolean link, boolean adopt) {
			MappedPerson mapped = pending.mapped();
			SourceRecord record = mapped.record();
			Map<String, FieldChange> changes = new LinkedHashMap<>();
			Map<String, Object> before = person == null ? Map.of() : person.fieldValues();
			try {
				for (Map.Entry<PersonField, String> field : mapped.fields().entrySet()) {
					Object value = PersonChanges.normalise(field.getKey(), field.getValue());
					Object old = before.get(field.getKey().jsonName());
					if (field.getKey() == PersonField.EMAIL && person != null
							&& value.toString().equalsIgnoreCase(String.valueOf(old)) && !value.equals(old)) {
						continue; // the same address in other letter case is no change
					}
					if (!Objects.equals(old, value) && !(person == null && value == null)) {
						changes.put(field.getKey().jsonName(), new FieldChange(old, value));
					}
				}
			}
			catch (RequestRejectedException ex) {
				error(record.externalId(), mapped.email(), new RecordProblem(RecordProblem.Kind.INVALID_VALUE,
						pending.position(), ex.getMessage()));
				return;
			}
			if (mapped.primaryTeamMapped()) {
				String team = mapped.primaryTeam() == null || mapped.primaryTeam().isBlank() ? null
						: mapped.primaryTeam().strip();
				String currentTeam = person == null || person.primaryTeamId() == null ? null
						: teamNames().get(person.primaryTeamId());
				if (!(team == null ? currentTeam == null : team.equalsIgnoreCase(currentTeam))) {
					changes.put("primaryTeam", new FieldChange(currentTeam, team));
				}
				if (team != null && !teamExists(team)) {
					this.teamsToCreate.putIfAbsent(team.toLowerCase(Locale.ROOT), team);
				}
			}
			for (Map.Entry<String, String> custom : mapped.customFields().entrySet()) {
				Object old = person == null ? null : person.customFields().get(custom.getKey());
				String value = custom.getValue() == null || custom.getValue().isBlank() ? null : custom.getValue().strip();
				if (!Objects.equals(old == null ? null : old.toString(), value)) {
					changes.put("customFields." + custom.getKey(), new FieldChange(old, value));
				}
			}
			if (adopt) {
				changes.put(LinkedBy.CHANGE, new FieldChange(LinkedBy.SIGN_IN.column(), LinkedBy.SYNC.column()));
			}
			UUID id;
			if (person == null) {
				if (!record.enabled() && !this.createsDisabled) {
					countUnchanged();
					return; // a disabled account that Rollcall never had is not created
				}
				id = UUID.randomUUID();
				changes.remove("email");
				this.writer.add(PlanKind.CREATE, record.externalId(), id, mapped.email(), changes, null);
				count(PlanKind.CREATE);
				if (!record.enabled()) {
					this.writer.add(PlanKind.DEACTIVATE, record.externalId(), id, mapped.email(),
							Map.of("status", new FieldChange("active", "deactivated")), "disabled in the source");
					count(PlanKind.DEACTIVATE);
				}
				else if (this.settings.invitesImmediately()) {
					this.writer.add(PlanKind.INVITE, record.externalId(), id, mapped.email(), Map.of(), null);
					count(PlanKind.INVITE);
				}
			}
			else {
				id = person.id();
				boolean touched = false;
				if (link || !changes.isEmpty()) {
					PlanKind kind = link ? PlanKind.LINK : PlanKind.UPDATE;
					this.writer.add(kind, record.externalId(), id, person.email(), changes, null);
					count(kind);
					touched = true;
				}
				if (record.enabled() && !person.active()) {
					this.writer.add(PlanKind.REACTIVATE, record.externalId(), id, person.email(), Map.of(), null);
					count(PlanKind.REACTIVATE);
					touched = true;
				}
				else if (!record.enabled() && person.active() && person.role() != Role.OWNER) {
					this.writer.add(PlanKind.DEACTIVATE, record.externalId(), id, person.email(),
							Map.of("status", new FieldChange("active", "deactivated")), "disabled in the source");
					count(PlanKind.DEACTIVATE);
					touched = true;
				}
				if (!touched) {
					countUnchanged();
				}
			}
			this.lastPersonId = id;
			this.personByRef.put(record.externalId(), id);
			this.personByRef.put("email:" + mapped.email().strip().toLowerCase(Locale.ROOT), id);
			if (this.settings.assignManagers() && record.managerRef() != null) {
				this.managerLinks.add(new ManagerLink(id, mapped.email(), record.managerRef().strip(),
						person == null ? null : person.overrideManagerId(), pending.position()));
			}
		}

		/**
		 * People this source provisioned but did not list, when the source says they are to be deactivated; those
		 * linked only by signing in are not read (see {@link DirectoryBatch#forEachIdentity}).
		 */
		void planDeactivations() {
			SyncPlanner.this.directory.forEachIdentity(this.companyId, this.kind,
					(externalId, personId, active, email, role) -> {
						if (active && role != Role.OWNER && !this.listedExternalIds.contains(externalId)) {
							this.writer.add(PlanKind.DEACTIVATE, externalId, personId, email,
									Map.of("status", new FieldChange("active", "deactivated")), "no longer in the source");
							count(PlanKind.DEACTIVATE);
						}
					});
			this.writer.flush();
		}

		/**
		 * People the source saw leave (an incremental run): deactivated, unless the run also listed them. Only people
		 * it provisioned: a person linked by signing in alone was never in its scope, so cannot leave it.
		 */
		void planDepartures() {
			List<String> ids = this.departures.keySet().stream().filter(id -> !this.listedExternalIds.contains(id)).toList();
			for (int from = 0; from < ids.size(); from += CHUNK) {
				Map<String, UUID> known = new HashMap<>();
				SyncPlanner.this.directory.linksByExternalId(this.companyId, this.kind,
						ids.subList(from, Math.min(ids.size(), from + CHUNK))).forEach((externalId, link) -> {
							if (link.linkedBy() == LinkedBy.SYNC) {
								known.put(externalId, link.personId());
							}
						});
				Map<UUID, String> externalIds = new HashMap<>();
				known.forEach((externalId, personId) -> externalIds.put(personId, externalId));
				for (Person person : SyncPlanner.this.people.loadProfiles(this.companyId, List.copyOf(known.values()))) {
					if (person.active() && person.role() != Role.OWNER) {
						String externalId = externalIds.get(person.id());
						this.writer.add(PlanKind.DEACTIVATE, externalId, person.id(), person.email(),
								Map.of("status", new FieldChange("active", "deactivated")),
								"left the source (" + this.departures.get(externalId) + ")");
						count(PlanKind.DEACTIVATE);
					}
				}
			}
			this.writer.flush();
		}

		/**
		 * Managers are resolved once everyone of the run is known, so that a chain of new people is linked in one
		 * run. A manager nobody knows, or a link that would close a loop, is reported and left out.
		 */
		void planManagers() {
			if (this.managerLinks.isEmpty()) {
				return;
			}
			ManagerGraph graph = this.graph != null ? this.graph : managerGraph();
			Map<String, UUID> outside = new HashMap<>();
			List<String> unresolved = this.managerLinks.stream()
				.map(ManagerLink::managerRef)
				.filter(ref -> !ref.isEmpty() && !this.personByRef.containsKey(ref)
						&& !this.personByRef.containsKey("email:" + ref.toLowerCase(Locale.ROOT)))
				.distinct()
				.toList();
			for (int from = 0; from < unresolved.size(); from += CHUNK) {
				List<String> refs = unresolved.subList(from, Math.min(unresolved.size(), from + CHUNK));
				outside.putAll(SyncPlanner.this.directory.idsByExternalId(this.companyId, this.kind, refs));
				SyncPlanner.this.directory.idsByEmail(this.companyId, refs)
					.forEach((email, id) -> outside.put("email:" + email, id));
			}
			for (ManagerLink link : this.managerLinks) {
				UUID manager = null;
				if (!link.managerRef().isEmpty()) {
					String emailRef = "email:" + link.managerRef().toLowerCase(Locale.ROOT);
					manager = this.personByRef.getOrDefault(link.managerRef(), this.personByRef.getOrDefault(emailRef,
							outside.getOrDefault(link.managerRef(), outside.get(emailRef))));
					if (manager == null) {
						error(null, link.label(), new RecordProblem(RecordProblem.Kind.UNKNOWN_MANAGER, link.position(),
								"the manager " + link.managerRef() + " of " + link.label()
										+ " is not known; the manager was not set"));
						continue;
					}
					if (manager.equals(graph.get(link.personId()))) {
						continue; // unchanged: the link was checked when it was made
					}
					if (manager.equals(link.personId()) || reaches(graph, manager, link.personId())) {
						error(null, link.label(), new RecordProblem(RecordProblem.Kind.MANAGER_LOOP, link.position(),
								"making " + link.managerRef() + " the manager of " + link.label()
										+ " would make a loop of managers; the manager was not set"));
						continue;
					}
				}
				if (Objects.equals(graph.get(link.personId()), manager)) {
					continue;
				}
				this.writer.add(PlanKind.MANAGER, null, link.personId(), link.label(),
						Map.of("overrideManagerId", new FieldChange(graph.get(link.personId()), manager)), null);
				count(PlanKind.MANAGER);
				graph.put(link.personId(), manager);
			}
			this.writer.flush();
		}

		/**
		 * Many links (a full run): the whole company's, in one query. A few (an event's run): the people of the run
		 * with the managers just read for them, and whoever else a loop check walks through, looked up as it goes.
		 */
		private ManagerGraph managerGraph() {
			if (this.managerLinks.size() >= CHUNK) {
				return ManagerGraph.of(SyncPlanner.this.directory.overrideManagers(this.companyId));
			}
			ManagerGraph graph = lazyManagerGraph(this.companyId);
			for (ManagerLink link : this.managerLinks) {
				graph.put(link.personId(), link.currentManager());
			}
			return graph;
		}

		void planTeams() {
			for (String team : this.teamsToCreate.values()) {
				this.writer.add(PlanKind.TEAM, null, null, team, Map.of("name", new FieldChange(null, team)), null);
				count(PlanKind.TEAM);
			}
		}

		private boolean reaches(ManagerGraph graph, UUID from, UUID target) {
			UUID current = from;
			// A chain longer than any company is a loop that does not pass through the target.
			for (int steps = 0; current != null && steps <= 1_000_000; steps++) {
				if (current.equals(target)) {
					return true;
				}
				current = graph.get(current);
			}
			return false;
		}

		private void error(String externalId, String label, RecordProblem problem) {
			this.writer.problem(externalId, label, problem);
			count(PlanKind.ERROR);
		}

		private void count(PlanKind kind) {
			this.counts.merge(kind.value(), 1, Integer::sum);
		}

		private void countUnchanged() {
			this.counts.merge(PlanKind.UNCHANGED, 1, Integer::sum);
		}

	}

}
