package io.rollcall.platform;

import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.rollcall.support.IntegrationTest;
import io.rollcall.support.TempDirs;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

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
