package io.rollcall.sync;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** The end of work a run handed to a thread of its own: a chunk being applied, a plan batch being copied in. */
final class Outcome {

	private Outcome() {
	}

	/**
	 * Waits for the work to end and returns its result, or throws its failure. An interruption does not cut the wait
	 * short: the work's own transaction decides what it wrote, and a caller that went on (say to retry the run) would
	 * act beside it. The interruption is passed on once the work has ended.
	 */
	static <T> T of(Future<T> work) {
		boolean interrupted = false;
		try {
			while (true) {
				try {
					return work.get();
				}
				catch (ExecutionException ex) {
					throw ex.getCause() instanceof RuntimeException runtime ? runtime
							: new IllegalStateException(ex.getCause());
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
