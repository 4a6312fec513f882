package io.rollcall.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged {@code rollcall.jar} run as a newcomer runs it, in a process of its own: one data directory and port
 * kept over restarts (so a test can kill it with -9 and start it again), HTTP to it, and what is left cleaned up.
 */
public final class JarNode implements AutoCloseable {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final List<Process> started = new ArrayList<>();

	private final Path dataDir;

	private final int port;

	private final String operatorToken;

	private final Map<String, String> settings;

	/** A node with a fresh data directory; {@code settings} are added to its environment. */
	public JarNode(String name, String operatorToken, Map<String, String> settings) throws IOException {
		this.dataDir = TempDirs.create(name + "-");
		this.port = freePort();
		this.operatorToken = operatorToken;
		this.settings = Map.copyOf(settings);
	}

	public Path dataDir() {
		return this.dataDir;
	}

	/** The port it listens on, the same over restarts. */
	public int port() {
		return this.port;
	}

	/** Its log, every start appended. */
	public Path log() {
		return this.dataDir.resolve("rollcall.log");
	}

	/** Starts the jar (again); the process, to kill. */
	public Process start() throws IOException {
		return start(Map.of());
	}

	/**
	 * Starts the jar (again) with {@code environment} added to this start's environment only: a library preloaded to
	 * fake its clock ({@code LD_PRELOAD} of libfaketime), say. The process, to kill.
	 */
	public Process start(Map<String, String> environment) throws IOException {
		Path jar = Path.of(System.getProperty("rollcall.jar", "target/rollcall.jar")).toAbsolutePath();
		assertThat(jar).exists();
		String java = ProcessHandle.current().info().command().orElse("java");
		ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.dataDir.resolve("rollcall.log").toFile()));
		builder.environment().put("ROLLCALL_DATA_DIR", this.dataDir.toString());
		builder.environment().put("ROLLCALL_OPERATOR_TOKEN", this.operatorToken);
		builder.environment().put("PORT", String.valueOf(this.port));
		builder.environment().put("ROLLCALL_SMTP_PORT", String.valueOf(freePort()));
		builder.environment().putAll(this.settings);
		builder.environment().putAll(environment);
		Process process = ChildProcesses.track(builder.start());
		this.started.add(process);
		return process;
	}

	/** Waits for /actuator/health to say UP; the milliseconds it took. */
	public long awaitHealthy(Process process) throws Exception {
		long start = System.nanoTime();
		while (System.nanoTime() - start < Duration.ofSeconds(180).toNanos()) {
			assertThat(process.isAlive()).as("Rollcall exited; see %s", this.dataDir.resolve("rollcall.log")).isTrue();
			try {
				HttpResponse<String> health = get("localhost", "/actuator/health", null);
				if (health.statusCode() == 200 && health.body().contains("\"UP\"")) {
					return Duration.ofNanos(System.nanoTime() - start).toMillis();
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(100);
		}
		throw new AssertionError("Rollcall was not healthy within 180 s; see " + this.dataDir.resolve("rollcall.log"));
	}

	public HttpResponse<String> get(String host, String path, String authorization) throws Exception {
		return send("GET", host, path, authorization, null, null);
	}

	public HttpResponse<String> post(String host, String path, String authorization, String json) throws Exception {
		return send("POST", host, path, authorization, "application/json", json);
	}

	public HttpResponse<String> patch(String host, String path, String authorization, String json) throws Exception {
		return send("PATCH", host, path, authorization, "application/json", json);
	}

	/** A request to the node at {@code host} (a company's is {@code slug.localhost}); no body when it is null. */
	public HttpResponse<String> send(String method, String host, String path, String authorization, String contentType,
			String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Host", host)
			.timeout(Duration.ofSeconds(30))
			.method(method,
					body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Stops what the test started, each whatever the one before did (killed when SIGTERM is not obeyed within 30 s), and
	 * the bundled PostgreSQL a killed node may have left behind.
	 */
	@Override
	public void close() throws Exception {
		for (Process process : this.started) {
			ChildProcesses.stop(process, Duration.ofSeconds(30));
		}
		Path pid = this.dataDir.resolve("postgres/postmaster.pid");
		if (Files.exists(pid)) {
			ProcessHandle.of(Long.parseLong(Files.readAllLines(pid).getFirst().trim()))
				.ifPresent(ProcessHandle::destroy);
		}
	}

	/**
	 * A free port below the ephemeral range (32768 and up on Linux): a node restarted on its port must find it free, and
	 * one from the ephemeral range may meanwhile be the local end of any outgoing connection.
	 */
	private static int freePort() throws IOException {
		java.util.Random random = new java.util.Random();
		for (int attempt = 0; attempt < 100; attempt++) {
			int port = 20_000 + random.nextInt(12_000);
			try (ServerSocket socket = new ServerSocket(port)) {
				return socket.getLocalPort();
			}
			catch (IOException ex) {
				// taken: another
			}
		}
		throw new IOException("No free port between 20000 and 32000");
	}

}
