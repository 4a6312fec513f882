package io.rollcall.scim;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("unit")
class ScimRateLimitTests {

	@Test
	void admitWhenOverLimitInOneSecondThenRefusedUntilNextSecond() {
		AtomicLong now = new AtomicLong(10_000);
		ScimRateLimit limit = new ScimRateLimit(3, now::get);
		UUID company = UUID.randomUUID();
		assertThat(limit.admit(company)).isTrue();
		assertThat(limit.admit(company)).isTrue();
		assertThat(limit.admit(company)).isTrue();
		assertThat(limit.admit(company)).isFalse();
		assertThat(limit.admit(UUID.randomUUID())).as("another company has its own budget").isTrue();
		now.addAndGet(1_000);
		assertThat(limit.admit(company)).isTrue();
	}

}
