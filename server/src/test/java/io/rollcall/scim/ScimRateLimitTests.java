package io.rollcall.scim;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.rollcall.scim.ScimRateLimit.Decision;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("unit")
class ScimRateLimitTests {

	/** What one node serves on 2 cores, rounded up: 1,772–1,842 SCIM requests a second in bench/RESULTS.md. */
	static final int NODE_OF_TWO_CORES_SERVES = 2_000;

	@Test
	void admitWhenOverLimitInOneSecondThenRefusedForTheRestOfTheSecond() {
		AtomicLong now = new AtomicLong(10_000);
		ScimRateLimit limit = new ScimRateLimit(3, now::get);
		UUID company = UUID.randomUUID();
		assertThat(limit.admit(company)).extracting(Decision::admitted, Decision::remaining).containsExactly(true, 2);
		assertThat(limit.admit(company)).extracting(Decision::admitted, Decision::remaining).containsExactly(true, 1);
		now.set(10_500);
		Decision last = limit.admit(company);
		assertThat(last).extracting(Decision::admitted, Decision::remaining).containsExactly(true, 0);
		assertThat(last.resetMillis()).isEqualTo(500);
		now.set(10_760);
		Decision refused = limit.admit(company);
		assertThat(refused.admitted()).isFalse();
		assertThat(refused.resetMillis()).as("the rest of the second").isEqualTo(240);
		assertThat(refused.resetSeconds()).as("Retry-After, in whole seconds").isEqualTo(1);
		now.set(10_999);
		assertThat(limit.admit(company)).extracting(Decision::admitted, Decision::resetMillis)
			.containsExactly(false, 1L);
		assertThat(limit.admit(UUID.randomUUID()).admitted()).as("another company has its own budget").isTrue();
		now.set(11_000);
		assertThat(limit.admit(company)).extracting(Decision::admitted, Decision::remaining, Decision::resetMillis)
			.containsExactly(true, 2, 1000L);
	}

	@Test
	void resetSecondsWhenPartOfASecondThenRoundedUpAndNeverZero() {
		assertThat(new Decision(false, 3, 0, 1).resetSeconds()).isEqualTo(1);
		assertThat(new Decision(false, 3, 0, 999).resetSeconds()).isEqualTo(1);
		assertThat(new Decision(false, 3, 0, 1000).resetSeconds()).isEqualTo(1);
		assertThat(new Decision(false, 3, 0, 1001).resetSeconds()).isEqualTo(2);
		assertThat(new Decision(false, 3, 0, 0).resetSeconds()).as("0 would tell the client to retry at once")
			.isEqualTo(1);
	}

	@Test
	void perSecondWhenDefaultThenScalesWithTheNodesCores() {
		assertThat(ScimRateLimit.perSecond(2)).isEqualTo(3_000);
		assertThat(ScimRateLimit.perSecond(8)).isEqualTo(12_000);
		assertThat(ScimRateLimit.perSecond(0)).as("at least a core's worth").isEqualTo(1_500);
		assertThat(ScimRateLimit.forThisNode())
			.isEqualTo(ScimRateLimit.perSecond(Runtime.getRuntime().availableProcessors()));
	}

	/** Issue 19: at 2,000 a second, one company alone on one node had 3 % of its requests refused at 1,772 a second. */
	@Test
	void admitWhenOneCompanySendsWhatANodeServesThenNoneRefused() {
		AtomicLong now = new AtomicLong(30_000);
		ScimRateLimit limit = new ScimRateLimit(ScimRateLimit.perSecond(2), now::get);
		UUID company = UUID.randomUUID();
		int refused = 0;
		// Ten seconds at what a node of 2 cores serves, evenly spread.
		for (int request = 0; request < 10 * NODE_OF_TWO_CORES_SERVES; request++) {
			now.set(30_000 + request * 1000L / NODE_OF_TWO_CORES_SERVES);
			refused += limit.admit(company).admitted() ? 0 : 1;
		}
		// Then a second at 40 % over that, all in its first half (requests held up by a pause, then let go at once).
		for (int request = 0; request < NODE_OF_TWO_CORES_SERVES * 14 / 10; request++) {
			now.set(40_000 + request * 500L / (NODE_OF_TWO_CORES_SERVES * 14 / 10));
			refused += limit.admit(company).admitted() ? 0 : 1;
		}
		assertThat(refused).isZero();
		// Still a limit for fairness: a company sending two nodes' worth in a second gets refused for the rest of it.
		int admitted = 0;
		for (int request = 0; request < 2 * NODE_OF_TWO_CORES_SERVES; request++) {
			now.set(41_000 + request * 1000L / (2 * NODE_OF_TWO_CORES_SERVES));
			admitted += limit.admit(company).admitted() ? 1 : 0;
		}
		assertThat(admitted).isEqualTo(ScimRateLimit.perSecond(2));
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
			now.set(50_000 + request);
			Decision decision = nodes.get(request % 3).admit(company);
			if (decision.admitted()) {
				admitted++;
				// A node knows what the budget had left at its last lease: the others, as busy, took a chunk each since.
				assertThat(decision.remaining()).isBetween(0, 100 - admitted + 2 * ScimRateLimit.chunk(100));
			}
			else {
				assertThat(decision.remaining()).isZero();
				assertThat(decision.resetMillis()).as("the rest of the second, on any node").isEqualTo(1000 - request);
			}
		}
		assertThat(admitted).isEqualTo(100);
		// The next seconds, with the first node three times as busy as each other: the limit together still.
		for (long second = 51; second <= 53; second++) {
			int admittedInSecond = 0;
			for (int request = 0; request < 500; request++) {
				now.set(second * 1000 + request * 2);
				int node = request % 5 < 3 ? 0 : request % 5 - 2;
				admittedInSecond += nodes.get(node).admit(company).admitted() ? 1 : 0;
			}
			assertThat(admittedInSecond).as("second " + second).isEqualTo(100);
		}
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
			assertThat(limit.admit(company)).extracting(Decision::admitted, Decision::remaining)
				.containsExactly(true, 2000 - request - 1);
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
		assertThat(limit.admit(company).admitted()).isTrue();
		assertThat(limit.admit(company).admitted()).isTrue();
		assertThat(limit.admit(company)).extracting(Decision::admitted, Decision::resetMillis)
			.as("refused until the budget's second ends, by the node's clock")
			.containsExactly(false, 400L);
		node.set(20_399);
		assertThat(limit.admit(company)).extracting(Decision::admitted, Decision::resetMillis)
			.as("still the budget's second 20")
			.containsExactly(false, 1L);
		node.set(20_400);
		assertThat(limit.admit(company).admitted()).as("the budget's second 21, though the node's is still 20")
			.isTrue();
	}

}
