package io.rollcall.platform;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.ServletException;

/**
 * A few requests of a kind worked on at once on this node; the others wait their turn in the order they came. Many
 * clients keep dozens of connections busy, and when all of them share two cores each request crawls and waits behind
 * everything that arrived meanwhile: the mean stays, the slow tail grows. Taking them in turn gives every request the
 * same short wait plus its own work (SCIM at 32 connections on 2 cores: p99 42 ms in turn, 91 ms all at once, for
 * about the same throughput; see bench/RESULTS.md). When {@code maxWaiting} requests already wait, the next is not
 * taken: its caller answers 503 with Retry-After, which clients retry. Where the sender stops listening after a few
 * seconds (a webhook: 3 s), a request also gives up its wait after {@code maxWait}: an answer after that reaches
 * nobody, and the sender's retry is better served than a request it has already written off.
 */
public final class RequestTurns {

	/** The work of one request, run in its turn. */
	@FunctionalInterface
	public interface Work {

		void run() throws IOException, ServletException;

	}

	private final Semaphore turns;

	private final int maxWaiting;

	private final Duration maxWait;

	/** Requests wait for their turn as long as it takes, as long as fewer than {@code maxWaiting} wait. */
	public RequestTurns(int concurrency, int maxWaiting) {
		this(concurrency, maxWaiting, null);
	}

	/** @param maxWait how long a request waits for its turn before it is not taken; null: as long as it takes */
	public RequestTurns(int concurrency, int maxWaiting, Duration maxWait) {
		if (concurrency < 1 || maxWaiting < 0 || (maxWait != null && maxWait.isNegative())) {
			throw new IllegalArgumentException(
					"concurrency must be at least 1, maxWaiting at least 0, maxWait not negative");
		}
		this.turns = new Semaphore(concurrency, true);
		this.maxWaiting = maxWaiting;
		this.maxWait = maxWait;
	}

	/** Requests worked on at once by default: two per core (they wait on the database too), at least four. */
	public static int defaultConcurrency() {
		return perCore(2, 4);
	}

	/** {@code perCore} requests worked on at once for each core of this machine, and at least {@code atLeast}. */
	public static int perCore(int perCore, int atLeast) {
		return Math.max(atLeast, perCore * Runtime.getRuntime().availableProcessors());
	}

	/** How many requests wait for their turn now. */
	public int waiting() {
		return this.turns.getQueueLength();
	}

	public int maxWaiting() {
		return this.maxWaiting;
	}

	/**
	 * Runs the work in its turn, or not at all (false) when {@code maxWaiting} requests wait already or, with a
	 * {@code maxWait}, when no turn came within it. Without one the queue is checked, not the wait timed: a timed wait
	 * costs every waiting request a timer task (a quarter of SCIM's throughput on 2 cores), and a full queue says as
	 * well that the node is behind. The turn is given back however the work ends.
	 */
	public boolean inTurn(Work work) throws IOException, ServletException {
		try {
			// A free turn is taken at once (a timed try with no wait keeps the order, unlike tryAcquire()).
			if (!this.turns.tryAcquire(0, TimeUnit.SECONDS)) {
				if (this.turns.getQueueLength() >= this.maxWaiting) {
					return false;
				}
				if (this.maxWait == null) {
					this.turns.acquire();
				}
				else if (!this.turns.tryAcquire(this.maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
					return false;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ServletException("Interrupted while waiting for a turn", ex);
		}
		try {
			work.run();
			return true;
		}
		finally {
			this.turns.release();
		}
	}

}
