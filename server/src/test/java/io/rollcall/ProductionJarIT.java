package io.rollcall;

import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged {@code rollcall.jar} is what operators run in production: the stand-ins for Entra ID, Okta and the JSON
 * directory, which accept any credentials, must not ship inside it (the demo's jar carries them, issue 17).
 */
class ProductionJarIT {

	@Test
	void jarWhenPackagedThenItCarriesNoEmulatorClassNorTheEmulatorsLibrary() throws Exception {
		Path jar = Path.of(System.getProperty("rollcall.jar", "target/rollcall.jar")).toAbsolutePath();
		assertThat(jar).exists();
		try (JarFile file = new JarFile(jar.toFile())) {
			List<String> entries = file.stream().map(ZipEntry::getName).toList();
			// The jar is the one built from this module: its own classes are there, so an empty list passes nothing.
			assertThat(entries).contains("BOOT-INF/classes/io/rollcall/RollcallApplication.class");
			assertThat(entries).filteredOn(name -> name.contains("io/rollcall/emulators/")).isEmpty();
			assertThat(entries).filteredOn(name -> name.startsWith("BOOT-INF/lib/rollcall-emulators")).isEmpty();
			assertThat(entries).filteredOn(name -> name.startsWith("BOOT-INF/lib/"))
				.as("the libraries packaged")
				.isNotEmpty()
				.noneMatch(name -> name.contains("emulator"));
		}
	}

}
