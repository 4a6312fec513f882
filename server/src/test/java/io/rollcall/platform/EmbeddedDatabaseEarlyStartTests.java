package io.rollcall.platform;

import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import javax.sql.DataSource;

import io.rollcall.support.IntegrationTest;
import io.rollcall.support.TempDirs;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.Location;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.context.ApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bundled PostgreSQL started while Spring makes the rest of the application, and never left running. */
class EmbeddedDatabaseEarlyStartTests extends IntegrationTest {

	@Autowired
	ApplicationContext context;

	@Test
	void startWhenApplicationStartsThenTheDataSourceIsTheEarlyStartedServer() {
		EmbeddedDatabaseEarlyStart.Starting starting = this.context.getBean(EmbeddedDatabaseEarlyStart.Starting.class);
		assertThat(starting.taken()).isTrue();
		assertThat(this.context.getBeanNamesForType(EmbeddedDatabaseConfiguration.EmbeddedDatabase.class)).hasSize(1);
	}

	@Test
	void startWhenApplicationStartsThenMigrationsRunByTheEarlyStart() {
		EmbeddedDatabaseEarlyStart.Starting starting = this.context.getBean(EmbeddedDatabaseEarlyStart.Starting.class);
		Flyway flyway = this.context.getBean(Flyway.class);
		assertThat(starting.migratedAs(this.context.getBean(DataSource.class),
				flyway.getConfiguration().getLocations()))
			.isTrue();
		assertThat(flyway.info().pending()).isEmpty();
	}

	@Test
	void migratedAsWhenAnotherDataSourceOrLocationThenBootMigratesItself() {
		EmbeddedDatabaseEarlyStart.Starting starting = this.context.getBean(EmbeddedDatabaseEarlyStart.Starting.class);
		DataSource dataSource = this.context.getBean(DataSource.class);
		assertThat(starting.migratedAs(new SimpleDriverDataSource(),
				new Location[] { new Location("classpath:db/migration") }))
			.isFalse();
		assertThat(starting.migratedAs(dataSource, new Location[] { new Location("classpath:db/other") })).isFalse();
	}

	@Test
	void migrationLocationsWhenOnlyLocationsSetThenEarlyMigrationElseBoots() {
		assertThat(EmbeddedDatabaseEarlyStart.migrationLocations(binder(Map.of())))
			.containsExactly("classpath:db/migration");
		assertThat(EmbeddedDatabaseEarlyStart
			.migrationLocations(binder(Map.of("spring.flyway.locations", "classpath:db/migration,classpath:db/more"))))
			.containsExactly("classpath:db/migration", "classpath:db/more");
		assertThat(EmbeddedDatabaseEarlyStart.migrationLocations(
				binder(Map.of("spring.flyway.locations", "classpath:db/migration", "spring.flyway.target", "12"))))
			.isNull();
		assertThat(EmbeddedDatabaseEarlyStart.migrationLocations(binder(Map.of("spring.flyway.enabled", "false"))))
			.isNull();
	}

	private static Binder binder(Map<String, String> settings) {
		return new Binder(new MapConfigurationPropertySource(settings));
	}

	@Test
	void preparedWhenAnotherApplicationWithoutRollcallsSettingsThenNothingStarted() {
		try (GenericApplicationContext other = new GenericApplicationContext()) {
			new EmbeddedDatabaseEarlyStart().onApplicationEvent(
					new ApplicationPreparedEvent(new SpringApplication(Object.class), new String[0], other));
			assertThat(other.getBeanFactory().containsSingleton(EmbeddedDatabaseEarlyStart.BEAN_NAME)).isFalse();
		}
	}

	@Test
	void destroyWhenNeverTakenThenServerStoppedAndDataDirectoryFree() throws Exception {
		Path dataDir = TempDirs.create("rollcall-early-").resolve("data");
		EmbeddedDatabaseEarlyStart.Starting starting = new EmbeddedDatabaseEarlyStart.Starting(dataDir, false);
		starting.destroy();
		assertThat(dataDir.resolve("postgres/postmaster.pid")).doesNotExist();
		try (FileChannel channel = FileChannel.open(dataDir.resolve("rollcall.lock"), StandardOpenOption.WRITE);
				FileLock lock = channel.tryLock()) {
			assertThat(lock).isNotNull();
		}
	}

	@Test
	void takeWhenStartFailsThenItsFailureIsThrownToTheConfiguration() throws Exception {
		Path notADirectory = Files.createFile(TempDirs.create("rollcall-early-").resolve("data"));
		EmbeddedDatabaseEarlyStart.Starting starting = new EmbeddedDatabaseEarlyStart.Starting(notADirectory, false);
		assertThatThrownBy(starting::take).isInstanceOf(UncheckedIOException.class)
			.hasMessageContaining("Could not start the bundled PostgreSQL in " + notADirectory);
		starting.destroy();
	}

}
