package io.rollcall.scim;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * At most {@code perSecond} SCIM requests a second per company on this node, so one company's provider cannot starve
 * the others; the rest get 429 with Retry-After, which Entra ID and Okta both honour by retrying later.
 */
final class ScimRateLimit {

	private final int perSecond;

	private final LongSupplier clockMillis;

	/** Per company: the current second in its high bits, the count in its low 24 bits, swapped atomically. */
	private final Map<UUID, AtomicLong> windows = new ConcurrentHashMap<>();

	ScimRateLimit(int perSecond, LongSupplier clockMillis) {
		if (perSecond < 1 || perSecond >= (1 << 24)) {
			throw new IllegalArgumentException("perSecond must be between 1 and 16777215");
		}
		this.perSecond = perSecond;
		this.clockMillis = clockMillis;
	}

	/** Counts the request; false when the company is over its limit for this second. */
	boolean admit(UUID companyId) {
		long second = this.clockMillis.getAsLong() / 1000;
		AtomicLong window = this.windows.computeIfAbsent(companyId, id -> new AtomicLong());
		while (true) {
			long current = window.get();
			long currentSecond = current >>> 24;
			long count = current & 0xFFFFFF;
			long next = currentSecond == second ? ((second << 24) | Math.min(count + 1, 0xFFFFFF))
					: ((second << 24) | 1);
			if (window.compareAndSet(current, next)) {
				return (next & 0xFFFFFF) <= this.perSecond;
			}
		}
	}

}
