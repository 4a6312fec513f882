package io.rollcall.scim;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import org.springframework.util.Assert;

/**
 * At most {@code perSecond} SCIM requests a second per company, summed over every node, so one company's provider
 * cannot starve the others; the rest get 429 with Retry-After, which Entra ID and Okta both honour by retrying later.
 * <p>
 * A node does not ask the database for each request (SCIM serves a thousand a second): it leases a chunk of the
 * company's budget for the current second from a {@link Budget} shared by the nodes (a twentieth of the limit, so one
 * statement per twenty-odd requests) and admits requests locally until the chunk is used. The budget never grants
 * more than the limit in a second, so the sum admitted by all nodes never exceeds it; a node may refuse while another
 * still holds part of a chunk it will not use, at most {@code chunk} per other node.
 */
final class ScimRateLimit {

	/** Leases from a company's budget for one second. */
	interface Budget {

		/**
		 * Takes up to {@code chunk} of the company's {@code limit} for the current second.
		 * @return what was granted (0 when the second's budget is spent), and when, by the budget's clock
		 */
		Lease take(UUID companyId, int limit, int chunk);

	}

	/** @param atMillis when the lease was taken by the budget's clock; it is good until that second ends */
	record Lease(long atMillis, int granted) {
	}

	/** What a lease takes from a budget of which {@code taken} is spent: as much of {@code chunk} as is left. */
	static int granted(int limit, int taken, int chunk) {
		return Math.min(chunk, Math.max(0, limit - taken));
	}

	/** A twentieth of the limit, at least one. */
	static int chunk(int perSecond) {
		return Math.max(1, perSecond / 20);
	}

	private final int perSecond;

	private final int chunk;

	private final LongSupplier clockMillis;

	private final Budget budget;

	private final Map<UUID, Window> windows = new ConcurrentHashMap<>();

	/** This node's leases of one company's budget. */
	private static final class Window {

		/**
		 * Not {@code synchronized}: the lease is a database call, and on Java 21 a virtual thread blocked inside a
		 * monitor holds its carrier thread.
		 */
		final ReentrantLock lock = new ReentrantLock();

		/** Local time at which the second of the leases ends (the budget's clock may differ from this node's). */
		long endsAt;

		int leased;

		int used;

		/** The budget is spent until then: no lease is asked for before. */
		long spentUntil;

	}

	/** Of one node: a budget in memory. */
	ScimRateLimit(int perSecond, LongSupplier clockMillis) {
		this(perSecond, clockMillis, new OneNode(clockMillis));
	}

	ScimRateLimit(int perSecond, LongSupplier clockMillis, Budget budget) {
		Assert.isTrue(perSecond >= 1, "perSecond must be at least 1");
		Assert.notNull(clockMillis, "clockMillis cannot be null");
		Assert.notNull(budget, "budget cannot be null");
		this.perSecond = perSecond;
		this.chunk = chunk(perSecond);
		this.clockMillis = clockMillis;
		this.budget = budget;
	}

	/** Counts the request; false when the company is over its limit for this second. */
	boolean admit(UUID companyId) {
		Window window = this.windows.computeIfAbsent(companyId, id -> new Window());
		// One lock per company: uncontended but for the moment a lease is taken, which the others would wait for anyway.
		window.lock.lock();
		try {
			long now = this.clockMillis.getAsLong();
			if (now >= window.endsAt) {
				window.leased = 0;
				window.used = 0;
			}
			if (window.used < window.leased) {
				window.used++;
				return true;
			}
			if (now < window.spentUntil) {
				return false;
			}
			// Every lease so far is used: the new one replaces them, good until its second ends by the budget's clock.
			Lease lease = this.budget.take(companyId, this.perSecond, this.chunk);
			window.endsAt = now + (1000 - Math.floorMod(lease.atMillis(), 1000));
			window.leased = lease.granted();
			window.used = 0;
			if (lease.granted() == 0) {
				window.spentUntil = window.endsAt;
				return false;
			}
			window.used++;
			return true;
		}
		finally {
			window.lock.unlock();
		}
	}

	/** One node's budget, in memory: the arithmetic of {@link ScimRateLeases}' statement. */
	static final class OneNode implements Budget {

		private final LongSupplier clockMillis;

		private final Map<UUID, long[]> taken = new ConcurrentHashMap<>();

		OneNode(LongSupplier clockMillis) {
			this.clockMillis = clockMillis;
		}

		@Override
		public Lease take(UUID companyId, int limit, int chunk) {
			long now = this.clockMillis.getAsLong();
			long second = Math.floorDiv(now, 1000);
			long[] row = this.taken.compute(companyId, (id, old) -> {
				long[] current = old == null || old[0] != second ? new long[] { second, 0, 0 } : old;
				int granted = granted(limit, (int) current[1], chunk);
				return new long[] { second, current[1] + granted, granted };
			});
			return new Lease(now, (int) row[2]);
		}

	}

}
