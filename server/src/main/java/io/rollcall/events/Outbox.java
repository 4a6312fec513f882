package io.rollcall.events;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import io.rollcall.audit.AuditListener;
import io.rollcall.audit.AuditRecord;
import io.rollcall.audit.FieldChange;
import io.rollcall.platform.Actor;
import io.rollcall.platform.CopyRows;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Writes the events of every change in the change's own transaction: a rolled-back change leaves none, a committed
 * one cannot lose them. It hears every audited change ({@link AuditListener}), so no writer can forget to emit, and
 * keeps the events of a transaction until just before it commits: then it reads their subjects as the transaction
 * leaves them, in one query per kind, and writes them in one statement. The sequencer numbers them once committed.
 */
@Service
public class Outbox implements AuditListener {

	private static final int SLICE = 1_000;

	/**
	 * A transaction with at least this many events numbers them itself as it writes them ({@link Sequencer#reserve});
	 * fewer are numbered by the sequencer after commit.
	 */
	static final int NUMBERED_AT_WRITE = 200;

	private final JdbcClient jdbc;

	private final ObjectMapper json;

	private final ObjectProvider<EventSubjects> subjects;

	private final Sequencer sequencer;

	private final DataSource dataSource;

	Outbox(JdbcClient jdbc, ObjectMapper json, ObjectProvider<EventSubjects> subjects, Sequencer sequencer,
			DataSource dataSource) {
		this.jdbc = jdbc;
		this.dataSource = dataSource;
		this.json = json;
		this.subjects = subjects;
		this.sequencer = sequencer;
	}

	@Override
	public void recorded(List<AuditRecord> records) {
		recorded(records, null);
	}

	@Override
	public void recorded(List<AuditRecord> records, List<String> changesJson) {
		Pending pending = null;
		for (int i = 0; i < records.size(); i++) {
			AuditRecord record = records.get(i);
			for (EventVocabulary.Draft draft : EventVocabulary.of(record)) {
				if (pending == null) {
					pending = pending();
				}
				// An event with the change's own changes (a person created: the largest of a sync's) takes the history's
				// JSON of them, not a second serialisation of the same map.
				String json = changesJson != null && draft.changes() == record.changes() ? changesJson.get(i) : null;
				pending.add(record.companyId(), record.actor(), record.runId(), draft, json);
				if (draft.deletion()) {
					pending.takeBeforeItGoes(record.companyId(), draft);
				}
			}
		}
	}

	/** An event that no audited change makes (a sync run's end), in the caller's transaction. */
	public void publish(UUID companyId, Actor actor, EventType type, String subjectType, UUID subjectId,
			Map<String, FieldChange> changes, UUID runId) {
		pending().add(companyId, actor, runId, new EventVocabulary.Draft(type, subjectType, subjectId, changes), null);
	}

	/**
	 * The events of the current transaction. Found among its synchronizations, not bound as a thread resource: a
	 * REQUIRES_NEW transaction inside it suspends the outer's synchronizations but not custom resources, and its
	 * events must commit or roll back with it, not with the outer one.
	 */
	private Pending pending() {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			throw new IllegalStateException("Events are written in the transaction of their change, and there is none");
		}
		for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
			if (synchronization instanceof Pending pending && pending.outbox() == this) {
				return pending;
			}
		}
		Pending pending = new Pending();
		TransactionSynchronizationManager.registerSynchronization(pending);
		return pending;
	}

	/** @param changesJson the draft's changes as JSON when already serialised (by the history), else null */
	private record Item(UUID companyId, Actor actor, UUID runId, EventVocabulary.Draft draft, String changesJson) {
	}

	/** The events of one transaction, written just before it commits. */
	private final class Pending implements TransactionSynchronization {

		private final List<Item> items = new ArrayList<>();

		/** Subjects read before the transaction deleted them (a deleted person's event carries them as they were). */
		private final Map<UUID, String> gone = new HashMap<>();

		/** The last position these events took when they were numbered as written; 0 when the sequencer numbers them. */
		private long numberedThrough;

		Outbox outbox() {
			return Outbox.this;
		}

		void add(UUID companyId, Actor actor, UUID runId, EventVocabulary.Draft draft, String changesJson) {
			this.items.add(new Item(companyId, actor, runId, draft, changesJson));
		}

		/** A deleted subject is read when its deletion is recorded, before the row goes (writers record first). */
		void takeBeforeItGoes(UUID companyId, EventVocabulary.Draft draft) {
			UUID id = draft.subjectId();
			if (id != null && !this.gone.containsKey(id)) {
				Object subject = subjects(companyId, draft.subjectType(), Set.of(id)).get(id);
				this.gone.put(id, subject == null ? null : Outbox.this.json.writeValueAsString(subject));
			}
		}

		@Override
		public void beforeCommit(boolean readOnly) {
			if (this.items.isEmpty()) {
				return;
			}
			// Subjects by kind and company, each kind in one query.
			Map<String, Map<UUID, Set<UUID>>> wanted = new LinkedHashMap<>();
			for (Item item : this.items) {
				UUID id = item.draft().subjectId();
				if (id != null && !this.gone.containsKey(id)) {
					wanted.computeIfAbsent(item.draft().subjectType(), k -> new LinkedHashMap<>())
						.computeIfAbsent(item.companyId(), k -> new LinkedHashSet<>())
						.add(id);
				}
			}
			Map<UUID, String> read = new HashMap<>(this.gone);
			wanted.forEach((kind, byCompany) -> byCompany.forEach((company, ids) -> subjects(company, kind, ids)
				.forEach((id, subject) -> read.put(id, Outbox.this.json.writeValueAsString(subject)))));
			this.items.removeIf(item -> stillSecondary(item.draft(), read.get(item.draft().subjectId())));
			if (!this.items.isEmpty()) {
				write(read);
			}
		}

		/**
		 * How the subject, as this mapper writes it, says that the person has no secondary team: most people of a sync,
		 * whose subject then need not be parsed again (6 % of the JVM's samples while a large run applied).
		 */
		private static final String NO_SECONDARY_TEAMS = "\"" + EventVocabulary.SECONDARY_TEAMS + "\":[]";

		/** A primary team joined or left that the person has, after the change, as a secondary team: no membership changed. */
		private boolean stillSecondary(EventVocabulary.Draft draft, String subject) {
			if (draft.unlessSecondaryTeam() == null || subject == null
					|| subject.contains(NO_SECONDARY_TEAMS)) {
				return false;
			}
			for (JsonNode team : Outbox.this.json.readTree(subject).path(EventVocabulary.SECONDARY_TEAMS)) {
				if (team.asString().equals(draft.unlessSecondaryTeam())) {
					return true;
				}
			}
			return false;
		}

		private void write(Map<UUID, String> subjectJson) {
			int n = this.items.size();
			String[] changes = new String[n];
			for (int i = 0; i < n; i++) {
				Item item = this.items.get(i);
				changes[i] = item.changesJson() != null ? item.changesJson()
						: Outbox.this.json.writeValueAsString(item.draft().changes());
			}
			if (n >= NUMBERED_AT_WRITE) {
				copyNumbered(subjectJson, changes);
			}
			else {
				insertUnnumbered(subjectJson, changes);
			}
		}

		/**
		 * A large transaction's events (a sync's chunk), numbered as they are written and copied in: a subject is
		 * written once, by the last of its events (see {@link #lastOfEachSubject}).
		 */
		private void copyNumbered(Map<UUID, String> subjectJson, String[] changes) {
			int n = this.items.size();
			Map<UUID, Integer> carrier = lastOfEachSubject();
			// Reserved last, just before the rows are written, so that the sequencer's row is held for no longer.
			long base = Outbox.this.sequencer.reserve(n);
			CopyRows.write(Outbox.this.dataSource, "domain_event", """
					company_id, type, subject_type, subject_id, run_id, actor_type, actor_id, actor_label, changes,
					subject, subject_at, position""", rows -> {
				for (int i = 0; i < n; i++) {
					Item item = this.items.get(i);
					UUID subjectId = item.draft().subjectId();
					Integer last = subjectId == null ? null : carrier.get(subjectId);
					boolean carries = last == null || last == i;
					rows.add(item.companyId())
						.add(item.draft().type().dotted())
						.add(item.draft().subjectType())
						.add(subjectId)
						.add(item.runId())
						.add(item.actor().type().json())
						.add(item.actor().id())
						.add(item.actor().label())
						.add(changes[i])
						.add(carries ? subjectJson.get(subjectId) : null)
						.add(carries ? null : base + last + 1)
						.add(base + i + 1);
				}
			});
			this.numberedThrough = base + n;
		}

		/** A small transaction's events, in one statement: the sequencer numbers them once committed. */
		private void insertUnnumbered(Map<UUID, String> subjectJson, String[] changes) {
			int n = this.items.size();
			UUID[] companies = new UUID[n];
			String[] types = new String[n];
			String[] subjectTypes = new String[n];
			UUID[] subjectIds = new UUID[n];
			UUID[] runs = new UUID[n];
			String[] actorTypes = new String[n];
			String[] actorIds = new String[n];
			String[] actorLabels = new String[n];
			String[] subjectJsons = new String[n];
			for (int i = 0; i < n; i++) {
				Item item = this.items.get(i);
				companies[i] = item.companyId();
				types[i] = item.draft().type().dotted();
				subjectTypes[i] = item.draft().subjectType();
				subjectIds[i] = item.draft().subjectId();
				runs[i] = item.runId();
				actorTypes[i] = item.actor().type().json();
				actorIds[i] = item.actor().id();
				actorLabels[i] = item.actor().label();
				subjectJsons[i] = subjectJson.get(item.draft().subjectId());
			}
			Outbox.this.jdbc.sql("""
					insert into domain_event (company_id, type, subject_type, subject_id, run_id, actor_type, actor_id,
					                          actor_label, changes, subject)
					select e.company_id, e.type, e.subject_type, e.subject_id, e.run_id, e.actor_type, e.actor_id,
					       e.actor_label, cast(e.changes as json), cast(e.subject as json)
					from unnest(cast(:companies as uuid[]), cast(:types as text[]), cast(:subjectTypes as text[]),
					            cast(:subjectIds as uuid[]), cast(:runs as uuid[]), cast(:actorTypes as text[]),
					            cast(:actorIds as text[]), cast(:actorLabels as text[]), cast(:changes as text[]),
					            cast(:subjects as text[]))
					     with ordinality as e(company_id, type, subject_type, subject_id, run_id, actor_type, actor_id,
					                          actor_label, changes, subject, n)
					order by e.n
					""")
				.param("companies", companies)
				.param("types", types)
				.param("subjectTypes", subjectTypes)
				.param("subjectIds", subjectIds)
				.param("runs", runs)
				.param("actorTypes", actorTypes)
				.param("actorIds", actorIds)
				.param("actorLabels", actorLabels)
				.param("changes", changes)
				.param("subjects", subjectJsons)
				.update();
			this.numberedThrough = 0;
		}

		/**
		 * The index of each subject's last event in this transaction: it carries the subject, the subject's earlier
		 * events point at it. The last, not the first, because retention deletes in id order: an event is never left
		 * pointing at one already deleted. Only for events numbered as written, whose positions are known here.
		 */
		private Map<UUID, Integer> lastOfEachSubject() {
			Map<UUID, Integer> last = new HashMap<>();
			for (int i = 0; i < this.items.size(); i++) {
				UUID id = this.items.get(i).draft().subjectId();
				if (id != null) {
					last.put(id, i);
				}
			}
			return last;
		}

		@Override
		public void afterCommit() {
			if (this.numberedThrough > 0) {
				Outbox.this.sequencer.advanceTo(this.numberedThrough);
			}
			else if (!this.items.isEmpty()) {
				Outbox.this.sequencer.wake();
			}
		}

	}

	/** Read in slices: a tag given to 50,000 people at once must not become one statement with 50,000 parameters. */
	private Map<UUID, ?> subjects(UUID companyId, String kind, Set<UUID> ids) {
		for (EventSubjects reader : this.subjects) {
			if (reader.subjectType().equals(kind)) {
				if (ids.size() <= SLICE) {
					return reader.load(companyId, ids);
				}
				Map<UUID, Object> all = new HashMap<>();
				List<UUID> list = List.copyOf(ids);
				for (int from = 0; from < list.size(); from += SLICE) {
					all.putAll(reader.load(companyId, list.subList(from, Math.min(list.size(), from + SLICE))));
				}
				return all;
			}
		}
		return Map.of();
	}

}
