import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The training run behind the JDK's AOT cache (JEP 483/514/515, JDK 25+): starts the extracted jar with
 * {@code -XX:AOTCacheOutput}, on a throw-away data directory and its own bundled PostgreSQL, serves it the requests a
 * node meets (REST, SCIM lookups, creates and PATCHes, the sign-in page, discovery, health, metrics) so that the cache
 * holds their classes, linked, and their methods' profiles, then stops it (SIGTERM) and waits while the JVM writes the
 * cache. Nothing leaves loopback, no setting of the caller reaches the server (never the user's database) and nothing
 * is left running: the server and its PostgreSQL are stopped whatever happens.
 *
 * <p>
 * Run by {@code ./rollcall run} with the JDK that will use the cache, as a single source file (no build):
 * {@code java server/training/TrainingRun.java <extracted jar> <cache file> [JVM option...]}, the options those the node
 * will start with. Exits 0 once the cache is written.
 */
public final class TrainingRun {

	private static final Pattern SECRET = Pattern.compile("\"secret\":\"([^\"]+)\"");

	private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

	/** How long the SCIM load runs: long enough for the hot paths to be profiled (C1 with profiles, then C2). */
	private static final Duration LOAD = Duration.ofSeconds(Long.getLong("rollcall.training.seconds", 15));

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final int port;

	private TrainingRun(int port) {
		this.port = port;
	}

	public static void main(String[] args) throws Exception {
		if (args.length < 2) {
			System.err.println(
					"Usage: java TrainingRun.java <extracted rollcall jar> <AOT cache to write> [JVM option...]");
			System.exit(2);
		}
		Path jar = Path.of(args[0]).toAbsolutePath();
		Path cache = Path.of(args[1]).toAbsolutePath();
		Files.deleteIfExists(cache);
		Path data = Files.createTempDirectory("rollcall-training-");
		String token = "training-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
		String java = ProcessHandle.current().info().command().orElseThrow();
		// The options the node will start with (Spring's ahead-of-time bean definitions), which load other classes.
		List<String> command = new ArrayList<>(List.of(java, "-XX:AOTCacheOutput=" + cache));
		command.addAll(Arrays.asList(args).subList(2, args.length));
		command.addAll(List.of("-jar", jar.toString()));
		ProcessBuilder builder = new ProcessBuilder(command)
			.redirectErrorStream(true)
			.redirectOutput(data.resolve("rollcall.log").toFile());
		Map<String, String> environment = builder.environment();
		// The caller's settings (a database URL, a secrets key, a base domain) are not the training's.
		environment.keySet().removeIf(name -> name.startsWith("ROLLCALL_") || name.equals("PORT")
				|| name.startsWith("SPRING_") || name.equals("JAVA_TOOL_OPTIONS") || name.equals("JDK_JAVA_OPTIONS"));
		environment.put("ROLLCALL_DATA_DIR", data.toString());
		// Any free port, read from the log once listening: one chosen here could be taken by then (by PostgreSQL's).
		environment.put("PORT", "0");
		environment.put("ROLLCALL_OPERATOR_TOKEN", token);
		environment.put("ROLLCALL_SMTP_PORT", String.valueOf(freePort()));
		environment.put("ROLLCALL_SHUTDOWN_DRAIN", "0s");
		environment.put("ROLLCALL_SCIM_REQUESTS_PER_SECOND", "100000");
		long started = System.nanoTime();
		Process server = builder.start();
		// Ctrl-C on the caller, or a failure below: the server and its PostgreSQL go too.
		Thread stopper = new Thread(() -> stop(server, Duration.ofSeconds(10)));
		Runtime.getRuntime().addShutdownHook(stopper);
		boolean trained = false;
		try {
			TrainingRun training = new TrainingRun(awaitListening(server, data.resolve("rollcall.log")));
			training.awaitHealthy(server);
			training.serve(token);
			trained = true;
		}
		catch (Exception ex) {
			System.err.println("The training run failed: " + ex.getMessage() + " (its log: " + data.resolve("rollcall.log")
					+ ")");
		}
		// The JVM writes the cache on its way out; a large application's takes a minute on two busy cores.
		boolean exited = stop(server, Duration.ofMinutes(5));
		Runtime.getRuntime().removeShutdownHook(stopper);
		Path log = cache.resolveSibling(cache.getFileName() + ".log");
		Files.copy(data.resolve("rollcall.log"), log, StandardCopyOption.REPLACE_EXISTING);
		delete(data);
		if (!trained || !exited || !Files.isRegularFile(cache)) {
			Files.deleteIfExists(cache);
			System.err.println("No AOT cache was made (the training run's log: " + log + ")");
			System.exit(1);
		}
		System.out.printf("Made the AOT cache %s (%d MB) in %.0f s%n", cache, Files.size(cache) >> 20,
				(System.nanoTime() - started) / 1e9);
	}

	/** SIGTERM, then what is left of the process tree after {@code patience} is killed; true if it stopped by itself. */
	private static boolean stop(Process server, Duration patience) {
		List<ProcessHandle> tree = Stream.concat(Stream.of(server.toHandle()), server.descendants()).toList();
		server.destroy();
		boolean exited;
		try {
			exited = server.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			exited = false;
		}
		// The bundled PostgreSQL is stopped by the server as it closes; after a failed start it may still run.
		tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
		return exited && server.exitValue() != 137;
	}

	private static final Pattern LISTENING = Pattern.compile("Tomcat started on port (\\d+)");

	/** The port the server listens on, as its log says once Tomcat has started. */
	private static int awaitListening(Process server, Path log) throws Exception {
		long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
		while (System.nanoTime() < deadline) {
			if (!server.isAlive()) {
				throw new IllegalStateException("Rollcall exited during start-up");
			}
			Matcher port = LISTENING.matcher(Files.readString(log, StandardCharsets.ISO_8859_1));
			if (port.find()) {
				return Integer.parseInt(port.group(1));
			}
			Thread.sleep(100);
		}
		throw new IllegalStateException("Not listening within 5 minutes");
	}

	private void awaitHealthy(Process server) throws Exception {
		long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
		while (System.nanoTime() < deadline) {
			if (!server.isAlive()) {
				throw new IllegalStateException("Rollcall exited during start-up");
			}
			try {
				HttpResponse<String> health = send("GET", "localhost", "/actuator/health", null, null);
				if (health.statusCode() == 200 && health.body().contains("\"UP\"")) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(100);
		}
		throw new IllegalStateException("Not healthy within 5 minutes");
	}

	/** A company with people by the REST API, then SCIM's mixed load from 8 clients, and the pages around them. */
	private void serve(String token) throws Exception {
		String company = expect(201, send("POST", "localhost", "/api/v1/companies", "Bearer " + token,
				"{\"slug\":\"training\",\"name\":\"Training\",\"ownerEmail\":\"owner@training.test\"}"));
		String key = "Bearer " + find(SECRET, company);
		String host = "training.localhost";
		for (int n = 0; n < 100; n++) {
			expect(201, send("POST", host, "/api/v1/people", key, "{\"email\":\"p" + n
					+ "@training.test\",\"firstName\":\"P\",\"lastName\":\"N" + n
					+ "\",\"jobTitle\":\"Engineer\",\"department\":\"R&D\"}"));
		}
		for (int n = 0; n < 5; n++) {
			expect(200, send("GET", host, "/api/v1/people?limit=50", key, null));
			expect(200, send("GET", host, "/api/v1/teams", key, null));
		}
		expect(200, send("PUT", host, "/api/v1/integrations/scim", key,
				"{\"enabled\":true,\"invitationPolicy\":\"never\"}"));
		String scim = "Bearer "
				+ find(SECRET, expect(201, send("POST", host, "/api/v1/integrations/scim/tokens", key,
						"{\"name\":\"training\"}")));
		List<String> ids = new ArrayList<>();
		for (int n = 0; n < 200; n++) {
			ids.add(find(ID, expect(201, send("POST", host, "/scim/v2/Users", scim, user("seed" + n)))));
		}
		AtomicInteger created = new AtomicInteger();
		long end = System.nanoTime() + LOAD.toNanos();
		try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
			List<Future<?>> running = new ArrayList<>();
			for (int c = 0; c < 8; c++) {
				running.add(clients.submit(() -> {
					ThreadLocalRandom random = ThreadLocalRandom.current();
					while (System.nanoTime() < end) {
						int dice = random.nextInt(100);
						if (dice < 55) {
							send("GET", host, "/scim/v2/Users?filter="
									+ query("userName eq \"seed" + random.nextInt(ids.size()) + "@training.test\""),
									scim, null);
						}
						else if (dice < 70) {
							send("GET", host, "/scim/v2/Users?filter="
									+ query("externalId eq \"seed" + random.nextInt(ids.size()) + "\""), scim, null);
						}
						else if (dice < 85) {
							send("POST", host, "/scim/v2/Users", scim, user("load" + created.incrementAndGet()));
						}
						else {
							send("PATCH", host, "/scim/v2/Users/" + ids.get(random.nextInt(ids.size())), scim,
									"{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
											+ "\"Operations\":[{\"op\":\"Replace\",\"path\":\"title\",\"value\":\"Title "
											+ random.nextInt(1000) + "\"}]}");
						}
					}
					return null;
				}));
			}
			for (Future<?> client : running) {
				client.get();
			}
		}
		for (String path : List.of("/scim/v2/ServiceProviderConfig", "/scim/v2/Schemas", "/scim/v2/ResourceTypes",
				"/scim/v2/Groups")) {
			send("GET", host, path, scim, null);
		}
		for (int n = 0; n < 20; n++) {
			send("GET", host, "/", null, null);
			send("GET", host, "/login", null, null);
			send("GET", host, "/.well-known/openid-configuration", null, null);
			send("GET", host, "/oauth2/jwks", null, null);
			send("GET", host, "/api/v1/people", "Bearer not-a-key", null);
			send("GET", "localhost", "/actuator/health/readiness", null, null);
			send("GET", "localhost", "/actuator/prometheus", null, null);
		}
	}

	private static String user(String name) {
		return "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"" + name
				+ "@training.test\",\"externalId\":\"" + name + "\",\"name\":{\"givenName\":\"T\",\"familyName\":\""
				+ name + "\"},\"title\":\"Engineer\",\"active\":true}";
	}

	private HttpResponse<String> send(String method, String host, String path, String authorization, String body)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Host", host)
			.timeout(Duration.ofSeconds(60))
			.method(method,
					body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		if (body != null) {
			request.header("Content-Type", path.startsWith("/scim/") ? "application/scim+json" : "application/json");
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String expect(int status, HttpResponse<String> response) {
		if (response.statusCode() != status) {
			throw new IllegalStateException(response.request().method() + " " + response.uri().getPath() + " answered "
					+ response.statusCode() + ": " + response.body());
		}
		return response.body();
	}

	private static String find(Pattern pattern, String body) {
		Matcher matcher = pattern.matcher(body);
		if (!matcher.find()) {
			throw new IllegalStateException("Not in the answer: " + pattern + " in " + body);
		}
		return matcher.group(1);
	}

	private static String query(String filter) {
		return URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static void delete(Path directory) throws IOException {
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
		}
	}

	static {
		// The company is chosen by the Host header (training.localhost), which java.net.http refuses to set otherwise.
		System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
	}

}
