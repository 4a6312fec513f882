package io.rollcall.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary directories of tests (data directories of up to 650 MB, browser profiles), made afresh for each run.
 * Nothing deletes a directory while its database may still be stopping, so each new one first removes those of its
 * kind left by runs that ended hours ago: a developer's or CI's machine does not fill up over many runs.
 */
public final class TempDirs {

	private static final Duration STALE = Duration.ofHours(6);

	private TempDirs() {
	}

	public static Path create(String prefix) {
		try {
			removeStale(prefix);
			return Files.createTempDirectory(prefix);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void removeStale(String prefix) throws IOException {
		Instant before = Instant.now().minus(STALE);
		try (Stream<Path> siblings = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
			siblings.filter(path -> path.getFileName().toString().startsWith(prefix) && Files.isDirectory(path))
				.filter(path -> modifiedBefore(path, before))
				.forEach(TempDirs::deleteQuietly);
		}
	}

	private static boolean modifiedBefore(Path path, Instant before) {
		try {
			return Files.getLastModifiedTime(path).toInstant().isBefore(before);
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void deleteQuietly(Path root) {
		try (Stream<Path> paths = Files.walk(root)) {
			paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
		}
		catch (IOException | UncheckedIOException ex) {
			// Another run may be removing it at the same time; what is left goes next time.
		}
	}

}
