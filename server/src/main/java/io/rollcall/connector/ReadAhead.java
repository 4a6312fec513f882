package io.rollcall.connector;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

import io.rollcall.sync.SourceReadException;

import org.springframework.util.Assert;

/**
 * A listing read on a thread of its own, at most {@code ahead} batches ahead of the run's thread that takes them: the
 * provider's pages are fetched, parsed and made into records while the run's thread plans the ones before (a full
 * Okta run spent 2 of its 5 s of planning on these, on the run's thread; a full Entra ID run 3.4 of its 9). Batches are
 * taken in the order they were read, and a failure is taken after the batches read before it, so a run fails where it
 * did when it read one page at a time. Memory holds {@code ahead} batches, whatever the listing's size.
 * <p>
 * The reader must not hand anything to the plan itself: the plan's writer is the run's thread's.
 *
 * @param <T> a batch, as the reader hands it on
 */
public final class ReadAhead<T> implements AutoCloseable {

	/** What reads the listing, handing each batch to {@code put} in order. */
	@FunctionalInterface
	public interface Reader<T> {

		void read(Consumer<T> put);

	}

	/** A batch, the end of the listing, or why it stopped. */
	private record Taken<T>(T batch, Throwable failure, boolean end) {
	}

	private static final Duration STOP_WAIT = Duration.ofSeconds(5);

	private final BlockingQueue<Taken<T>> queue;

	private final Thread thread;

	private ReadAhead(String name, int ahead, Reader<T> reader) {
		this.queue = new ArrayBlockingQueue<>(ahead);
		this.thread = Thread.ofVirtual().name(name).unstarted(() -> {
			Taken<T> last;
			try {
				reader.read(batch -> put(new Taken<>(batch, null, false)));
				last = new Taken<>(null, null, true);
			}
			catch (Stopped ex) {
				return; // the run's thread gave up the listing; nobody takes what is left
			}
			catch (RuntimeException | Error ex) {
				last = new Taken<>(null, ex, false);
			}
			try {
				put(last);
			}
			catch (Stopped ex) {
				// as above
			}
		});
	}

	/** Starts reading; {@link #close()} stops it, whatever the reader was doing. */
	public static <T> ReadAhead<T> start(String name, int ahead, Reader<T> reader) {
		Assert.isTrue(ahead >= 1, "ahead must be at least 1");
		Assert.notNull(reader, "reader cannot be null");
		ReadAhead<T> readAhead = new ReadAhead<>(name, ahead, reader);
		readAhead.thread.start();
		return readAhead;
	}

	/**
	 * Hands every batch to {@code each}, on the calling thread, in the order they were read; then throws the reader's
	 * failure, if it stopped on one.
	 */
	public void forEach(Consumer<T> each) {
		while (true) {
			Taken<T> taken;
			try {
				taken = this.queue.take();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new SourceReadException("The run was interrupted", ex);
			}
			if (taken.end()) {
				return;
			}
			if (taken.failure() instanceof RuntimeException failure) {
				throw failure;
			}
			if (taken.failure() instanceof Error error) {
				throw error;
			}
			each.accept(taken.batch());
		}
	}

	private void put(Taken<T> taken) {
		try {
			this.queue.put(taken);
		}
		catch (InterruptedException ex) {
			throw new Stopped();
		}
	}

	/**
	 * Stops the reader: its call in flight is interrupted, and it hands on nothing more. Waits a little for it, so that
	 * a run that failed is not still reading when it is retried.
	 */
	@Override
	public void close() {
		this.thread.interrupt();
		// A run's thread that was interrupted (the run is being stopped) still waits for its reader, then keeps its
		// interrupt.
		boolean interrupted = Thread.interrupted();
		try {
			this.thread.join(STOP_WAIT);
		}
		catch (InterruptedException ex) {
			interrupted = true;
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** The reader was stopped while it waited to hand on a batch. */
	private static final class Stopped extends RuntimeException {

		Stopped() {
			super(null, null, false, false);
		}

	}

}
