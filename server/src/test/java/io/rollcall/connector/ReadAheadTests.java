package io.rollcall.connector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.rollcall.connector.ProviderException;
import io.rollcall.sync.SourceReadException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A listing read ahead of its planning: how far ahead, in what order, and how it stops. */
@Tag("unit")
class ReadAheadTests {

	@Test
	void forEachWhenTakerIsSlowThenReaderIsAheadByAtMostItsBatchesAndAllArriveInOrder() throws Exception {
		AtomicInteger read = new AtomicInteger();
		CountDownLatch planning = new CountDownLatch(1);
		List<Integer> taken = new ArrayList<>();
		try (ReadAhead<Integer> ahead = ReadAhead.start("test-read-ahead", 4, put -> {
			for (int i = 0; i < 100; i++) {
				read.incrementAndGet();
				put.accept(i);
			}
		})) {
			ahead.forEach(batch -> {
				if (batch == 0) {
					awaitQuietly(() -> read.get() >= 5);
					pause(200);
					// Four waiting, one handed (this one), one more read and waiting for room.
					assertThat(read.get()).as("batches read while the first is planned").isEqualTo(6);
					planning.countDown();
				}
				taken.add(batch);
			});
		}
		assertThat(planning.await(0, TimeUnit.SECONDS)).isTrue();
		assertThat(taken).hasSize(100);
		for (int i = 0; i < 100; i++) {
			assertThat(taken.get(i)).isEqualTo(i);
		}
	}

	@Test
	void forEachWhenReaderFailsMidwayThenBatchesReadBeforeArriveThenItsFailure() {
		ProviderException failure = new ProviderException(503, null, "Okta did not answer page 4");
		List<Integer> taken = new ArrayList<>();
		try (ReadAhead<Integer> ahead = ReadAhead.start("test-read-ahead", 4, put -> {
			for (int i = 0; i < 3; i++) {
				put.accept(i);
			}
			throw failure;
		})) {
			assertThatThrownBy(() -> ahead.forEach(taken::add)).isSameAs(failure);
		}
		assertThat(taken).containsExactly(0, 1, 2);
	}

	@Test
	void closeWhenTakerGivesUpThenReaderStopsAndReadsNoMore() throws Exception {
		AtomicInteger read = new AtomicInteger();
		AtomicBoolean stopped = new AtomicBoolean();
		ReadAhead<Integer> ahead = ReadAhead.start("test-read-ahead", 2, put -> {
			try {
				for (int i = 0; i < 1_000_000; i++) {
					read.incrementAndGet();
					put.accept(i);
				}
			}
			finally {
				stopped.set(true);
			}
		});
		IllegalStateException planFailed = new IllegalStateException("the plan could not be written");
		try (ahead) {
			assertThatThrownBy(() -> ahead.forEach(batch -> {
				throw planFailed;
			})).isSameAs(planFailed);
		}
		assertThat(stopped).as("the reader stopped once closed").isTrue();
		int atClose = read.get();
		pause(100);
		assertThat(read.get()).isEqualTo(atClose).isLessThanOrEqualTo(4);
	}

	@Test
	void forEachWhenRunThreadInterruptedThenRunStopsAndReaderToo() throws Exception {
		CountDownLatch reading = new CountDownLatch(1);
		AtomicBoolean stopped = new AtomicBoolean();
		ReadAhead<Integer> ahead = ReadAhead.start("test-read-ahead", 2, put -> {
			reading.countDown();
			try {
				Thread.sleep(60_000); // an Okta call that does not answer
			}
			catch (InterruptedException ex) {
				stopped.set(true);
				Thread.currentThread().interrupt();
				throw new ProviderException("Interrupted while calling Okta", ex);
			}
		});
		assertThat(reading.await(5, TimeUnit.SECONDS)).isTrue();
		Thread.currentThread().interrupt();
		try (ahead) {
			assertThatThrownBy(() -> ahead.forEach(batch -> {
			})).isInstanceOf(SourceReadException.class).hasMessageContaining("interrupted");
		}
		finally {
			assertThat(Thread.interrupted()).as("the interrupt is kept for the run's thread").isTrue();
		}
		assertThat(stopped).as("the reader's call in flight was interrupted").isTrue();
	}

	private static void awaitQuietly(java.util.function.BooleanSupplier condition) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
			pause(5);
		}
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
