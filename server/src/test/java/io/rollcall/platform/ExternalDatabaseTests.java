package io.rollcall.platform;

import java.nio.file.Files;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With ROLLCALL_DATABASE_URL, Rollcall uses that server, migrates it, and starts no PostgreSQL of its own.
 * <p>
 * The context is closed after the class and the server stops with it, after its workers: stopped under a context
 * left in Spring's context cache, the server was gone when the next test class paused that context, and each of its
 * workers waited out the pool's 30 s connection timeout while stopping (3.5 minutes of the suite).
 */
@SpringBootTest
@DirtiesContext
@org.springframework.context.annotation.Import(ExternalDatabaseTests.ServerLifetime.class)
class ExternalDatabaseTests {

	/** Stops the server when the context is closed: beans are destroyed after the lifecycles have stopped. */
	@org.springframework.boot.test.context.TestConfiguration(proxyBeanMethods = false)
	static class ServerLifetime {

		@org.springframework.context.annotation.Bean
		org.springframework.beans.factory.DisposableBean externalServer() {
			return () -> server.close();
		}

	}

	/** Stands in for the company's own PostgreSQL server. */
	private static EmbeddedPostgres server;

	private static Path unusedDataDir;

	@Autowired
	ApplicationContext context;

	@Autowired
	JdbcClient jdbc;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		server = EmbeddedPostgres.builder().start();
		unusedDataDir = Files.createTempDirectory("rollcall-external-").resolve("data");
		registry.add("rollcall.database.url", () -> server.getJdbcUrl("postgres", "postgres"));
		registry.add("rollcall.database.user", () -> "postgres");
		registry.add("rollcall.database.password", () -> "unused");
		registry.add("rollcall.data-dir", unusedDataDir::toString);
		// With its own key SecretBox keeps no key file in the data directory, which this test proves unused.
		registry.add("rollcall.secrets-key", () -> java.util.Base64.getEncoder().encodeToString(new byte[32]));
	}

	@Test
	void databaseWhenUrlGivenThenThatServerIsMigratedAndNoBundledOneStarts() {
		assertThat(this.context.getBeanNamesForType(EmbeddedDatabaseConfiguration.EmbeddedDatabase.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(EmbeddedDatabaseEarlyStart.Starting.class)).isEmpty();
		assertThat(unusedDataDir).doesNotExist();
		Integer migrated = this.jdbc.sql("select count(*) from flyway_schema_history where success")
			.query(Integer.class)
			.single();
		assertThat(migrated).isPositive();
		assertThat(this.jdbc.sql("select current_setting('port')").query(String.class).single())
			.isEqualTo(String.valueOf(server.getPort()));
	}

}
