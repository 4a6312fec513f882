package io.rollcall.sync;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

	/** The second of two chunks applied at once. */
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

	/** Applies the run's pending items; how many there were. */
	int apply(SyncRun run, Actor actor) {
		int handled = 0;
		recount(run.id());
		ManagersAtCreation managers = new ManagersAtCreation(this.store, this.directory);
		while (true) {
			List<PlanStore.Item> items = this.store.pending(run.id(), 2 * CHUNK);
			if (items.isEmpty()) {
				return handled;
			}
			// One phase at a time: teams exist before people join them, people before they get managers.
			int phase = items.getFirst().phase();
			List<PlanStore.Item> ofPhase = items.stream().filter(i -> i.phase() == phase).toList();
			List<PlanStore.Item> first = ofPhase.subList(0, Math.min(CHUNK, ofPhase.size()));
			if (phase == PlanKind.INVITE.phase()) {
				invite(run, first, actor);
				handled += first.size();
				continue;
			}
			ManagersAtCreation.Folded one = fold(managers, run, phase, first);
			if (ofPhase.size() <= CHUNK) {
				handled += applyOrItemByItem(run, one, actor);
				continue;
			}
			// Two chunks of the phase at once, each in its own transaction: while one is in PostgreSQL, the other is
			// prepared here, and the two cores both work (a single chunk at a time kept PostgreSQL's backend busy 60 %
			// of the run). Chunks of a phase are independent; a manager created in the other one is not yet there
			// for the fold, so its link waits for the manager phase.
			ManagersAtCreation.Folded two = fold(managers, run, phase, ofPhase.subList(CHUNK, ofPhase.size()));
			Future<Integer> alongside = this.alongside.submit(() -> applyOrItemByItem(run, two, actor));
			RuntimeException failed = null;
			try {
				handled += applyOrItemByItem(run, one, actor);
			}
			catch (RuntimeException ex) {
				failed = ex;
			}
			try {
				handled += alongside.get();
			}
			catch (ExecutionException ex) {
				RuntimeException cause = ex.getCause() instanceof RuntimeException runtime ? runtime
						: new IllegalStateException(ex.getCause());
				if (failed == null) {
					failed = cause;
				}
				else {
					failed.addSuppressed(cause);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while a chunk of run " + run.id() + " was applied", ex);
			}
			if (failed != null) {
				throw failed;
			}
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
