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
 * The limit is for fairness between companies, not to refuse a company alone on an idle node: by default it is
 * {@link #PER_CORE} a core, more than a node serves (see {@link #forThisNode()}): a company alone on a node is not
 * refused, in a cluster it gets at most about a node and a half's worth, and more nodes serve more companies rather
 * than one company faster.
 * <p>
 * A node does not ask the database for each request (SCIM serves a thousand a second): it leases a chunk of the
 * company's budget for the current second from a {@link Budget} shared by the nodes (a twentieth of the limit, so one
 * statement per twenty-odd requests) and admits requests locally until the chunk is used. The budget never grants
 * more than the limit in a second, so the sum admitted by all nodes never exceeds it; a node may refuse while another
 * still holds part of a chunk it will not use, at most {@code chunk} per other node.
 * <p>
 * Windows of a second rather than a token bucket with a burst allowance: the limit is already above what a node
 * serves, so a burst would only let a company pass it for a moment, and the shared budget stays one row a company and
 * second. A client refused needs to wait for the second to end, under a second away: Retry-After (whole seconds)
 * says 1, and the error's detail says the milliseconds.
 */
final class ScimRateLimit {

	/**
	 * Requests a second a company may send by default, for each core of the node. A node serves about 900 SCIM
	 * requests a second a core (1,772–1,842 on 2 cores with the load generator beside it, bench/RESULTS.md); 1,500
	 * leaves room for a node on its own cores and for a second faster than the average.
	 */
	static final int PER_CORE = 1_500;

	/** Leases from a company's budget for one second. */
	interface Budget {

		/**
		 * Takes up to {@code chunk} of the company's {@code limit} for the current second.
		 * @return what was granted (0 when the second's budget is spent), when, by the budget's clock, and what is
		 * left for the second after it
		 */
		Lease take(UUID companyId, int limit, int chunk);

	}

	/**
	 * @param atMillis when the lease was taken by the budget's clock; it is good until that second ends
	 * @param left what the budget has left for that second once this lease is taken
	 */
	record Lease(long atMillis, int granted, int left) {
	}

	/**
	 * What a request is told.
	 * @param remaining requests the company may still send this second, as this node knows without asking: its lease
	 * unused plus what the budget had left when it was taken (high by what other nodes leased since, low by what they
	 * hold unused; a chunk or two of each when the nodes are about as busy)
	 * @param resetMillis when, from now, the second ends and the company has its whole limit again
	 */
	record Decision(boolean admitted, int limit, int remaining, long resetMillis) {

		/** {@link #resetMillis} in the whole seconds of Retry-After, rounded up and at least one: 0 would say now. */
		long resetSeconds() {
			return Math.max(1, Math.ceilDiv(this.resetMillis, 1000));
		}

	}

	/** What a lease takes from a budget of which {@code taken} is spent: as much of {@code chunk} as is left. */
	static int granted(int limit, int taken, int chunk) {
		return Math.min(chunk, Math.max(0, limit - taken));
	}

	/** A twentieth of the limit, at least one. */
	static int chunk(int perSecond) {
		return Math.max(1, perSecond / 20);
	}

	/** The default limit on a node of {@code cores} cores. */
	static int perSecond(int cores) {
		return PER_CORE * Math.max(1, cores);
	}

	/** The default limit on this node, by its cores (as the JVM sees them, so a container's quota counts). */
	static int forThisNode() {
		return perSecond(Runtime.getRuntime().availableProcessors());
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

		/** What the budget had left after the last lease. */
		int left;

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

	int perSecond() {
		return this.perSecond;
	}

	/** Counts the request: refused when the company is over its limit for this second. */
	Decision admit(UUID companyId) {
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
				return admitted(window, now);
			}
			if (now < window.spentUntil) {
				return refused(window.spentUntil - now);
			}
			// Every lease so far is used: the new one replaces them, good until its second ends by the budget's clock.
			Lease lease = this.budget.take(companyId, this.perSecond, this.chunk);
			window.endsAt = now + (1000 - Math.floorMod(lease.atMillis(), 1000));
			window.leased = lease.granted();
			window.left = lease.left();
			window.used = 0;
			if (lease.granted() == 0) {
				window.spentUntil = window.endsAt;
				return refused(window.endsAt - now);
			}
			return admitted(window, now);
		}
		finally {
			window.lock.unlock();
		}
	}

	private Decision admitted(Window window, long now) {
		window.used++;
		return new Decision(true, this.perSecond, window.leased - window.used + window.left, window.endsAt - now);
	}

	private Decision refused(long resetMillis) {
		return new Decision(false, this.perSecond, 0, resetMillis);
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
			return new Lease(now, (int) row[2], (int) Math.max(0, limit - row[1]));
		}

	}

}
