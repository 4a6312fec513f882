package io.rollcall.connector;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The webhook turns' own settings: how many by default, and a wait that must end before the providers give up. The
 * turns at work are shown by OktaHookAdmissionTests and EntraHookAdmissionTests.
 */
@Tag("unit")
class HookAdmissionTests {

	@Test
	void defaultConcurrencyWhenConnectionPoolThenHalfOfItAndAtLeastTwo() {
		try (HikariDataSource pool = new HikariDataSource()) {
			pool.setMaximumPoolSize(20);
			assertThat(HookAdmission.defaultConcurrency(pool)).isEqualTo(10);
			pool.setMaximumPoolSize(3);
			assertThat(HookAdmission.defaultConcurrency(pool)).isEqualTo(2);
		}
	}

	@Test
	void constructorWhenConcurrencyGivenThenThatManyTurns() {
		HookAdmission admission = new HookAdmission(3, Duration.ofMillis(500), new SimpleDriverDataSource(),
				new SimpleMeterRegistry());
		assertThat(admission.concurrency()).isEqualTo(3);
	}

	@Test
	void registrationWhenTwoReceiversThenOneWaitingGaugeForTheTurnsTheyShare() throws Exception {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		HookAdmission admission = new HookAdmission(1, Duration.ofSeconds(1), new SimpleDriverDataSource(), meters);
		admission.registration("entraHookAdmission", "/hooks/entra", "entra", request -> true, request -> {
		});
		admission.registration("oktaHookAdmission", "/hooks/okta", "okta", request -> true, request -> {
		});
		assertThat(meters.find("rollcall.hooks.waiting").gauges()).hasSize(1);
		// One delivery in its turn, a second waiting for it: the gauge counts the one that waits.
		java.util.concurrent.CountDownLatch inTurn = new java.util.concurrent.CountDownLatch(1);
		java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
		Thread first = inTurn(admission, () -> {
			inTurn.countDown();
			try {
				release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		inTurn.await();
		Thread second = inTurn(admission, () -> {
		});
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (meters.get("rollcall.hooks.waiting").gauge().value() < 1 && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(meters.get("rollcall.hooks.waiting").gauge().value()).isEqualTo(1.0);
		release.countDown();
		first.join();
		second.join();
	}

	private static Thread inTurn(HookAdmission admission, Runnable work) {
		return Thread.ofVirtual().start(() -> {
			try {
				admission.turns().inTurn(work::run);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

	@Test
	void constructorWhenWaitReachesTheProvidersTimeoutThenRefused() {
		assertThatThrownBy(() -> new HookAdmission(0, Duration.ofSeconds(3), new SimpleDriverDataSource(),
				new SimpleMeterRegistry()))
			.hasMessageContaining("rollcall.webhooks.receivers.max-wait");
	}

}
