package io.rollcall.connector;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

import io.rollcall.platform.Actor;
import io.rollcall.platform.QueueWorker;
import io.rollcall.platform.QueueWorkerLifecycle;
import io.rollcall.platform.RequestRejectedException;
import io.rollcall.sync.ChangeQueue;
import io.rollcall.sync.SyncRun;
import io.rollcall.sync.SyncRunEnded;
import io.rollcall.sync.SyncRuns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.transaction.TransactionStatus;

/**
 * The worker behind a provider's receiver: turns each company's queued changes (notifications, events) into an
 * incremental run through the engine. A provider says which companies have changes and how they become a run's
 * options ({@link #handle}).
 * <p>
 * It works on its own thread ({@link QueueWorker}), woken by the receiver once changes are queued and by the end of
 * the company's run of this source on any node (a cluster notice), so changes that came during a run go into the next
 * one as soon as it ends; a fallback poll picks up what nobody woke it for (queued by another node, or left by a
 * crash). The engine allows one
 * active run per company and source, so two nodes never act on a company's changes at once.
 */
public abstract class ChangeWorker implements QueueWorkerLifecycle, ChangeQueue {

	private static final Logger log = LoggerFactory.getLogger(ChangeWorker.class);

	private final String kind;

	private final Actor actor;

	private final SyncRuns runs;

	private final QueueWorker worker;

	/**
	 * @param kind the source, as its runs name it
	 * @param actor who starts the runs; its id names the worker's thread
	 */
	protected ChangeWorker(String kind, Actor actor, SyncRuns runs, Duration fallbackPoll) {
		this.kind = kind;
		this.actor = actor;
		this.runs = runs;
		this.worker = new QueueWorker(actor.id(), fallbackPoll, this::processQueued);
	}

	/** Changes were queued: they are looked at once the queueing commits. */
	public void wake() {
		this.worker.wakeAfterCommit();
	}

	@EventListener
	public void on(SyncRunEnded ended) {
		if (this.kind.equals(ended.source())) {
			this.worker.wakeAfterCommit();
		}
	}

	@Override
	public String source() {
		return this.kind;
	}

	/** The companies with queued changes. */
	protected abstract List<UUID> companiesWithChanges();

	/**
	 * Turns a company's queued changes into a run, or adds them to {@code waiting}, with
	 * {@link #startOrJoin}.
	 *
	 * @param waiting the company's incremental run that waits to retry, or null when none is active
	 */
	protected abstract void handle(UUID companyId, SyncRun waiting);

	/** Whether a run waiting to retry may take more changes in. */
	protected boolean mayJoin(SyncRun waiting) {
		return true;
	}

	/** Handles every company with queued changes; a company whose run of this source is still going waits its turn. */
	final void processQueued() {
		for (UUID company : companiesWithChanges()) {
			try {
				process(company);
			}
			catch (RuntimeException ex) {
				log.warn("{}: changes of company {} could not be handled yet: {}", this.kind, company, ex.getMessage());
			}
		}
	}

	private void process(UUID companyId) {
		Optional<SyncRun> active = this.runs.active(companyId, this.kind);
		// A run that waits to retry takes the new changes in (its next attempt reads them too); any other active run
		// keeps them queued until it ends, which wakes the worker.
		SyncRun waiting = active.filter(run -> run.retrying() && run.incremental()).orElse(null);
		if (active.isPresent() && (waiting == null || !mayJoin(waiting))) {
			return;
		}
		handle(companyId, waiting);
	}

	/**
	 * Starts an incremental run with {@code changes}, or adds them to {@code waiting}; in the transaction that took the
	 * changes from the queue, which is rolled back when neither can be done now, so that they wait for the next turn.
	 *
	 * @param join the waiting run's options with these changes added
	 * @param count how many queued changes these are: counted as waiting until the run succeeds, as a run that fails
	 * is retried with them
	 */
	protected final void startOrJoin(UUID companyId, SyncRun waiting, Map<String, Object> changes,
			UnaryOperator<Map<String, Object>> join, long count, TransactionStatus status) {
		if (waiting != null) {
			if (!this.runs.fold(waiting.id(), join, count)) {
				status.setRollbackOnly(); // it is being tried right now: the changes wait for its end
			}
			return;
		}
		try {
			this.runs.start(companyId, this.kind, false, null, SyncRun.counting(changes, count), this.actor);
		}
		catch (RequestRejectedException ex) {
			// A run started in between: roll back, so that the changes wait for the next turn.
			status.setRollbackOnly();
		}
	}

	/** Starts a full run, for changes that only a full listing settles. */
	protected final void startFull(UUID companyId) {
		this.runs.start(companyId, this.kind, false, null, Map.of(), this.actor);
	}

	@Override
	public QueueWorker worker() {
		return this.worker;
	}

}
