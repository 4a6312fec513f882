package io.rollcall.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts the bundled PostgreSQL when no {@code ROLLCALL_DATABASE_URL} is given, keeping its files under
 * {@code ROLLCALL_DATA_DIR/postgres} so that a restart keeps everything.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${rollcall.database.url:}'.isBlank()")
class EmbeddedDatabaseConfiguration {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

	@Bean(destroyMethod = "close")
	EmbeddedDatabase embeddedDatabase(RollcallProperties properties,
			ObjectProvider<EmbeddedDatabaseEarlyStart.Starting> earlyStart) {
		EmbeddedDatabaseEarlyStart.Starting starting = earlyStart.getIfAvailable();
		return (starting != null) ? starting.take()
				: EmbeddedDatabase.start(properties.dataDir(), properties.database().durable());
	}

	@Bean
	DataSource dataSource(EmbeddedDatabase database) {
		return database.dataSource();
	}

	/** The migrations, run by the early start's thread as soon as the server is up, waited for here. */
	@Bean
	FlywayMigrationStrategy migrationsRunEarly(ObjectProvider<EmbeddedDatabaseEarlyStart.Starting> earlyStart) {
		return EmbeddedDatabaseEarlyStart.migrationsRunEarly(earlyStart.getIfAvailable());
	}

	/** The running server, its pool and the data-dir lock that keeps a second Rollcall off the same files. */
	static final class EmbeddedDatabase implements AutoCloseable {

		private final EmbeddedPostgres postgres;

		private final HikariDataSource dataSource;

		private final FileChannel lockChannel;

		private EmbeddedDatabase(EmbeddedPostgres postgres, HikariDataSource dataSource, FileChannel lockChannel) {
			this.postgres = postgres;
			this.dataSource = dataSource;
			this.lockChannel = lockChannel;
		}

		/**
		 * PostgreSQL's own cache: its default (128 MB) holds the people, identities and indexes of some 50,000
		 * people; beyond that every SCIM lookup copies pages in from the operating system (at 100,000 people 512 MB
		 * took the SCIM benchmark's p99 from 56–60 ms to 45 ms). An eighth of the memory, 128 to 512 MB.
		 */
		static long sharedBuffersMegabytes() {
			long total = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
				.getOperatingSystemMXBean()).getTotalMemorySize();
			return Math.clamp(total / 8 / (1024 * 1024), 128, 512);
		}

		static EmbeddedDatabase start(Path dataDir, boolean durable) {
			try {
				Path root = dataDir.toAbsolutePath().normalize();
				Files.createDirectories(root);
				FileChannel lockChannel = FileChannel.open(root.resolve("rollcall.lock"), StandardOpenOption.CREATE,
						StandardOpenOption.WRITE);
				FileLock lock = lockChannel.tryLock();
				if (lock == null) {
					lockChannel.close();
					throw new IllegalStateException("Another Rollcall is already using the data directory " + root
							+ ". Stop it, or give this one its own ROLLCALL_DATA_DIR.");
				}
				Path pgData = root.resolve("postgres");
				stopOrphanedServer(pgData);
				EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
					.setDataDirectory(pgData)
					.setCleanDataDirectory(false)
					.setPGStartupWait(Duration.ofSeconds(60))
					// Stopped by this bean's close, after the work that uses it: the library's own JVM hook would stop
					// it at once, in parallel with Spring's, under runs and schedulers still finishing their work.
					.setRegisterShutdownHook(false)
					.setServerConfig("max_connections", "100")
					// Autovacuum looks every 5 s, not every minute: a fresh directory filled by SCIM pushes (one
					// person a request, never a large run that analyzes its tables itself) had no statistics for its
					// first minute, and statements cached then kept plans made for empty tables (bench/RESULTS.md,
					// 2026-12-06, fourteenth session). One database: a look is a few milliseconds.
					.setServerConfig("autovacuum_naptime", "5s");
				// The library starts PostgreSQL with fsync off; a real data directory must survive a crash.
				if (durable) {
					builder.setServerConfig("fsync", "on")
						.setServerConfig("synchronous_commit", "on")
						.setServerConfig("shared_buffers", sharedBuffersMegabytes() + "MB");
				}
				// Extra settings for the bundled PostgreSQL, "name=value,name=value" (e.g. to load pg_stat_statements
				// while looking into a benchmark); none by default.
				String extra = System.getenv("ROLLCALL_POSTGRES_SETTINGS");
				if (extra != null && !extra.isBlank()) {
					for (String setting : extra.split(",")) {
						String[] nameValue = setting.split("=", 2);
						if (nameValue.length == 2) {
							builder.setServerConfig(nameValue[0].strip(), nameValue[1].strip());
						}
					}
				}
				EmbeddedPostgres postgres = builder.start();
				HikariConfig config = new HikariConfig();
				// Batched inserts (audit entries, plan items, synced people) become multi-row inserts.
				config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres") + "&reWriteBatchedInserts=true");
				config.setUsername("postgres");
				config.setMaximumPoolSize(20);
				config.setPoolName("rollcall");
				log.info("Bundled PostgreSQL is running on port {} with its data in {}", postgres.getPort(), pgData);
				return new EmbeddedDatabase(postgres, new HikariDataSource(config), lockChannel);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not start the bundled PostgreSQL in " + dataDir, ex);
			}
		}

		/**
		 * A Rollcall killed with -9 leaves its PostgreSQL running. We hold the data-dir lock, so a server
		 * still named in postmaster.pid is ours: stop it before starting a new one.
		 */
		private static void stopOrphanedServer(Path pgData) throws IOException {
			Path pidFile = pgData.resolve("postmaster.pid");
			if (!Files.exists(pidFile)) {
				return;
			}
			long pid;
			try {
				pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
			}
			catch (RuntimeException ex) {
				return;
			}
			Optional<ProcessHandle> process = ProcessHandle.of(pid)
				.filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
			if (process.isEmpty()) {
				return;
			}
			log.warn("Stopping the bundled PostgreSQL (pid {}) left running by a Rollcall that did not shut down", pid);
			process.get().destroy();
			try {
				process.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				process.get().destroyForcibly();
			}
		}

		DataSource dataSource() {
			return this.dataSource;
		}

		@Override
		public void close() throws IOException {
			this.dataSource.close();
			this.postgres.close();
			this.lockChannel.close();
		}

	}

}
