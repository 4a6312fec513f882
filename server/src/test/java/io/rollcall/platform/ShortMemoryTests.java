package io.rollcall.platform;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("unit")
class ShortMemoryTests {

	private final AtomicInteger reads = new AtomicInteger();

	private String read(String key) {
		return key + "-" + this.reads.incrementAndGet();
	}

	@Test
	void getWhenAskedAgainWithinTheTimeThenNotReadAgain() {
		ShortMemory<String, String> memory = new ShortMemory<>(Duration.ofMinutes(1));
		assertThat(memory.get("acme", this::read)).isEqualTo("acme-1");
		assertThat(memory.get("acme", this::read)).isEqualTo("acme-1");
		assertThat(memory.get("other", this::read)).isEqualTo("other-2");
	}

	@Test
	void getWhenTheTimeHasPassedThenReadAgain() throws InterruptedException {
		ShortMemory<String, String> memory = new ShortMemory<>(Duration.ofMillis(20));
		memory.get("acme", this::read);
		Thread.sleep(40);
		assertThat(memory.get("acme", this::read)).isEqualTo("acme-2");
	}

	@Test
	void getWhenNothingFoundThenNotRemembered() {
		ShortMemory<String, String> memory = new ShortMemory<>(Duration.ofMinutes(1));
		assertThat(memory.get("acme", key -> null)).isNull();
		assertThat(memory.get("acme", this::read)).isEqualTo("acme-1");
	}

	@Test
	void forgetWhereWhenRowsPickedOutThenOnlyThoseReadAgain() {
		ShortMemory<String, String> memory = new ShortMemory<>(Duration.ofMinutes(1));
		memory.get("acme", this::read);
		memory.get("other", this::read);
		memory.forgetWhere(value -> value.startsWith("acme"));
		assertThat(memory.get("acme", this::read)).isEqualTo("acme-3");
		assertThat(memory.get("other", this::read)).isEqualTo("other-2");
	}

	@Test
	void forgetWhenInATransactionThenForgottenAgainOnceItEnds() {
		ShortMemory<String, String> memory = new ShortMemory<>(Duration.ofMinutes(1));
		memory.get("acme", this::read);
		TransactionSynchronizationManager.initSynchronization();
		try {
			memory.forget("acme");
			// A request in between the change and its commit reads (and would remember) the old row...
			assertThat(memory.get("acme", this::read)).isEqualTo("acme-2");
			// ...which is forgotten when the transaction ends.
			TransactionSynchronizationManager.getSynchronizations()
				.forEach(s -> s.afterCompletion(TransactionSynchronization.STATUS_COMMITTED));
		}
		finally {
			TransactionSynchronizationManager.clearSynchronization();
		}
		assertThat(memory.get("acme", this::read)).isEqualTo("acme-3");
	}

}
