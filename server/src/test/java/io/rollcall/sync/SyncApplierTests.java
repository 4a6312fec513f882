package io.rollcall.sync;

import java.sql.SQLException;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.TransactionSystemException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which failures of a chunk the applier hands back to the run (to retry and resume) instead of applying the chunk's
 * items one by one and reporting the ones that fail: a database restarted under a run lost people otherwise (issue
 * 18's chaos test).
 */
@Tag("unit")
class SyncApplierTests {

	@Test
	void databaseUnavailableWhenRollbackFailedUnderARestartThenTrue() {
		// What a chunk met when PostgreSQL was stopped under it: its commit's connection terminated by the administrator.
		TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed",
				new SQLException("terminating connection due to administrator command", "57P01"));
		assertThat(SyncEngine.databaseUnavailable(rollback)).isTrue();
	}

	@Test
	void databaseUnavailableWhenConnectionRefusedThenTrue() {
		assertThat(SyncEngine.databaseUnavailable(new DataAccessResourceFailureException("no connection",
				new SQLException("Connection refused", "08001"))))
			.isTrue();
	}

	@Test
	void databaseUnavailableWhenAnItemBreaksAConstraintThenFalse() {
		assertThat(SyncEngine.databaseUnavailable(new DuplicateKeyException("person_email"))).isFalse();
	}

}
