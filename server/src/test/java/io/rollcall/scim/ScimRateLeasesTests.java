package io.rollcall.scim;

import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import io.rollcall.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lease statement on PostgreSQL: chunks, then what is left, then nothing, within one second, each saying what the
 * second has left; past rows go.
 */
class ScimRateLeasesTests extends IntegrationTest {

	@Autowired
	private ScimRateLeases leases;

	@Autowired
	private JdbcClient jdbc;

	@Test
	void takeWhenLeasedInOneSecondThenChunksThenWhatIsLeftThenNothing() {
		UUID company = UUID.randomUUID();
		// Four leases that fall in one second of the database's clock; tried again if a second began between them.
		for (int attempt = 1;; attempt++) {
			List<ScimRateLimit.Lease> taken = Stream.generate(() -> this.leases.take(company, 10, 4)).limit(4).toList();
			if (taken.stream().map(lease -> lease.atMillis() / 1000).distinct().count() == 1) {
				assertThat(taken).extracting(ScimRateLimit.Lease::granted).containsExactly(4, 4, 2, 0);
				assertThat(taken).extracting(ScimRateLimit.Lease::left)
					.as("left once each is taken")
					.containsExactly(6, 2, 0, 0);
				assertThat(Math.abs(taken.getFirst().atMillis() - System.currentTimeMillis()))
					.as("the database's clock, on this machine")
					.isLessThan(5_000);
				break;
			}
			assertThat(attempt).isLessThan(5);
		}
	}

	@Test
	void forgetPastWhenRowsOfPastSecondsThenDeletedAndTheCurrentOnesKept() {
		UUID company = UUID.randomUUID();
		long now = System.currentTimeMillis() / 1000;
		for (long second : new long[] { now - 3600, now - ScimRateLeases.KEPT_SECONDS - 5, now }) {
			this.jdbc.sql("insert into scim_rate_lease values (:company, :second, 1, 1)")
				.param("company", company)
				.param("second", second)
				.update();
		}
		this.leases.forgetPast();
		assertThat(this.jdbc.sql("select epoch_second from scim_rate_lease where company_id = :company")
			.param("company", company)
			.query(Long.class)
			.list()).containsExactly(now);
	}

}
