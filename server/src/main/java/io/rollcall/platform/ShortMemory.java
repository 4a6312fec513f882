package io.rollcall.platform;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.Assert;

/**
 * Remembers rows read on every request (a company by its slug, a source's settings and field mappings) for a few
 * seconds, so a busy push source does not read them again and again. The service that changes a row forgets it
 * through {@link #forget}, now and again once the change has committed, so no request in between can remember the
 * old row on this node. A memory with a name made with {@link ClusterNotices} also tells every other node, which then
 * forgets all it holds under that name within milliseconds of the commit; a node-local memory (no name) shows
 * another node's change within the time given.
 *
 * @param <K> what a row is found by
 * @param <V> the row
 */
public final class ShortMemory<K, V> {

	private record Remembered<V>(V value, long at) {
	}

	private final Map<K, Remembered<V>> values = new ConcurrentHashMap<>();

	private final long nanos;

	private final String name;

	private final ClusterNotices notices;

	/**
	 * Counts the times everything was forgotten because of another node: a row read before such a forgetting may be
	 * older than the change it announced, so it is not kept.
	 */
	private final AtomicLong forgettings = new AtomicLong();

	/** A memory of this node alone: for rows whose changes may show late on the other nodes. */
	public ShortMemory(Duration duration) {
		this.nanos = duration.toNanos();
		this.name = null;
		this.notices = null;
	}

	/**
	 * A memory that every node forgets when one forgets any of it, and when notices may have been missed.
	 * @param name the same on every node, unique in the application
	 */
	public ShortMemory(String name, Duration duration, ClusterNotices notices) {
		Assert.hasText(name, "name cannot be empty");
		Assert.notNull(notices, "notices cannot be null");
		this.nanos = duration.toNanos();
		this.name = name;
		this.notices = notices;
		notices.listen(topic(name), new ClusterNotices.Listener() {

			@Override
			public void noticed(String message, boolean fromThisNode) {
				// This node forgot already, as the change was made.
				if (!fromThisNode) {
					forgetAllHere();
				}
			}

			@Override
			public void mayHaveMissed() {
				forgetAllHere();
			}

		});
	}

	/**
	 * A notice names the memory only, and the other nodes forget all of it: keys are of many types (slugs, ids, token
	 * hashes, lists) and {@link #forgetWhere} picks rows by a predicate, neither of which a text payload can carry,
	 * and a change is rare next to the reads (each node reads again what it needs, once).
	 */
	private static String topic(String name) {
		return "memory " + name;
	}

	private void forgetAllHere() {
		this.forgettings.incrementAndGet();
		this.values.clear();
	}

	/** The remembered row, else the one {@code read} gives (remembered unless null). */
	public V get(K key, Function<K, V> read) {
		long now = System.nanoTime();
		Remembered<V> remembered = this.values.get(key);
		if (remembered != null && now - remembered.at() < this.nanos) {
			return remembered.value();
		}
		long forgettingsBefore = this.forgettings.get();
		V value = read.apply(key);
		if (value != null) {
			Remembered<V> fresh = new Remembered<>(value, now);
			this.values.put(key, fresh);
			if (this.forgettings.get() != forgettingsBefore) {
				this.values.remove(key, fresh);
			}
		}
		return value;
	}

	/** Call before changing the row. */
	public void forget(K key) {
		forgetNowAndAfterCommit(() -> this.values.remove(key));
	}

	/** Call before changing rows whose keys are not known, or that are remembered under several keys. */
	public void forgetAll() {
		forgetNowAndAfterCommit(this.values::clear);
	}

	/** Call before changing (or deleting) the rows that {@code which} picks out. */
	public void forgetWhere(Predicate<V> which) {
		forgetNowAndAfterCommit(() -> this.values.values().removeIf(remembered -> which.test(remembered.value())));
	}

	private void forgetNowAndAfterCommit(Runnable forgetting) {
		// A read under way reads the row as it was before the change: it is not kept (see forgettings).
		this.forgettings.incrementAndGet();
		forgetting.run();
		if (this.notices != null) {
			// Inside the transaction, the notice is delivered at its commit.
			this.notices.send(topic(this.name), "");
		}
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCompletion(int status) {
					ShortMemory.this.forgettings.incrementAndGet();
					forgetting.run();
				}
			});
		}
	}

}
