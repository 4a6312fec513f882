package io.rollcall.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's PostgreSQL advisory lock, held on a connection of its own while a node plans and applies the run: should
 * two nodes ever both run its job (db-scheduler took the first for dead: a clock stepped by minutes, a node frozen
 * past its heartbeats), the second finds the lock taken and leaves the run alone. The lock is the connection's, so a
 * node killed with -9 loses it with its connection, and the run's takeover is not held up.
 */
final class RunLock implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(RunLock.class);

	/** The lock's key: one 64-bit number a run, in the key space the other advisory locks share. */
	static final String KEY = "hashtextextended('sync-run:' || cast(? as text), 0)";

	private final DataSource dataSource;

	private final Connection connection;

	private final UUID runId;

	private RunLock(DataSource dataSource, Connection connection, UUID runId) {
		this.dataSource = dataSource;
		this.connection = connection;
		this.runId = runId;
	}

	/** The run's lock, or empty when another session holds it: a live node has the run. */
	static Optional<RunLock> tryTake(DataSource dataSource, UUID runId) {
		Connection connection = null;
		try {
			connection = dataSource.getConnection();
			if (!connection.getAutoCommit()) {
				connection.setAutoCommit(true);
			}
			if (!ask(connection, "select pg_try_advisory_lock(" + KEY + ")", runId)) {
				connection.close();
				return Optional.empty();
			}
			return Optional.of(new RunLock(dataSource, connection, runId));
		}
		catch (SQLException ex) {
			if (connection != null) {
				discard(dataSource, connection);
			}
			throw new org.springframework.dao.DataAccessResourceFailureException(
					"Could not take the lock of sync run " + runId, ex);
		}
	}

	/**
	 * Unlocks and gives the connection back; a connection that could not unlock is thrown away rather than given back
	 * to the pool with the lock on it.
	 */
	@Override
	public void close() {
		try {
			if (ask(this.connection, "select pg_advisory_unlock(" + KEY + ")", this.runId)) {
				this.connection.close();
				return;
			}
			log.warn("Sync run {}: its lock was not held at the end (its connection was lost on the way?)", this.runId);
		}
		catch (SQLException ex) {
			log.debug("Sync run {}: could not unlock ({}); the connection goes, and the lock with it", this.runId,
					ex.toString());
		}
		discard(this.dataSource, this.connection);
	}

	private static boolean ask(Connection connection, String sql, UUID runId) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setObject(1, runId);
			try (ResultSet row = statement.executeQuery()) {
				return row.next() && row.getBoolean(1);
			}
		}
	}

	private static void discard(DataSource dataSource, Connection connection) {
		try {
			if (dataSource.isWrapperFor(HikariDataSource.class)) {
				dataSource.unwrap(HikariDataSource.class).evictConnection(connection);
			}
			else {
				connection.close();
			}
		}
		catch (SQLException ex) {
			log.debug("Could not discard a connection: {}", ex.toString());
		}
	}

}
