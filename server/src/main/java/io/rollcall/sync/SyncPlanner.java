package io.rollcall.sync;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import io.rollcall.audit.FieldChange;
import io.rollcall.directory.DirectoryBatch;
import io.rollcall.directory.LinkedBy;
import io.rollcall.directory.People;
import io.rollcall.directory.Person;
import io.rollcall.directory.PersonIds;
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
 * The rules are in their own units ({@link RecordMatching}, {@link FieldDiff}, {@link TeamPlanning},
 * {@link Departures}, {@link ManagerLinking}); this class reads the directory for them and runs them in order.
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
		try {
			Planning planning = new Planning(run.companyId(), source.kind(), settings,
					this.mappings.saved(run.companyId(), source.kind()).orElseGet(() -> source.defaultMappings(run)),
					writer, null, false);
			source.read(run, planning);
			planning.flush();
			if (source.deactivatesMissing(run, settings)) {
				planning.planDeactivations();
			}
			planning.planDepartures();
			planning.planManagers();
			planning.planTeams();
			writer.close();
			return planning.plan.counts();
		}
		catch (RuntimeException | Error ex) {
			writer.abandon();
			throw ex;
		}
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
		PlanItems items = new PlanItems();
		Planning planning = new Planning(companyId, kind, settings, this.mappings.effective(companyId, kind), items,
				lazyManagerGraph(companyId), true);
		planning.push(record, knownPersonId);
		planning.flush();
		planning.planManagers();
		planning.planTeams();
		return new OnePlan(items.items(), items.problems(), planning.lastPersonId);
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

	/** The state of one planning pass: reads the directory for the units, in chunks, and hands them the answers. */
	private final class Planning implements Source.RecordSink {

		private final UUID companyId;

		private final String kind;

		private final SourceSettings settings;

		private final List<FieldMapping> fieldMappings;

		private final PlanCounts plan;

		/** Given for a pushed record; for a run, chosen by how many links it makes (see {@link #managerGraph}). */
		private final ManagerGraph graph;

		/** Whether a disabled account Rollcall does not have yet is created (deactivated) rather than skipped. */
		private final boolean createsDisabled;

		private final RecordMatching matching;

		private final TeamPlanning teamPlanning;

		private final Departures departures = new Departures();

		private final ManagerLinking managers = new ManagerLinking();

		private UUID lastPersonId;

		private final List<Pending> chunk = new ArrayList<>();

		Planning(UUID companyId, String kind, SourceSettings settings, List<FieldMapping> fieldMappings, PlanSink sink,
				ManagerGraph graph, boolean createsDisabled) {
			this.companyId = companyId;
			this.kind = kind;
			this.settings = settings;
			this.fieldMappings = fieldMappings;
			this.plan = new PlanCounts(sink);
			this.graph = graph;
			this.createsDisabled = createsDisabled;
			this.matching = new RecordMatching(kind);
			this.teamPlanning = new TeamPlanning(() -> SyncPlanner.this.teams.names(companyId));
		}

		/** @param emailKey the e-mail as records are told apart by, made once: admitting and managers need it */
		private record Pending(MappedPerson mapped, String position, UUID knownPersonId, String emailKey) {

			Pending(MappedPerson mapped, String position, UUID knownPersonId) {
				this(mapped, position, knownPersonId, RecordMatching.emailKey(mapped));
			}

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
			this.plan.problem(null, null, new RecordProblem(RecordProblem.Kind.UNREADABLE, position, message));
		}

		@Override
		public void departed(String externalId, String position) {
			this.departures.departed(externalId, position);
		}

		void flush() {
			if (this.chunk.isEmpty()) {
				return;
			}
			List<Pending> valid = new ArrayList<>();
			for (Pending pending : this.chunk) {
				RecordProblem problem = this.matching.admit(pending.mapped(), pending.emailKey(), pending.position());
				if (problem == null) {
					valid.add(pending);
				}
				else {
					this.plan.problem(pending.mapped().record().externalId(),
							problem.kind() == RecordProblem.Kind.NO_EMAIL
									? null : pending.mapped().email(),
							problem);
				}
			}
			RecordMatching.Directory found = lookUp(valid);
			for (Pending pending : valid) {
				MappedPerson mapped = pending.mapped();
				switch (this.matching.match(mapped, pending.position(), pending.knownPersonId(), found)) {
					case RecordMatching.Match.Refused refused ->
						this.plan.problem(mapped.record().externalId(), mapped.email(), refused.problem());
					case RecordMatching.Match.New created -> planPerson(pending, null, false, false);
					case RecordMatching.Match.Existing existing ->
						planPerson(pending, existing.person(), existing.link(), existing.adopt());
				}
			}
			this.chunk.clear();
			this.plan.flush();
		}

		/** What the directory holds for a chunk, in three queries. */
		private RecordMatching.Directory lookUp(List<Pending> valid) {
			Map<String, DirectoryBatch.Link> links = SyncPlanner.this.directory.linksByExternalId(this.companyId,
					this.kind, valid.stream().map(p -> p.mapped().record().externalId()).toList());
			Map<String, UUID> byEmail = SyncPlanner.this.directory.idsByEmail(this.companyId, valid.stream()
				.filter(p -> !links.containsKey(p.mapped().record().externalId()))
				.map(p -> p.mapped().email())
				.toList());
			Set<UUID> ids = new HashSet<>();
			links.values().forEach(link -> ids.add(link.personId()));
			ids.addAll(byEmail.values());
			valid.stream().map(Pending::knownPersonId).filter(Objects::nonNull).forEach(ids::add);
			Map<UUID, Person> current = new HashMap<>();
			SyncPlanner.this.people.loadProfiles(this.companyId, List.copyOf(ids)).forEach(p -> current.put(p.id(), p));
			return new RecordMatching.Directory(links, byEmail, current);
		}

		/** @param adopt the person is linked to this id by a sign-in only; the link becomes the source's */
		private void planPerson(Pending pending, Person person, boolean link, boolean adopt) {
			MappedPerson mapped = pending.mapped();
			SourceRecord record = mapped.record();
			Map<String, FieldChange> changes;
			try {
				changes = FieldDiff.between(person, mapped, this.teamPlanning);
			}
			catch (RequestRejectedException ex) {
				this.plan.problem(record.externalId(), mapped.email(),
						new RecordProblem(RecordProblem.Kind.INVALID_VALUE, pending.position(), ex.getMessage()));
				return;
			}
			if (adopt) {
				changes.put(LinkedBy.CHANGE, new FieldChange(LinkedBy.SIGN_IN.column(), LinkedBy.SYNC.column()));
			}
			UUID id;
			if (person == null) {
				if (!record.enabled() && !this.createsDisabled) {
					this.plan.unchanged();
					return; // a disabled account that Rollcall never had is not created
				}
				id = PersonIds.next();
				changes.remove("email");
				this.plan.add(PlanKind.CREATE, record.externalId(), id, mapped.email(), changes, null);
				if (!record.enabled()) {
					Departures.planDisabled(record, id, mapped.email(), this.plan);
				}
				else if (this.settings.invitesImmediately()) {
					this.plan.add(PlanKind.INVITE, record.externalId(), id, mapped.email(), Map.of(), null);
				}
			}
			else {
				id = person.id();
				boolean touched = false;
				if (link || !changes.isEmpty()) {
					this.plan.add(link ? PlanKind.LINK : PlanKind.UPDATE, record.externalId(), id, person.email(),
							changes, null);
					touched = true;
				}
				touched |= Departures.planStatus(record, person, this.plan);
				if (!touched) {
					this.plan.unchanged();
				}
			}
			this.lastPersonId = id;
			this.managers.known(record.externalId(), pending.emailKey(), id);
			if (this.settings.assignManagers() && record.managerRef() != null) {
				this.managers.want(new ManagerLinking.Wanted(id, mapped.email(), record.managerRef().strip(),
						person == null ? null : person.overrideManagerId(), pending.position()));
			}
		}

		/**
		 * People this source provisioned but did not list, when the source says they are to be deactivated; those
		 * linked only by signing in are not read (see {@link DirectoryBatch#forEachIdentity}). Only the unlisted
		 * ones' people are read: a full listing usually names everyone.
		 */
		void planDeactivations() {
			SyncPlanner.this.directory.forEachIdentity(this.companyId, this.kind,
					externalId -> !this.matching.listed(externalId),
					(externalId, personId, active, email, role) -> Departures.planMissing(externalId, personId,
							active, email, role, this.plan));
			this.plan.flush();
		}

		/**
		 * People the source saw leave (an incremental run): deactivated, unless the run also listed them. Only people
		 * it provisioned: a person linked by signing in alone was never in its scope, so cannot leave it.
		 */
		void planDepartures() {
			List<String> ids = this.departures.leaving(this.matching::listed);
			for (int from = 0; from < ids.size(); from += CHUNK) {
				Map<String, UUID> known = new HashMap<>();
				SyncPlanner.this.directory.linksByExternalId(this.companyId, this.kind,
						ids.subList(from, Math.min(ids.size(), from + CHUNK)))
					.forEach((externalId, link) -> {
						if (link.linkedBy() == LinkedBy.SYNC) {
							known.put(externalId, link.personId());
						}
					});
				Map<UUID, String> externalIds = new HashMap<>();
				known.forEach((externalId, personId) -> externalIds.put(personId, externalId));
				for (Person person : SyncPlanner.this.people.loadProfiles(this.companyId,
						List.copyOf(known.values()))) {
					this.departures.planLeft(person, externalIds.get(person.id()), this.plan);
				}
			}
			this.plan.flush();
		}

		/** Managers are resolved once everyone of the run is known (see {@link ManagerLinking}). */
		void planManagers() {
			if (this.managers.wanted().isEmpty()) {
				return;
			}
			ManagerGraph graph = this.graph != null ? this.graph : managerGraph();
			ManagerLinking.Outside outside = new ManagerLinking.Outside();
			List<String> unresolved = this.managers.unresolved();
			for (int from = 0; from < unresolved.size(); from += CHUNK) {
				List<String> refs = unresolved.subList(from, Math.min(unresolved.size(), from + CHUNK));
				outside.byExternalId(SyncPlanner.this.directory.idsByExternalId(this.companyId, this.kind, refs));
				outside.byEmail(SyncPlanner.this.directory.idsByEmail(this.companyId, refs));
			}
			this.managers.plan(outside, graph, this.plan);
			this.plan.flush();
		}

		/**
		 * Many links (a full run): the whole company's, in one query. A few (an event's run): the people of the run
		 * with the managers just read for them, and whoever else a loop check walks through, looked up as it goes.
		 */
		private ManagerGraph managerGraph() {
			if (this.managers.wanted().size() >= CHUNK) {
				return ManagerGraph.of(SyncPlanner.this.directory.overrideManagers(this.companyId));
			}
			ManagerGraph graph = lazyManagerGraph(this.companyId);
			for (ManagerLinking.Wanted link : this.managers.wanted()) {
				graph.put(link.personId(), link.currentManager());
			}
			return graph;
		}

		void planTeams() {
			this.teamPlanning.plan(this.plan);
		}

	}

}
