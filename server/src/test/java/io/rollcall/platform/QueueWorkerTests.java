package io.rollcall.platform;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The drain-on-wake loop on its own; the queues it serves are tested end to end with the integrations. */
@Tag("unit")
class QueueWorkerTests {

	@Test
	void wakeWhenCalledThenDrainsAtOnceWithoutWaitingForThePoll() throws Exception {
		BlockingQueue<Long> drains = new LinkedBlockingQueue<>();
		QueueWorker worker = new QueueWorker("test-queue", Duration.ofMinutes(10), () -> drains.add(System.nanoTime()));
		worker.start();
		try {
			assertThat(drains.poll(5, TimeUnit.SECONDS)).as("the drain at start, for rows left from before")
				.isNotNull();

			long woken = System.nanoTime();
			worker.wake();

			Long drained = drains.poll(5, TimeUnit.SECONDS);
			assertThat(drained).isNotNull();
			assertThat(Duration.ofNanos(drained - woken)).isLessThan(Duration.ofSeconds(2));
		}
		finally {
			worker.stop();
		}
	}

	@Test
	void fallbackPollWhenNobodyWakesThenDrainsAnyway() throws Exception {
		CountDownLatch drains = new CountDownLatch(3);
		QueueWorker worker = new QueueWorker("test-queue", Duration.ofMillis(100), drains::countDown);
		worker.start();
		try {
			assertThat(drains.await(5, TimeUnit.SECONDS)).as("the start's drain, then two polls").isTrue();
		}
		finally {
			worker.stop();
		}
	}

	@Test
	void wakeWhenDrainUnderWayThenAnotherDrainFollowsIt() throws Exception {
		CountDownLatch inFirstDrain = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger drains = new AtomicInteger();
		QueueWorker worker = new QueueWorker("test-queue", Duration.ofMinutes(10), () -> {
			if (drains.incrementAndGet() == 1) {
				inFirstDrain.countDown();
				await(release);
			}
		});
		worker.start();
		try {
			assertThat(inFirstDrain.await(5, TimeUnit.SECONDS)).isTrue();
			// Rows committed while the drain runs may not have been seen by it: their wake must not be lost.
			worker.wake();
			worker.wake();
			release.countDown();

			awaitCount(drains, 2);
			Thread.sleep(200);
			assertThat(drains.get()).as("many wakes during one drain make one more drain").isEqualTo(2);
		}
		finally {
			worker.stop();
		}
	}

	@Test
	void wakeWhenGatheringThenTheWakesOfTheNextMomentMakeOneDrainAfterIt() throws Exception {
		BlockingQueue<Long> drains = new LinkedBlockingQueue<>();
		QueueWorker worker = new QueueWorker("test-queue", Duration.ofMinutes(10), Duration.ofMillis(300),
				() -> drains.add(System.nanoTime()));
		worker.start();
		try {
			assertThat(drains.poll(5, TimeUnit.SECONDS)).as("the drain at start").isNotNull();

			long firstWake = System.nanoTime();
			for (int i = 0; i < 5; i++) {
				worker.wake();
				Thread.sleep(20);
			}

			Long drained = drains.poll(5, TimeUnit.SECONDS);
			assertThat(drained).isNotNull();
			assertThat(Duration.ofNanos(drained - firstWake)).as("waited for the rows of the next wakes")
				.isGreaterThanOrEqualTo(Duration.ofMillis(300));
			assertThat(drains.poll(600, TimeUnit.MILLISECONDS)).as("five wakes within the gathering, one drain")
				.isNull();
		}
		finally {
			worker.stop();
		}
	}

	@Test
	void drainWhenItFailsThenTheWorkerGoesOnAtTheNextWake() throws Exception {
		AtomicInteger drains = new AtomicInteger();
		QueueWorker worker = new QueueWorker("test-queue", Duration.ofMinutes(10), () -> {
			if (drains.incrementAndGet() == 1) {
				throw new IllegalStateException("database unavailable");
			}
		});
		worker.start();
		try {
			awaitCount(drains, 1);
			worker.wake();

			awaitCount(drains, 2);
		}
		finally {
			worker.stop();
		}
		assertThat(worker.isRunning()).isFalse();
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void awaitCount(AtomicInteger count, int expected) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (count.get() < expected && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(count.get()).isGreaterThanOrEqualTo(expected);
	}

}
