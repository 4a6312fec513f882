package io.rollcall.platform;

import java.util.function.IntUnaryOperator;

/**
 * Retention's way of deleting many rows: a batch at a time, each its own statement (and, outside a transaction, its
 * own commit), until a batch comes back short. One statement for them all would hold its locks and its WAL until the
 * end, and stall whatever else writes the table.
 */
public final class BatchedDeletes {

	private BatchedDeletes() {
	}

	/**
	 * @param batch the most rows one statement deletes
	 * @param deleteUpTo deletes at most the given number of rows, and says how many it deleted
	 * @return how many rows were deleted in all
	 */
	public static long untilDone(int batch, IntUnaryOperator deleteUpTo) {
		long deleted = 0;
		int last;
		do {
			last = deleteUpTo.applyAsInt(batch);
			deleted += last;
		}
		while (last == batch);
		return deleted;
	}

}
