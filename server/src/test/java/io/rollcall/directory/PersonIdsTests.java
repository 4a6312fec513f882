package io.rollcall.directory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PersonIdsTests {

	@Test
	void idsAreVersionSevenWithTheirMillisecondFirst() {
		long millis = 1_796_000_000_123L;
		UUID id = PersonIds.next(millis);
		assertThat(id.version()).isEqualTo(7);
		assertThat(id.variant()).isEqualTo(2);
		assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(millis);
		assertThat(id.toString()).startsWith(String.format("%08x-%04x-7", millis >>> 16, millis & 0xFFFF));
	}

	@Test
	void laterIdsSortAfterEarlierOnesAsPostgresqlComparesThem() {
		List<String> ids = new ArrayList<>();
		for (long millis = 1_796_000_000_000L; millis < 1_796_000_001_000L; millis += 7) {
			ids.add(PersonIds.next(millis).toString());
		}
		// PostgreSQL orders uuids by their bytes, as their text in lowercase hex sorts.
		assertThat(ids).isSorted();
	}

	@Test
	void idsMadeInTheSameMillisecondDiffer() {
		HashSet<UUID> ids = new HashSet<>();
		for (int n = 0; n < 100_000; n++) {
			ids.add(PersonIds.next(1_796_000_000_000L));
		}
		assertThat(ids).hasSize(100_000);
	}

}
