package io.rollcall.connector;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.rollcall.mapping.SourceRecord;
import io.rollcall.sync.Source;

import org.springframework.util.Assert;

/**
 * A full listing's records handed to the plan so that, where the listing allows, a manager comes well ahead of their
 * reports: the applier sets a new person's manager as they are created only when the manager's row is already
 * committed, so a report planned just after their manager (the next 1,500 records: the chunks in flight) is written
 * twice, created, then given the manager in the manager phase with a second history entry and event. A listing of
 * nested groups goes group by group (the Entra emulator's does, each team's lead first; Graph's order is not
 * documented): in a 100,000-person Entra ID sync on the emulator 65,326 of 94,318 links waited for the manager phase.
 * Where a listing's order has no such locality, this changes little, and costs nothing but the line's memory.
 * <p>
 * Each record waits in a line of {@code distance} records before it is handed on; a record whose manager is still in
 * the line takes the manager out, handed at once, and a manager arriving after some of their reports sends them to the
 * back of the line, so either way the reports follow their manager by about {@code distance} records. Every record is
 * handed exactly once: the line is handed in its order by {@link #finish()}, which a listing calls only when it
 * ended; a listing that failed hands nothing more, and its run applies nothing. Memory holds {@code distance}
 * records. Records of the same id keep their order.
 */
public final class ManagersAhead {

	/** Four chunks of the applier beyond the two in flight: their rows are committed when the reports' come. */
	public static final int DISTANCE = 3_000;

	private record Held(SourceRecord record, String position) {

		String id() {
			return this.record.externalId();
		}

		String manager() {
			String ref = this.record.managerRef();
			return ref == null || ref.isBlank() ? null : ref.strip();
		}

	}

	private final Source.RecordSink sink;

	private final int distance;

	/** The line, by external id, in the order the records are to be handed. */
	private final LinkedHashMap<String, Held> line = new LinkedHashMap<>();

	/** The ids of the records in the line, by the manager id they name. */
	private final Map<String, Set<String>> reportsOf = new HashMap<>();

	public ManagersAhead(Source.RecordSink sink, int distance) {
		Assert.notNull(sink, "sink cannot be null");
		Assert.isTrue(distance >= 0, "distance cannot be negative");
		this.sink = sink;
		this.distance = distance;
	}

	/** Takes the next record of the listing; hands on whatever has waited long enough. */
	public void record(SourceRecord record, String position) {
		Held next = new Held(record, position);
		Held same = this.line.get(next.id());
		if (same != null) {
			handNow(same); // the same person listed twice: the earlier comes first, as listed
		}
		Held manager = next.manager() == null ? null : this.line.get(next.manager());
		if (manager != null) {
			handNow(manager);
		}
		if (this.reportsOf.containsKey(next.id())) {
			// Some of this person's reports came first: the manager goes now and they go to the back of the line.
			hand(next);
			sendBack(this.reportsOf.remove(next.id()));
		}
		else {
			this.line.put(next.id(), next);
			if (next.manager() != null) {
				this.reportsOf.computeIfAbsent(next.manager(), m -> new LinkedHashSet<>()).add(next.id());
			}
		}
		while (this.line.size() > this.distance) {
			Iterator<Held> first = this.line.values().iterator();
			Held head = first.next();
			first.remove();
			leave(head);
			hand(head);
		}
	}

	/** The listing ended: hands on the line, in its order. */
	public void finish() {
		for (Held held : this.line.values()) {
			hand(held);
		}
		this.line.clear();
		this.reportsOf.clear();
	}

	/** Takes a record out of the line and hands it on now, after its managers still in the line. */
	private void handNow(Held held) {
		Deque<Held> chain = new ArrayDeque<>();
		for (Held at = held; at != null && this.line.remove(at.id()) != null; at = at.manager() == null ? null
				: this.line.get(at.manager())) {
			leave(at);
			chain.push(at);
		}
		while (!chain.isEmpty()) {
			Held next = chain.pop();
			hand(next);
			Set<String> reports = this.reportsOf.remove(next.id());
			if (reports != null) {
				sendBack(reports);
			}
		}
	}

	/** Reports whose manager was just handed on: to the back of the line, to follow at a distance. */
	private void sendBack(Set<String> reports) {
		for (String id : reports) {
			Held report = this.line.remove(id);
			if (report != null) {
				this.line.put(id, report);
			}
		}
	}

	/** Forgets that a record leaving the line waits for its manager. */
	private void leave(Held held) {
		if (held.manager() == null) {
			return;
		}
		Set<String> waiting = this.reportsOf.get(held.manager());
		if (waiting != null) {
			waiting.remove(held.id());
			if (waiting.isEmpty()) {
				this.reportsOf.remove(held.manager());
			}
		}
	}

	private void hand(Held held) {
		this.sink.record(held.record(), held.position());
	}

}
