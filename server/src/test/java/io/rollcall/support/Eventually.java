package io.rollcall.support;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Waits for what the service does in the background: a condition looked at every 50 ms until it holds. */
public final class Eventually {

	private Eventually() {
	}

	/** Returns once {@code condition} holds; fails the test when it has not within 20 s. */
	public static void await(BooleanSupplier condition) {
		await(Duration.ofSeconds(20), condition);
	}

	/** Returns once {@code condition} holds; fails the test when it has not within {@code timeout}. */
	public static void await(Duration timeout, BooleanSupplier condition) {
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			if (condition.getAsBoolean()) {
				return;
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		throw new AssertionError("The condition did not hold within " + timeout.toSeconds() + " s");
	}

}
