package io.rollcall.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import io.rollcall.audit.FieldChange;
import io.rollcall.platform.CopyRows;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Where plans are kept: written in batches while planning, read back in chunks while applying. */
@Component
class PlanStore {

	private static final Logger log = LoggerFactory.getLogger(PlanStore.class);

	/** Plan items inserted in one batch. */
	static final int BATCH = 1000;

	private static final TypeReference<Map<String, FieldChange>> CHANGES = new TypeReference<>() {
	};

	private final DataSource dataSource;

	private final JdbcClient jdbc;

	private final ObjectMapper json;

	/** An item's changes, their type resolved once (resolving it for each of a large run's items showed in its profile). */
	private final ObjectReader changesReader;

	/** The threads plan batches are copied in on. */
	private final ExecutorService copier = Executors
		.newThreadPerTaskExecutor(Thread.ofVirtual().name("sync-plan-copy-", 0).factory());

	PlanStore(DataSource dataSource, JdbcClient jdbc, ObjectMapper json) {
		this.dataSource = dataSource;
		this.jdbc = jdbc;
		this.json = json;
		this.changesReader = json.readerFor(CHANGES);
	}

	/** A plan being made afresh: whatever an interrupted pass left is removed first. */
	Writer writer(UUID runId) {
		this.jdbc.sql("delete from sync_plan_item where run_id = :run").param("run", runId).update();
		return new Writer(runId);
	}

	/**
	 * Items still to apply after the one at {@code (afterPhase, afterSeq)}, in plan order: the applier reads on while
	 * the chunks it handed out are still being applied (not yet marked), so it reads from where it stopped, not from the
	 * first item not applied. {@code (0, 0)} reads from the start.
	 */
	List<Item> pending(UUID runId, int afterPhase, int afterSeq, int limit) {
		return this.jdbc.sql("""
				select * from sync_plan_item where run_id = :run and phase > 0 and not applied
				  and (phase, seq) > (:phase, :seq)
				order by phase, seq limit :limit
				""")
			.param("run", runId)
			.param("phase", afterPhase)
			.param("seq", afterSeq)
			.param("limit", limit)
			.query((rs, n) -> item(rs))
			.list();
	}

	private Item item(java.sql.ResultSet rs) throws java.sql.SQLException {
		return new Item(rs.getInt("seq"), PlanKind.of(rs.getString("kind")), rs.getString("external_id"),
				rs.getObject("person_id", UUID.class), rs.getString("label"),
				this.changesReader.<Map<String, FieldChange>>readValue(rs.getString("changes")),
				rs.getString("message"));
	}

	int countToApply(UUID runId) {
		return this.jdbc.sql("select count(*) from sync_plan_item where run_id = :run and phase > 0")
			.param("run", runId)
			.query(Integer.class)
			.single();
	}

	/**
	 * Pending manager items after {@code afterSeq}, in plan order, with the manager each sets read out of its changes
	 * by PostgreSQL: the applier reads twice a chunk's worth of them for every chunk of creations, and parsing each
	 * item's JSON was a tenth of its own thread's work in a 100,000-person sync.
	 */
	List<ManagerItem> pendingManagers(UUID runId, int afterSeq, int limit) {
		return this.jdbc.sql("""
				select seq, person_id, changes -> '%s' ->> 'to' as manager from sync_plan_item
				where run_id = :run and phase = :phase and kind = :kind and not applied and seq > :after
				order by seq limit :limit
				""".formatted(ManagerLinking.OVERRIDE_MANAGER))
			.param("run", runId)
			.param("phase", PlanKind.MANAGER.phase())
			.param("kind", PlanKind.MANAGER.value())
			.param("after", afterSeq)
			.param("limit", limit)
			.query((rs, n) -> {
				String manager = rs.getString("manager");
				return new ManagerItem(rs.getInt("seq"), rs.getObject("person_id", UUID.class),
						manager == null ? null : UUID.fromString(manager));
			})
			.list();
	}

	/** A manager item: whose manager it sets, and to whom (null: to nobody). */
	record ManagerItem(int seq, UUID personId, UUID managerId) {
	}

	void markApplied(UUID runId, List<Integer> seqs) {
		// One array, not a list expanded into a placeholder a seq: a chunk's 500–1,000 seqs made a statement text of
		// that many parameters for Spring to substitute and PostgreSQL to parse on every chunk.
		this.jdbc.sql("update sync_plan_item set applied = true where run_id = :run and seq = any(:seqs)")
			.param("run", runId)
			.param("seqs", seqs.toArray(new Integer[0]))
			.update();
	}

	void markFailed(UUID runId, int seq, String error) {
		this.jdbc
			.sql("update sync_plan_item set applied = true, apply_error = :error where run_id = :run and seq = :seq")
			.param("run", runId)
			.param("seq", seq)
			.param("error", error)
			.update();
	}

	record Item(int seq, PlanKind kind, String externalId, UUID personId, String label,
			Map<String, FieldChange> changes, String message) {

		int phase() {
			return this.kind.phase();
		}

	}

	/**
	 * Buffers items and copies them in by the thousand, each batch on a thread of its own while the run's thread plans
	 * on (a 100,000-person plan is 200 batches, and the run's thread waited ~1.4 s for them); one batch at a time, in
	 * order. An item added inside a read-only transaction (say from a directory read's callback) is refused at once:
	 * its batch would be refused anyway, but only once the buffer fills, so a plan smaller than a batch would hide the
	 * mistake. The plan is whole once {@link #close} returns; a pass that fails calls {@link #abandon}, so that no batch
	 * of it is still being copied when the next pass deletes what it left.
	 */
	final class Writer implements PlanSink {

		private final UUID runId;

		private List<Object[]> buffer = new ArrayList<>();

		private int seq;

		/** The batch being copied in, or null. */
		private Future<?> copying;

		/** The run's thread: the buffer and the numbering are not shared (a picture's thread once numbered an item twice). */
		private final Thread owner = Thread.currentThread();

		Writer(UUID runId) {
			this.runId = runId;
		}

		@Override
		public void add(PlanKind kind, String externalId, UUID personId, String label, Map<String, FieldChange> changes,
				String message) {
			if (Thread.currentThread() != this.owner) {
				throw new IllegalStateException("A plan item was added from " + Thread.currentThread().getName()
						+ ", not from the run's thread: report it on the run's thread");
			}
			if (TransactionSynchronizationManager.isCurrentTransactionReadOnly()) {
				throw new IllegalStateException("A plan item was added inside a read-only transaction, where the plan "
						+ "cannot be written; add items after the read");
			}
			this.buffer
				.add(new Object[] { this.runId, ++this.seq, kind.phase(), kind.value(), externalId, personId, label,
						PlanStore.this.json.writeValueAsString(changes), message });
			if (this.buffer.size() >= BATCH) {
				flush();
			}
		}

		/** Hands the buffered items to be copied in, once the batch before them is; a failed batch is thrown here. */
		@Override
		public void flush() {
			if (this.buffer.isEmpty()) {
				return;
			}
			List<Object[]> batch = this.buffer;
			this.buffer = new ArrayList<>(BATCH);
			awaitCopy();
			// Copied in: a plan of 100,000 people is 200,000 items, and a batched insert's parameters cost the driver
			// more than the rows cost the server.
			Runnable copy = () -> CopyRows.writeRows(PlanStore.this.dataSource, "sync_plan_item",
					"run_id, seq, phase, kind, external_id, person_id, label, changes, message", batch);
			if (TransactionSynchronizationManager.isActualTransactionActive()) {
				// The transaction's connection is this thread's: its items are written in it.
				copy.run();
			}
			else {
				this.copying = PlanStore.this.copier.submit(copy);
			}
		}

		/** Every item written: the plan is whole. */
		void close() {
			flush();
			awaitCopy();
		}

		/** The pass failed: waits for a batch still being copied in, whatever comes of it. */
		void abandon() {
			try {
				awaitCopy();
			}
			catch (RuntimeException ex) {
				log.debug("Run {}: a plan batch failed after its pass had failed", this.runId, ex);
			}
		}

		private void awaitCopy() {
			Future<?> batch = this.copying;
			if (batch == null) {
				return;
			}
			this.copying = null;
			Outcome.of(batch);
		}

	}

}
