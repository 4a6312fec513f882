package io.rollcall;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@code ./rollcall run} launches the server (issue 19): with the JDK's AOT cache by default on a JDK 25 or newer,
 * trained once after each build or JDK change, and the class-data archive whenever there is no cache. The script runs
 * here as a user runs it, on a copy of the repository's layout whose JDK is a stand-in that records what it was asked
 * (no JVM, no build, no training: milliseconds).
 */
@Tag("unit")
class RollcallScriptTests {

	/** The stand-in JDK's {@code java}: each call logged; extraction, training and the server's start mimicked. */
	private static final String JAVA = """
			#!/usr/bin/env bash
			echo "$*" >> "$FAKE_JAVA_LOG"
			case "$*" in
			  *-XshowSettings:properties*) echo "    java.specification.version = ${FAKE_JAVA_MAJOR:-25}" >&2 ;;
			  -version) echo 'openjdk version "25"' >&2; echo "OpenJDK 64-Bit Server VM (build ${FAKE_JAVA_BUILD:-25+1})" >&2 ;;
			  *-Djarmode=tools*) mkdir -p "${@: -1}" && echo app > "${@: -1}/rollcall.jar" ;;
			  *TrainingRun.java*)
			    if [ "${FAKE_TRAINING:-ok}" = ok ]; then echo cache > "$3"; echo "Made the AOT cache $3"; else exit 1; fi ;;
			  *) echo "started: $*" ;;
			esac
			""";

	@TempDir
	Path root;

	private Path jdk;

	private Path calls;

	@BeforeEach
	void copyTheScriptBesideAJarAndAJdk() throws IOException {
		Path script = Path.of("").toAbsolutePath().getParent().resolve("rollcall");
		assertThat(script).exists();
		Files.copy(script, this.root.resolve("rollcall"), StandardCopyOption.COPY_ATTRIBUTES);
		Files.createDirectories(this.root.resolve("server/target"));
		Files.writeString(this.root.resolve("server/target/rollcall.jar"), "the jar");
		Files.createDirectories(this.root.resolve("server/training"));
		Files.writeString(this.root.resolve("server/training/TrainingRun.java"), "");
		this.jdk = Files.createDirectories(this.root.resolve("jdk/bin"));
		executable(this.jdk.resolve("java"), JAVA);
		executable(this.jdk.resolve("javac"), "#!/bin/sh\n");
		release("25.0.3", "25.0.3+9-LTS");
		this.calls = this.root.resolve("java-calls.log");
	}

	@Test
	void runWhenJdk25ThenTrainsOnceAndStartsWithTheAotCache() throws Exception {
		Result first = run(Map.of());
		Result second = run(Map.of());

		assertThat(first.output()).contains("Making Rollcall's start-up cache", "ROLLCALL_AOT=off skips this");
		assertThat(first.launch()).contains("-XX:AOTCache=server/target/rollcall-aot/rollcall.aot",
				"-Dspring.aot.enabled=true", "-jar server/target/rollcall-aot/app/rollcall.jar");
		assertThat(second.launch()).isEqualTo(first.launch());
		assertThat(second.output()).doesNotContain("Making Rollcall's start-up cache");
		assertThat(trainings()).isEqualTo(1);
	}

	@Test
	void runWhenTheJarIsRebuiltThenTrainsAgainForTheNewJar() throws Exception {
		run(Map.of());
		Path jar = this.root.resolve("server/target/rollcall.jar");
		Files.writeString(jar, "the jar, rebuilt");
		Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));

		Result rebuilt = run(Map.of());

		assertThat(trainings()).isEqualTo(2);
		assertThat(rebuilt.launch()).contains("-XX:AOTCache=");
	}

	@Test
	void runWhenTheJdkChangesThenTrainsAgain() throws Exception {
		run(Map.of());
		release("25.0.4", "25.0.4+7-LTS");

		run(Map.of());

		assertThat(trainings()).isEqualTo(2);
	}

	@Test
	void runWhenTheJdkHasNoReleaseFileThenItsVersionComesFromTheJvm() throws Exception {
		Files.delete(this.jdk.resolveSibling("release"));

		Result first = run(Map.of("FAKE_JAVA_MAJOR", "25"));
		run(Map.of("FAKE_JAVA_MAJOR", "25"));
		Result otherBuild = run(Map.of("FAKE_JAVA_MAJOR", "25", "FAKE_JAVA_BUILD", "25.0.9+1"));

		assertThat(first.launch()).contains("-XX:AOTCache=");
		assertThat(trainings()).isEqualTo(2);
		assertThat(otherBuild.launch()).contains("-XX:AOTCache=");
	}

	@Test
	void runWhenTheTrainingFailsThenStartsWithTheClassArchiveSaysSoAndDoesNotTrainAtEachStart() throws Exception {
		Result failed = run(Map.of("FAKE_TRAINING", "fails"));
		Result again = run(Map.of("FAKE_TRAINING", "fails"));

		assertThat(failed.exit()).isZero();
		assertThat(failed.launch()).doesNotContain("AOTCache")
			.contains("-XX:+AutoCreateSharedArchive", "-jar server/target/rollcall-cds/app/rollcall.jar");
		assertThat(failed.output()).contains("No start-up cache (its training run failed, see "
				+ "server/target/rollcall-aot/training.out");
		assertThat(again.output()).contains("No start-up cache");
		assertThat(again.launch()).isEqualTo(failed.launch());
		assertThat(trainings()).isEqualTo(1);
	}

	@Test
	void runWhenAotIsOffThenNoTrainingAndTheClassArchive() throws Exception {
		Result off = run(Map.of("ROLLCALL_AOT", "off"));

		assertThat(off.launch()).doesNotContain("AOTCache").contains("-XX:+AutoCreateSharedArchive");
		assertThat(off.output()).doesNotContain("start-up cache");
		assertThat(trainings()).isZero();
	}

	@Test
	void runWhenTheJdkIsBefore25ThenNoTrainingAndTheClassArchive() throws Exception {
		release("21.0.9", "21.0.9+10-LTS");

		Result older = run(Map.of());

		assertThat(older.exit()).isZero();
		assertThat(older.launch()).doesNotContain("AOTCache")
			.doesNotContain("-Xlog:aot")
			.contains(
					"-XX:+AutoCreateSharedArchive", "-Dspring.aot.enabled=true",
					"-jar server/target/rollcall-cds/app/rollcall.jar");
		assertThat(trainings()).isZero();
	}

	private record Result(int exit, String output) {

		/** The server's command line, as the stand-in JVM echoed it. */
		String launch() {
			return output().lines().filter(line -> line.startsWith("started: ")).findFirst().orElse("(not started)");
		}

	}

	private Result run(Map<String, String> settings) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(List.of("bash", "./rollcall", "run")).directory(this.root.toFile())
			.redirectErrorStream(true);
		Map<String, String> environment = builder.environment();
		environment.keySet().removeIf(name -> name.startsWith("ROLLCALL_") || name.startsWith("FAKE_"));
		environment.put("JAVA_HOME", this.jdk.getParent().toString());
		environment.put("HOME", this.root.toString());
		environment.put("FAKE_JAVA_LOG", this.calls.toString());
		environment.putAll(settings);
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		return new Result(process.exitValue(), output);
	}

	private long trainings() throws IOException {
		return Files.exists(this.calls) ? Files.readAllLines(this.calls)
			.stream()
			.filter(call -> call.contains("TrainingRun.java"))
			.count() : 0;
	}

	private void release(String version, String runtime) throws IOException {
		Files.writeString(this.jdk.resolveSibling("release"),
				"IMPLEMENTOR=\"Test\"\nJAVA_RUNTIME_VERSION=\"" + runtime + "\"\nJAVA_VERSION=\"" + version + "\"\n");
	}

	private static void executable(Path file, String text) throws IOException {
		Files.writeString(file, text);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
	}

}
