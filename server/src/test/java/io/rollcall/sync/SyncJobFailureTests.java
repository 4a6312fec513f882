package io.rollcall.sync;

import java.sql.SQLException;
import java.time.Duration;

import io.rollcall.sync.SyncJobs.RetrySoonAfterDatabaseLoss;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run's job throws only where the engine could not record the run's own failure: the database went away under it.
 * ChaosIT met it once, PostgreSQL restarted mid-apply: the job was put off five minutes and the run, left applying,
 * waited for it with its changes.
 */
@Tag("unit")
class SyncJobFailureTests {

	/** What the engine threw in that run, recording its retry while PostgreSQL shut down. */
	private static final RuntimeException RECORDING_FAILED = new DataAccessResourceFailureException(
			"PreparedStatementCallback; SQL [update sync_run set status = ?]",
			new SQLException("FATAL: terminating connection due to administrator command", "57P01"));

	@Test
	void waitWhenTheDatabaseWentAwayThenSecondsDoublingUpToAMinute() {
		assertThat(RetrySoonAfterDatabaseLoss.waitAfter(RECORDING_FAILED, 0)).isEqualTo(Duration.ofSeconds(2));
		assertThat(RetrySoonAfterDatabaseLoss.waitAfter(RECORDING_FAILED, 1)).isEqualTo(Duration.ofSeconds(4));
		assertThat(RetrySoonAfterDatabaseLoss.waitAfter(RECORDING_FAILED, 4)).isEqualTo(Duration.ofSeconds(32));
		assertThat(RetrySoonAfterDatabaseLoss.waitAfter(RECORDING_FAILED, 5)).isEqualTo(Duration.ofMinutes(1));
		assertThat(RetrySoonAfterDatabaseLoss.waitAfter(RECORDING_FAILED, 1_000)).isEqualTo(Duration.ofMinutes(1));
	}

	@Test
	void waitWhenTheConnectionIsRefusedWhileItRestartsThenSecondsToo() {
		RuntimeException refused = new org.springframework.jdbc.CannotGetJdbcConnectionException(
				"Failed to obtain JDBC Connection", new SQLException("Connection to localhost:41243 refused", "08001"));
		assertThat(RetrySoonAfterDatabaseLoss.waitAfter(refused, 0)).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void waitWhenAFaultOfRollcallsOwnThenFiveMinutes() {
		assertThat(RetrySoonAfterDatabaseLoss.waitAfter(new IllegalStateException("a bug"), 0))
			.isEqualTo(Duration.ofMinutes(5));
		assertThat(RetrySoonAfterDatabaseLoss.waitAfter(null, 3)).isEqualTo(Duration.ofMinutes(5));
	}

}
