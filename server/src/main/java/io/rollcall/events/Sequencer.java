package io.rollcall.events;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.rollcall.platform.QueueWorker;
import io.rollcall.platform.QueueWorkerLifecycle;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gives committed events their place in the feed (see the V14 migration for why after commit). Each node runs one;
 * passes of all nodes take turns on event_sequencer's row, so one pass at a time numbers what has committed since
 * the last, in id order. Woken by this node's commits at once, and every {@link #POLL} for other nodes' events.
 */
@Component
class Sequencer implements QueueWorkerLifecycle {

	/** How long another node's event can wait for its number when nobody wakes this one. */
	static final Duration POLL = Duration.ofMillis(50);

	/**
	 * How long a woken pass waits for more commits: a pass is a transaction of four statements and a commit to disk
	 * whatever it numbers, and under a stream of writes (a SCIM client's pushes) it ran for every second event
	 * (bench/RESULTS.md, 2026-12-06, fourteenth session). Events reach readers this much later.
	 */
	static final Duration GATHER = Duration.ofMillis(10);

	/** Events numbered in one pass: one statement, short enough for the row lock it holds. */
	private static final int PASS = 10_000;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final QueueWorker worker;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition advanced = this.lock.newCondition();

	private volatile long lastPosition;

	/** Told, on the advancing thread, each time this node learns of a new last position. */
	private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

	Sequencer(JdbcClient jdbc, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.worker = new QueueWorker("event-sequencer", POLL, GATHER, this::numberAll);
	}

	void wake() {
		this.worker.wake();
	}

	/** Calls {@code listener} after each advance; it must return at once (wake a worker, no more). */
	void whenAdvanced(Runnable listener) {
		this.listeners.add(listener);
	}

	/**
	 * Waits until a pass of this node numbers events past {@code position}, or {@code timeout} passes. Another
	 * node's passes are not heard here; the caller reads the database after the timeout.
	 */
	void awaitPast(long position, Duration timeout) throws InterruptedException {
		long nanos = timeout.toNanos();
		this.lock.lock();
		try {
			while (this.lastPosition <= position && nanos > 0) {
				nanos = this.advanced.awaitNanos(nanos);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private void numberAll() {
		// Most polls find nothing: a look at the small index of unnumbered events, without taking the row.
		if (!this.jdbc.sql("select exists (select 1 from domain_event where position is null)")
			.query(Boolean.class)
			.single()) {
			return;
		}
		boolean more = true;
		while (more) {
			Long[] pass = this.transactions.execute(status -> numberOnePass());
			if (pass == null) {
				return; // another node's pass holds the row: it numbers these, or this node's next poll does
			}
			advanceTo(pass[0]);
			more = pass[1] == PASS;
		}
	}

	/** The new last position and how many were numbered, or null when another pass is under way. */
	private Long[] numberOnePass() {
		Long base = this.jdbc.sql("select last_position from event_sequencer for update skip locked")
			.query(Long.class)
			.optional()
			.orElse(null);
		if (base == null) {
			return null;
		}
		// A new statement, so a new snapshot: taken after the row lock, it sees every earlier pass's numbers.
		int numbered = this.jdbc.sql("""
				update domain_event e set position = :base + p.n
				from (select id, row_number() over (order by id) as n
				      from domain_event where position is null order by id limit :pass) p
				where e.id = p.id
				""")
			.param("base", base)
			.param("pass", PASS)
			.update();
		if (numbered > 0) {
			this.jdbc.sql("update event_sequencer set last_position = :last")
				.param("last", base + numbered)
				.update();
		}
		return new Long[] { base + numbered, (long) numbered };
	}

	/**
	 * Takes the next {@code count} positions for events the caller's transaction writes now, as its last statements
	 * before it commits: event_sequencer's row stays locked until then, so no pass or other reservation numbers
	 * anything in between, and the positions become visible together at commit, as a pass's do (see V14). The caller
	 * waits for a pass under way; a pass meanwhile skips its turn. Worth it for a large transaction only (a sync
	 * run's chunk): its events are written once, numbered, instead of inserted and then updated by a pass, which
	 * had rewritten every event of a 100,000-person sync (bench/RESULTS.md, fifteenth session). Small writers keep
	 * leaving numbering to the passes, so that they never wait for each other.
	 *
	 * @return the position before the first of them
	 */
	long reserve(int count) {
		// The update locks the row (waiting for a pass under way) and reads it as that pass left it.
		return this.jdbc
			.sql("update event_sequencer set last_position = last_position + :count returning last_position - :count")
			.param("count", count)
			.query(Long.class)
			.single();
	}

	/** Called with a position read from the database, by a pass or by a reader who saw another node's. */
	void advanceTo(long position) {
		if (position <= this.lastPosition) {
			return;
		}
		this.lock.lock();
		try {
			if (position > this.lastPosition) {
				this.lastPosition = position;
				this.advanced.signalAll();
			}
		}
		finally {
			this.lock.unlock();
		}
		this.listeners.forEach(Runnable::run);
	}

	@Override
	public QueueWorker worker() {
		return this.worker;
	}

}
