package io.rollcall.directory;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * A new person's id: a UUID of version 7 (RFC 9562), its first 48 bits the time in milliseconds and the other 74 bits
 * random. The indexes keyed by a person's id (the person's own, their identities', their history's) then take a large
 * run's new people at their right edge, in pages already in memory, where version 4's random ids spread each chunk's
 * rows over every page of them. The time is one a person's {@code createdAt} shows anyway.
 */
public final class PersonIds {

	private static final SecureRandom RANDOM = new SecureRandom();

	private PersonIds() {
	}

	public static UUID next() {
		return next(System.currentTimeMillis());
	}

	static UUID next(long epochMillis) {
		byte[] random = new byte[10];
		RANDOM.nextBytes(random);
		long high = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000 | (random[0] & 0x0F) << 8 | (random[1] & 0xFF);
		long low = 0x8000_0000_0000_0000L | (random[2] & 0x3FL) << 56;
		for (int i = 3; i < 10; i++) {
			low |= (random[i] & 0xFFL) << (8 * (9 - i));
		}
		return new UUID(high, low);
	}

}
