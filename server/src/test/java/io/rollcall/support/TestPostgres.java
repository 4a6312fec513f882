package io.rollcall.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL of the test's own for packaged nodes ({@link JarNodes}): one data directory and port that outlive every
 * node, so that the test can stop and start it under them (a fast shutdown: their connections break) and read what
 * they wrote.
 */
public final class TestPostgres implements AutoCloseable {

	private final Path dataDir;

	private final int port;

	private EmbeddedPostgres postgres;

	private TestPostgres(Path dataDir, int port) {
		this.dataDir = dataDir;
		this.port = port;
	}

	/** Starts one on a free port, with a fresh data directory. */
	public static TestPostgres start(String name) throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		TestPostgres postgres = new TestPostgres(TempDirs.create(name + "-postgres-"), port);
		postgres.startAgain();
		return postgres;
	}

	/** Starts it (again) on its data directory and port. */
	public void startAgain() throws IOException {
		this.postgres = EmbeddedPostgres.builder()
			.setDataDirectory(this.dataDir)
			.setCleanDataDirectory(false)
			.setPort(this.port)
			.setPGStartupWait(Duration.ofSeconds(60))
			.setServerConfig("max_connections", "100")
			.start();
	}

	/** Stops it (a fast shutdown: every connection is broken). */
	public void stop() throws IOException {
		if (this.postgres != null) {
			this.postgres.close();
			this.postgres = null;
		}
	}

	public String jdbcUrl() {
		return "jdbc:postgresql://localhost:" + this.port + "/postgres";
	}

	/** What a node needs in its environment to use this database. */
	public Map<String, String> nodeSettings() {
		return Map.of("ROLLCALL_DATABASE_URL", jdbcUrl(), "ROLLCALL_DATABASE_USER", "postgres",
				"ROLLCALL_DATABASE_PASSWORD", "");
	}

	public Connection connect() throws SQLException {
		return DriverManager.getConnection(jdbcUrl(), "postgres", "");
	}

	/** The first column of the first row of {@code sql} with one parameter. */
	public long longOf(String sql, Object parameter) throws SQLException {
		try (Connection db = connect()) {
			return longOf(db, sql, parameter);
		}
	}

	public static long longOf(Connection db, String sql, Object parameter) throws SQLException {
		try (PreparedStatement select = db.prepareStatement(sql)) {
			select.setObject(1, parameter);
			try (ResultSet row = select.executeQuery()) {
				row.next();
				return row.getLong(1);
			}
		}
	}

	@Override
	public void close() throws IOException {
		stop();
	}

}
