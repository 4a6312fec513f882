package io.rollcall.mapping;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("unit")
class SourceRecordTests {

	@Test
	void attributesWhenSomeAreNullThenTheyAreLeftOutAndTheRestKept() {
		Map<String, String> given = new HashMap<>();
		given.put("givenName", "Ada");
		given.put("surname", null);
		given.put(null, "orphan");

		SourceRecord record = new SourceRecord("u1", given, true, null, null, null);

		assertThat(record.attributes()).isEqualTo(Map.of("givenName", "Ada"));
		assertThat(record.attribute("GIVENNAME")).isEqualTo("Ada");
		assertThat(record.attribute("surname")).isNull();
	}

	@Test
	void attributesWhenNoneIsNullThenAnUnchangeableCopyOfThem() {
		Map<String, String> given = new HashMap<>(Map.of("givenName", "Ada", "surname", "Lovelace"));

		SourceRecord record = new SourceRecord("u1", given, true, null, null, List.of());
		given.put("surname", "Byron");

		assertThat(record.attributes()).isEqualTo(Map.of("givenName", "Ada", "surname", "Lovelace"));
		assertThatThrownBy(() -> record.attributes().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
	}

}
