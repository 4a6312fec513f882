package io.rollcall.scim;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
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

	@Test
	void grantedWhenBudgetAlmostSpentThenOnlyWhatIsLeft() {
		assertThat(ScimRateLimit.granted(100, 0, 5)).isEqualTo(5);
		assertThat(ScimRateLimit.granted(100, 97, 5)).isEqualTo(3);
		assertThat(ScimRateLimit.granted(100, 100, 5)).isZero();
		assertThat(ScimRateLimit.granted(100, 120, 5)).as("a limit lowered in the second").isZero();
		assertThat(ScimRateLimit.chunk(2000)).isEqualTo(100);
		assertThat(ScimRateLimit.chunk(19)).isEqualTo(1);
	}

	@Test
	void admitWhenThreeNodesShareTheBudgetThenTheyAdmitTheLimitTogetherAndNoMore() {
		AtomicLong now = new AtomicLong(50_000);
		ScimRateLimit.OneNode budget = new ScimRateLimit.OneNode(now::get);
		List<ScimRateLimit> nodes = List.of(new ScimRateLimit(100, now::get, budget),
				new ScimRateLimit(100, now::get, budget), new ScimRateLimit(100, now::get, budget));
		UUID company = UUID.randomUUID();
		int admitted = 0;
		for (int request = 0; request < 500; request++) {
			admitted += nodes.get(request % 3).admit(company) ? 1 : 0;
		}
		assertThat(admitted).isEqualTo(100);
		now.addAndGet(1_000);
		assertThat(nodes.get(1).admit(company)).as("the next second's budget").isTrue();
	}

	@Test
	void admitWhenRequestsComeThenOneLeasePerChunkAndNoneWhileSpent() {
		AtomicLong now = new AtomicLong(7_000);
		AtomicInteger leases = new AtomicInteger();
		ScimRateLimit.OneNode shared = new ScimRateLimit.OneNode(now::get);
		ScimRateLimit limit = new ScimRateLimit(2000, now::get, (company, perSecond, chunk) -> {
			leases.incrementAndGet();
			return shared.take(company, perSecond, chunk);
		});
		UUID company = UUID.randomUUID();
		for (int request = 0; request < 1000; request++) {
			assertThat(limit.admit(company)).isTrue();
		}
		assertThat(leases.get()).as("chunks of 100").isEqualTo(10);
		for (int request = 0; request < 1500; request++) {
			limit.admit(company);
		}
		assertThat(leases.get()).as("20 chunks, then one lease that found the second spent").isEqualTo(21);
	}

	@Test
	void admitWhenBudgetClockIsAheadThenLeaseEndsWithTheBudgetsSecond() {
		AtomicLong node = new AtomicLong(20_000);
		// The budget's clock is 600 ms ahead: its second 20 ends when the node's clock reads 20_400.
		AtomicLong budgetClock = new AtomicLong();
		ScimRateLimit.OneNode budget = new ScimRateLimit.OneNode(budgetClock::get);
		ScimRateLimit limit = new ScimRateLimit(2, node::get, (company, perSecond, chunk) -> {
			budgetClock.set(node.get() + 600);
			return budget.take(company, perSecond, chunk);
		});
		UUID company = UUID.randomUUID();
		assertThat(limit.admit(company)).isTrue();
		assertThat(limit.admit(company)).isTrue();
		assertThat(limit.admit(company)).isFalse();
		node.set(20_399);
		assertThat(limit.admit(company)).as("still the budget's second 20").isFalse();
		node.set(20_400);
		assertThat(limit.admit(company)).as("the budget's second 21, though the node's is still 20").isTrue();
	}

}
