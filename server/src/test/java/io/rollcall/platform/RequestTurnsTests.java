package io.rollcall.platform;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Turns with a longest wait, as the webhook receivers take them: never more inside than there are turns, a request
 * that gets none within the wait is not taken, one freed in time lets the next in, and a turn is given back however
 * its work ends.
 */
@Tag("unit")
class RequestTurnsTests {

	private static final Duration WAIT = Duration.ofMillis(400);

	@Test
	void inTurnWhenEveryTurnTakenThenNextWaitsTheLongestWaitAndIsNotTakenAndNeverMoreInside() throws Exception {
		RequestTurns turns = new RequestTurns(2, 100, WAIT);
		AtomicInteger inside = new AtomicInteger();
		AtomicInteger mostInside = new AtomicInteger();
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch bothIn = new CountDownLatch(2);
		List<Thread> holders = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			holders.add(Thread.ofVirtual().start(() -> run(turns, () -> {
				mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
				bothIn.countDown();
				await(release);
				inside.decrementAndGet();
			})));
		}
		assertThat(bothIn.await(5, TimeUnit.SECONDS)).isTrue();

		long started = System.nanoTime();
		boolean taken = turns.inTurn(() -> mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max));
		Duration waited = Duration.ofNanos(System.nanoTime() - started);

		assertThat(taken).isFalse();
		assertThat(waited).isGreaterThanOrEqualTo(WAIT.minusMillis(20)).isLessThan(WAIT.plusSeconds(2));
		assertThat(mostInside.get()).isEqualTo(2);
		assertThat(turns.waiting()).isZero();
		release.countDown();
		for (Thread holder : holders) {
			holder.join();
		}
		assertThat(turns.inTurn(() -> {
		})).as("both turns given back").isTrue();
	}

	@Test
	void inTurnWhenTurnFreedWithinTheWaitThenTheWaitingOneRuns() throws Exception {
		RequestTurns turns = new RequestTurns(1, 100, Duration.ofSeconds(5));
		CountDownLatch holding = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Thread holder = Thread.ofVirtual().start(() -> run(turns, () -> {
			holding.countDown();
			await(release);
		}));
		assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
		boolean[] ran = { false };
		boolean[] taken = { false };
		Thread waiter = Thread.ofVirtual().start(() -> taken[0] = run(turns, () -> ran[0] = true));
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (turns.waiting() == 0 && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		assertThat(turns.waiting()).as("waiting for the held turn").isEqualTo(1);
		assertThat(ran[0]).isFalse();

		release.countDown();
		waiter.join(5000);
		holder.join(5000);

		assertThat(taken[0]).isTrue();
		assertThat(ran[0]).isTrue();
	}

	@Test
	void inTurnWhenWorkThrowsThenTheTurnIsGivenBack() throws Exception {
		RequestTurns turns = new RequestTurns(1, 0, Duration.ZERO);

		assertThatThrownBy(() -> turns.inTurn(() -> {
			throw new IOException("client gone");
		})).isInstanceOf(IOException.class);
		assertThatThrownBy(() -> turns.inTurn(() -> {
			throw new IllegalStateException("handler failed");
		})).isInstanceOf(IllegalStateException.class);

		boolean[] ran = { false };
		assertThat(turns.inTurn(() -> ran[0] = true)).isTrue();
		assertThat(ran[0]).isTrue();
	}

	@Test
	void constructorWhenNegativeWaitThenRefused() {
		assertThatThrownBy(() -> new RequestTurns(1, 0, Duration.ofMillis(-1)))
			.isInstanceOf(IllegalArgumentException.class);
	}

	private static boolean run(RequestTurns turns, RequestTurns.Work work) {
		try {
			return turns.inTurn(work);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
