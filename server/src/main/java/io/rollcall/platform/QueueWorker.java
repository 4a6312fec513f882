package io.rollcall.platform;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.Assert;

/**
 * One thread that works through a queue kept in a table. It drains the queue as soon as it is woken (by whoever
 * just committed rows to it, or by the end of what the rows were waiting for) and, as a fallback, every
 * {@code fallbackPoll}: rows that a crash left, or that another node wrote, are never older than that. The rows
 * stay in the table until the drain has handled them, so a wake that is lost loses no work, only time.
 * <p>
 * Compared with a scheduler polling the table every few hundred milliseconds, an idle service makes no queries
 * but the fallback's, and a row is looked at without waiting for the next poll.
 */
public final class QueueWorker {

	private static final Logger log = LoggerFactory.getLogger(QueueWorker.class);

	/** How long a stop waits for the drain under way before interrupting it. */
	static final Duration STOP_WAIT = Duration.ofSeconds(10);

	private final String name;

	private final Duration fallbackPoll;

	private final Duration gather;

	private final Runnable drain;

	/** A permit means "drain again": wakes that come while a drain runs are not lost, and many wakes make one drain. */
	private final Semaphore wakes = new Semaphore(0);

	private Thread thread;

	private volatile boolean running;

	/**
	 * @param name the thread's name, and the name in log messages
	 * @param fallbackPoll how long the queue may go unlooked at when nobody wakes the worker
	 * @param drain handles every row that is ready now; what it leaves, it is woken or polled for again
	 */
	public QueueWorker(String name, Duration fallbackPoll, Runnable drain) {
		this(name, fallbackPoll, Duration.ZERO, drain);
	}

	/**
	 * A worker that lets a woken drain wait {@code gather} first, so that the rows of the wakes that come meanwhile go
	 * in the same drain: for queues written on every request (a row each), where one transaction for many rows is
	 * what keeps the database's cost a row small, and a few milliseconds more before they are handled cost nothing.
	 * A drain of the fallback poll does not wait.
	 * @param gather how long a woken drain waits for more rows; zero: not at all
	 */
	public QueueWorker(String name, Duration fallbackPoll, Duration gather, Runnable drain) {
		Assert.hasText(name, "name cannot be empty");
		Assert.isTrue(fallbackPoll != null && fallbackPoll.isPositive(), "fallbackPoll must be positive");
		Assert.isTrue(gather != null && !gather.isNegative() && gather.compareTo(fallbackPoll) < 0,
				"gather must be zero or more, and shorter than fallbackPoll");
		this.name = name;
		this.fallbackPoll = fallbackPoll;
		this.gather = gather;
		this.drain = Objects.requireNonNull(drain, "drain cannot be null");
	}

	/** Starts the thread; the first drain is at once, for rows left from before the start. */
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		this.wakes.release();
		this.thread = Thread.ofPlatform().daemon().name(this.name).start(this::work);
	}

	/**
	 * Stops the thread, after the drain under way (if any) has ended; a drain still going after {@link #STOP_WAIT} (the
	 * database unreachable: every query waits for a connection) is interrupted, which rolls it back and leaves its rows
	 * to the next drain, here or on another node.
	 */
	public synchronized void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		this.wakes.release();
		try {
			this.thread.join(STOP_WAIT);
			if (this.thread.isAlive()) {
				log.warn("{}: its drain did not end within {} s of the stop; interrupted, its rows stay queued",
						this.name, STOP_WAIT.toSeconds());
				this.thread.interrupt();
				this.thread.join(Duration.ofSeconds(5));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.thread = null;
	}

	public String name() {
		return this.name;
	}

	public boolean isRunning() {
		return this.running;
	}

	/** Asks for a drain as soon as the one under way (if any) ends. Cheap and safe from any thread. */
	public void wake() {
		if (this.wakes.availablePermits() == 0) {
			this.wakes.release();
		}
	}

	/**
	 * Wakes the worker once the current transaction commits (a drain before that would not see the rows), or at once
	 * when there is no transaction.
	 */
	public void wakeAfterCommit() {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					wake();
				}
			});
		}
		else {
			wake();
		}
	}

	private void work() {
		while (this.running) {
			try {
				boolean woken = this.wakes.tryAcquire(this.fallbackPoll.toMillis(), TimeUnit.MILLISECONDS);
				if (!woken && !this.running) {
					return;
				}
				if (woken && this.gather.isPositive() && this.running) {
					Thread.sleep(this.gather);
				}
				this.wakes.drainPermits();
				if (!this.running) {
					return;
				}
				this.drain.run();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				// The rows are still there: the next wake or poll tries again.
				log.warn("{}: the queue could not be drained: {}", this.name, ex.toString());
			}
		}
	}

}
