package io.rollcall.sync;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import io.rollcall.audit.FieldChange;
import io.rollcall.directory.DirectoryBatch;
import io.rollcall.directory.Invitations;
import io.rollcall.directory.PersonWrite;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies a stored plan in chunks, each chunk in one transaction together with marking its items applied, so a
 * run killed midway resumes where it stopped and applies nothing twice. A chunk that fails (say an e-mail was
 * taken since the plan was made) is applied again item by item, and only the failing items are reported.
 */
@Component
class SyncApplier {

	private static final Logger log = LoggerFactory.getLogger(SyncApplier.class);

	static final int CHUNK = 500;

	private final PlanStore store;

	private final DirectoryBatch directory;

	private final Invitations invitations;

	private final TransactionTemplate transaction;

	private final JdbcClient jdbc;

	/** The threads of the chunks applied at once. */
	private final ExecutorService alongside = Executors
		.newThreadPerTaskExecutor(Thread.ofVirtual().name("sync-apply-", 0).factory());

	SyncApplier(PlanStore store, DirectoryBatch directory, Invitations invitations, TransactionTemplate transaction,
			JdbcClient jdbc) {
		this.store = store;
		this.directory = directory;
		this.invitations = invitations;
		this.transaction = transaction;
		this.jdbc = jdbc;
	}

	/**
	 * Applies the run's pending items; how many there were. Two chunks of a phase are applied at once, each in its own
	 * transaction on a thread of its own, while this thread reads and folds the next: as either commits, the next
	 * starts, so PostgreSQL's two backends and this thread all work (applied in pairs, each pair waited for its slower
	 * chunk, and nothing was in PostgreSQL while the next pair was read and folded). Chunks of a phase are independent; a manager
	 * created in a chunk still in flight is not yet there for the fold, so its link waits for the manager phase.
	 */
	int apply(SyncRun run, Actor actor) {
		int handled = 0;
		recount(run.id());
		ManagersAtCreation managers = new ManagersAtCreation(this.store, this.directory);
		InFlight inFlight = new InFlight(run);
		int afterPhase = 0;
		int afterSeq = 0;
		try {
			while (true) {
				List<PlanStore.Item> items = this.store.pending(run.id(), afterPhase, afterSeq, CHUNK);
				if (items.isEmpty()) {
					return handled + inFlight.awaitAll();
				}
				int phase = items.getFirst().phase();
				if (!inFlight.isEmpty() && inFlight.phase() != phase) {
					// One phase at a time: teams exist before people join them, people before they get managers. Read
					// again once the phase before has committed: its chunks took manager items to apply at creation.
					handled += inFlight.awaitAll();
					continue;
				}
				List<PlanStore.Item> chunk = items.stream().takeWhile(i -> i.phase() == phase).toList();
				afterPhase = phase;
				afterSeq = chunk.getLast().seq();
				if (phase == PlanKind.INVITE.phase()) {
					invite(run, chunk, actor);
					handled += chunk.size();
					continue;
				}
				ManagersAtCreation.Folded folded = fold(managers, run, phase, chunk);
				handled += inFlight.add(phase, () -> applyOrItemByItem(run, folded, actor));
			}
		}
		finally {
			// Whatever stopped this pass (a chunk's or this thread's failure), no chunk of it is left applying: the
			// run is retried from its plan, and a chunk still in flight would be applied a second time beside it.
			inFlight.awaitQuietly();
		}
	}

	/**
	 * The chunks being applied on their own threads, all of one phase: at most two at once, and a new one starts as soon
	 * as either ends (a chunk slowed down, say by a lock, does not hold the other slot back).
	 */
	private final class InFlight {

		private static final int AT_ONCE = 2;

		private final SyncRun run;

		private final Semaphore slots = new Semaphore(AT_ONCE);

		private final List<Future<Integer>> chunks = new ArrayList<>();

		private int phase;

		InFlight(SyncRun run) {
			this.run = run;
		}

		boolean isEmpty() {
			return this.chunks.isEmpty();
		}

		int phase() {
			return this.phase;
		}

		/**
		 * Hands a chunk out once a slot is free; the items of the chunks that ended meanwhile. A chunk that failed is
		 * thrown here, and nothing more is handed out.
		 */
		int add(int phase, Callable<Integer> chunk) {
			this.slots.acquireUninterruptibly();
			int done;
			try {
				done = collectEnded();
			}
			catch (RuntimeException ex) {
				this.slots.release();
				throw ex;
			}
			this.phase = phase;
			this.chunks.add(SyncApplier.this.alongside.submit(() -> {
				try {
					return chunk.call();
				}
				finally {
					this.slots.release();
				}
			}));
			return done;
		}

		/** Waits for every chunk; the first failure is thrown once all have ended. */
		int awaitAll() {
			int done = 0;
			RuntimeException failed = null;
			for (Future<Integer> chunk : this.chunks) {
				try {
					done += Outcome.of(chunk);
				}
				catch (RuntimeException ex) {
					if (failed == null) {
						failed = ex;
					}
					else {
						failed.addSuppressed(ex);
					}
				}
			}
			this.chunks.clear();
			if (failed != null) {
				throw failed;
			}
			return done;
		}

		void awaitQuietly() {
			try {
				awaitAll();
			}
			catch (RuntimeException ex) {
				log.debug("Sync run {}: a chunk failed after the pass had already failed", this.run.id(), ex);
			}
		}

		private int collectEnded() {
			int done = 0;
			for (Iterator<Future<Integer>> it = this.chunks.iterator(); it.hasNext();) {
				Future<Integer> chunk = it.next();
				if (chunk.isDone()) {
					it.remove();
					done += Outcome.of(chunk);
				}
			}
			return done;
		}

	}

	private static ManagersAtCreation.Folded fold(ManagersAtCreation managers, SyncRun run, int phase,
			List<PlanStore.Item> chunk) {
		return phase == PlanKind.CREATE.phase() ? managers.fold(run.id(), run.companyId(), chunk)
				: ManagersAtCreation.Folded.none(chunk);
	}

	/** Applies a chunk in one transaction, or else item by item; how many items that was. */
	private int applyOrItemByItem(SyncRun run, ManagersAtCreation.Folded folded, Actor actor) {
		try {
			this.transaction
				.executeWithoutResult(status -> applyChunk(run, folded.chunk(), folded.managerItems(), actor));
			int applied = folded.chunk().size() + folded.managerItems().size();
			progress(run.id(), applied, false);
			return applied;
		}
		catch (RuntimeException ex) {
			// The database gone (restarted, connection lost) is no fault of the items: one by one they would each
			// fail and be reported failed once it is back, people lost from a run that succeeds. The chunk rolled
			// back; the run retries and resumes with it.
			if (SyncEngine.databaseUnavailable(ex)) {
				throw ex;
			}
			log.info("Sync run {}: a chunk failed ({}); applying its items one by one", run.id(), ex.getMessage());
			// As planned, without managers at creation: a person is not refused for a manager who went missing.
			for (PlanStore.Item item : folded.planned()) {
				try {
					this.transaction.executeWithoutResult(status -> applyChunk(run, List.of(item), List.of(), actor));
					progress(run.id(), 1, false);
				}
				catch (RuntimeException itemFailure) {
					if (SyncEngine.databaseUnavailable(itemFailure)) {
						throw itemFailure;
					}
					this.transaction.executeWithoutResult(status -> {
						this.store.markFailed(run.id(), item.seq(), reason(itemFailure));
						progress(run.id(), 1, true);
					});
				}
			}
			return folded.planned().size();
		}
	}

	/** @param managerItems manager items applied with the chunk's creations (see {@link ManagersAtCreation}) */
	private void applyChunk(SyncRun run, List<PlanStore.Item> chunk, List<Integer> managerItems, Actor actor) {
		applyItems(run.companyId(), run.source(), run.id(), chunk, actor);
		List<Integer> applied = new ArrayList<>(chunk.size() + managerItems.size());
		chunk.forEach(item -> applied.add(item.seq()));
		applied.addAll(managerItems);
		this.store.markApplied(run.id(), applied);
	}

	/**
	 * Writes plan items of one phase (not invitations) through the directory, in the caller's transaction.
	 *
	 * @param runId the run they belong to, recorded with their events; null for a pushed record
	 */
	void applyItems(UUID companyId, String source, UUID runId, List<PlanStore.Item> chunk, Actor actor) {
		List<String> teamNames = new ArrayList<>();
		List<PersonWrite> writes = new ArrayList<>();
		for (PlanStore.Item item : chunk) {
			switch (item.kind()) {
				case TEAM -> teamNames.add(item.label());
				case CREATE -> writes.add(new PersonWrite(PersonWrite.Kind.CREATE, item.personId(), item.label(),
						item.externalId(), item.changes()));
				case UPDATE -> writes.add(new PersonWrite(PersonWrite.Kind.UPDATE, item.personId(), item.label(),
						item.externalId(), item.changes()));
				case LINK -> writes.add(new PersonWrite(PersonWrite.Kind.LINK, item.personId(), item.label(),
						item.externalId(), item.changes()));
				case REACTIVATE -> writes.add(new PersonWrite(PersonWrite.Kind.REACTIVATE, item.personId(),
						item.label(), item.externalId(), Map.of()));
				case DEACTIVATE -> writes.add(new PersonWrite(PersonWrite.Kind.DEACTIVATE, item.personId(),
						item.label(), item.externalId(), Map.of()));
				case MANAGER -> writes.add(new PersonWrite(PersonWrite.Kind.MANAGER, item.personId(), item.label(),
						null, item.changes()));
				case INVITE, ERROR -> throw new IllegalStateException("A " + item.kind().value()
						+ " item is not written through the directory");
			}
		}
		for (PersonWrite write : writes) {
			FieldChange team = write.changes().get("primaryTeam");
			if (team != null && team.to() != null) {
				teamNames.add(team.to().toString());
			}
		}
		Map<String, UUID> teamIds = teamNames.isEmpty() ? new HashMap<>()
				: this.directory.ensureTeams(companyId, teamNames, actor, runId);
		for (PersonWrite write : writes) {
			FieldChange team = write.changes().get("primaryTeam");
			if (team != null && team.to() != null
					&& !teamIds.containsKey(team.to().toString().toLowerCase(Locale.ROOT))) {
				throw new IllegalStateException("Team " + team.to() + " is missing");
			}
		}
		if (!writes.isEmpty()) {
			this.directory.apply(companyId, source, writes, teamIds, actor, runId);
		}
	}

	/** Invitations go out after the people exist; each is marked done before its e-mail, so none is sent twice. */
	private void invite(SyncRun run, List<PlanStore.Item> chunk, Actor actor) {
		for (PlanStore.Item item : chunk) {
			this.transaction.executeWithoutResult(status -> {
				this.store.markApplied(run.id(), List.of(item.seq()));
				progress(run.id(), 1, false);
			});
			try {
				var sent = this.invitations.send(run.companyId(), item.personId(), actor);
				if (sent.invitation().deliveryError() != null) {
					this.store.markFailed(run.id(), item.seq(), sent.invitation().deliveryError());
				}
			}
			catch (RequestRejectedException ex) {
				this.store.markFailed(run.id(), item.seq(), ex.getMessage());
			}
		}
	}

	/**
	 * The run's count of items done, from its plan: a chunk's count is added once it has committed (outside its
	 * transaction, so that two chunks at once do not queue on the run's row), and a run killed in between resumes here.
	 */
	private void recount(UUID runId) {
		this.jdbc
			.sql("""
					update sync_run set done = (select count(*) from sync_plan_item where run_id = :id and phase > 0 and applied)
					where id = :id
					""")
			.param("id", runId)
			.update();
	}

	private void progress(UUID runId, int done, boolean failed) {
		this.jdbc
			.sql("""
					update sync_run set done = done + :done,
					    counts = case when :failed then jsonb_set(counts, '{%1$s}', to_jsonb(coalesce((counts->>'%1$s')::int, 0) + :done))
					             else counts end
					where id = :id
					"""
				.formatted(PlanKind.FAILED))
			.param("done", done)
			.param("failed", failed)
			.param("id", runId)
			.update();
	}

	private static String reason(RuntimeException ex) {
		if (ex instanceof org.springframework.dao.DuplicateKeyException) {
			return "Another person already has this e-mail address or source id; not applied";
		}
		if (ex instanceof RequestRejectedException) {
			return ex.getMessage();
		}
		return "Could not be applied: " + ex.getClass().getSimpleName();
	}

}
