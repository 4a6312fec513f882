package io.rollcall.platform;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Remembers rows read on every request (a company by its slug, a source's settings and field mappings) for a few
 * seconds, so a busy push source does not read them again and again. The service that changes a row forgets it
 * through {@link #forget}, now and again once the change has committed, so no request in between can remember the
 * old row on this node; another node's change shows within the time given.
 *
 * @param <K> what a row is found by
 * @param <V> the row
 */
public final class ShortMemory<K, V> {

	private record Remembered<V>(V value, long at) {
	}

	private final Map<K, Remembered<V>> values = new ConcurrentHashMap<>();

	private final long nanos;

	public ShortMemory(Duration duration) {
		this.nanos = duration.toNanos();
	}

	/** The remembered row, else the one {@code read} gives (remembered unless null). */
	public V get(K key, Function<K, V> read) {
		long now = System.nanoTime();
		Remembered<V> remembered = this.values.get(key);
		if (remembered != null && now - remembered.at() < this.nanos) {
			return remembered.value();
		}
		V value = read.apply(key);
		if (value != null) {
			this.values.put(key, new Remembered<>(value, now));
		}
		return value;
	}

	/** Call before changing the row. */
	public void forget(K key) {
		forgetNowAndAfterCommit(() -> this.values.remove(key));
	}

	/** Call before changing (or deleting) the rows that {@code which} picks out. */
	public void forgetWhere(Predicate<V> which) {
		forgetNowAndAfterCommit(() -> this.values.values().removeIf(remembered -> which.test(remembered.value())));
	}

	private void forgetNowAndAfterCommit(Runnable forgetting) {
		forgetting.run();
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCompletion(int status) {
					forgetting.run();
				}
			});
		}
	}

}
