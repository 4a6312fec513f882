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
	void constructorWhenWaitReachesTheProvidersTimeoutThenRefused() {
		assertThatThrownBy(() -> new HookAdmission(0, Duration.ofSeconds(3), new SimpleDriverDataSource(),
				new SimpleMeterRegistry()))
			.hasMessageContaining("rollcall.webhooks.receivers.max-wait");
	}

}
