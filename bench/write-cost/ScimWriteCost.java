import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one SCIM write costs, per request rather than per second: for each jar given (alternated over the rounds), a
 * fresh server and data directory, a warm-up, then N POST /Users and N PATCH /Users (replace title) from 16
 * keep-alive connections, with the CPU of Rollcall's JVM and of its PostgreSQL (postmaster and children, /proc) read
 * before and after each loop, and, with --statements, the statements each loop ran (pg_stat_statements, loaded for
 * that run only: it costs CPU of its own) and the statements of one POST and one PATCH.
 *
 * Usage (after ./rollcall build): java -Djdk.httpclient.allowRestrictedHeaders=host
 * -cp bench/target/classes:postgresql.jar bench/write-cost/ScimWriteCost.java [--statements]
 * [--rounds R] [--n N] [--warm W] jar...
 */
public class ScimWriteCost {

	static final String OPERATOR = "write-cost-operator-token";

	static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

	static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		// Daemon threads: the pool's would keep the JVM alive after main returns (and the machine's lock held).
		.executor(Executors.newFixedThreadPool(4, Thread.ofPlatform().daemon().factory()))
		.build();

	public static void main(String[] args) throws Exception {
		boolean statements = false;
		int rounds = 1, n = 3000, warm = 3000;
		List<String> jars = new ArrayList<>();
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--statements" -> statements = true;
				case "--rounds" -> rounds = Integer.parseInt(args[++i]);
				case "--n" -> n = Integer.parseInt(args[++i]);
				case "--warm" -> warm = Integer.parseInt(args[++i]);
				default -> jars.add(args[i]);
			}
		}
		for (int round = 1; round <= rounds; round++) {
			for (String jar : jars) {
				run(round, jar, statements, n, warm);
			}
		}
	}

	static void run(int round, String jar, boolean statements, int n, int warm) throws Exception {
		Path data = Files.createTempDirectory("write-cost-");
		int port = freePort();
		List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xms512m", "-Xmx512m"));
		String extra = System.getenv("WRITE_COST_SERVER_OPTS");
		if (extra != null && !extra.isBlank()) {
			command.addAll(List.of(extra.strip().split("\\s+")));
		}
		command.addAll(List.of("-jar", jar));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(data.resolve("rollcall.log").toFile());
		Map<String, String> env = builder.environment();
		env.put("ROLLCALL_DATA_DIR", data.toString());
		env.put("ROLLCALL_OPERATOR_TOKEN", OPERATOR);
		env.put("PORT", String.valueOf(port));
		env.put("ROLLCALL_SCIM_REQUESTS_PER_SECOND", "100000");
		env.put("ROLLCALL_SMTP_PORT", String.valueOf(freePort()));
		if (statements) {
			env.put("ROLLCALL_POSTGRES_SETTINGS",
					"shared_preload_libraries=pg_stat_statements,pg_stat_statements.track_planning=on");
		}
		Process server = builder.start();
		try {
			awaitHealthy(port, server);
			String company = send(port, "POST", "localhost", "/api/v1/companies", "Bearer " + OPERATOR,
					"{\"slug\":\"sync\",\"name\":\"Scim\",\"ownerEmail\":\"owner@sync.test\"}").body();
			String key = bearer(company);
			send(port, "PUT", "sync.localhost", "/api/v1/integrations/scim", key,
					"{\"enabled\":true,\"invitationPolicy\":\"never\"}");
			String token = bearer(send(port, "POST", "sync.localhost", "/api/v1/integrations/scim/tokens", key,
					"{\"name\":\"bench\"}").body());
			String label = "round " + round + " " + Path.of(jar).getFileName();
			List<String> warmIds = posts(port, token, "w", warm);
			patches(port, token, warmIds, warm);
			Connection db = null;
			if (statements) {
				int pgPort = postgresPort(data);
				db = DriverManager.getConnection("jdbc:postgresql://localhost:" + pgPort + "/postgres", "postgres", "");
				db.createStatement().execute("create extension if not exists pg_stat_statements");
				one(db, "one POST", () -> posts(port, token, "single", 1));
				List<String> single = posts(port, token, "single2-", 1);
				one(db, "one PATCH", () -> {
					patches(port, token, single, 1);
					return null;
				});
				db.createStatement().execute("select pg_stat_statements_reset()");
			}
			long[] before = cpu(server.pid());
			long t0 = System.nanoTime();
			List<String> ids = posts(port, token, "m", n);
			long t1 = System.nanoTime();
			long[] mid = cpu(server.pid());
			if (db != null) {
				System.out.printf("%s POST: %.2f statements a request (all of PostgreSQL's, %d requests)%n", label,
						calls(db) / (double) n, n);
				breakdown(db, n);
				db.createStatement().execute("select pg_stat_statements_reset()");
			}
			long[] mid2 = cpu(server.pid());
			long t2 = System.nanoTime();
			patches(port, token, ids, n);
			long t3 = System.nanoTime();
			long[] after = cpu(server.pid());
			if (db != null) {
				System.out.printf("%s PATCH: %.2f statements a request (all of PostgreSQL's, %d requests)%n", label,
						calls(db) / (double) n, n);
				breakdown(db, n);
				db.close();
			}
			long[] mid3 = cpu(server.pid());
			long t4 = System.nanoTime();
			lookups(port, token, "m", n, 3);
			long t5 = System.nanoTime();
			long[] last = cpu(server.pid());
			System.out.printf("%s GET userName eq: %.0f req/s; Rollcall %.0f µs, PostgreSQL %.0f µs a request%n", label,
					3 * n / ((t5 - t4) / 1e9), (last[0] - mid3[0]) * 10_000.0 / (3 * n),
					(last[1] - mid3[1]) * 10_000.0 / (3 * n));
			System.out.printf("%s POST: %.0f req/s; Rollcall %.0f µs, PostgreSQL %.0f µs a request%n", label,
					n / ((t1 - t0) / 1e9), (mid[0] - before[0]) * 10_000.0 / n, (mid[1] - before[1]) * 10_000.0 / n);
			System.out.printf("%s PATCH: %.0f req/s; Rollcall %.0f µs, PostgreSQL %.0f µs a request%n", label,
					n / ((t3 - t2) / 1e9), (after[0] - mid2[0]) * 10_000.0 / n, (after[1] - mid2[1]) * 10_000.0 / n);
		}
		finally {
			server.destroy();
			server.waitFor();
			if (System.getenv("WRITE_COST_KEEP") == null) {
				try (var paths = Files.walk(data)) {
					paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
				}
			}
			else {
				System.out.println("data kept in " + data);
			}
		}
	}

	interface Work {

		Object run() throws Exception;

	}

	static void one(Connection db, String what, Work work) throws Exception {
		Thread.sleep(1500);
		db.createStatement().execute("select pg_stat_statements_reset()");
		work.run();
		Thread.sleep(1500);
		System.out.println("-- " + what + ": every statement PostgreSQL ran in the next 1.5 s");
		try (ResultSet rows = db.createStatement()
			.executeQuery("select calls, query from pg_stat_statements where query not like '%pg_stat_statements%'"
					+ " order by calls desc, query")) {
			while (rows.next()) {
				System.out.printf("%4d  %s%n", rows.getLong(1), rows.getString(2).replaceAll("\\s+", " "));
			}
		}
	}

	static void breakdown(Connection db, int n) throws Exception {
		try (ResultSet rows = db.createStatement()
			.executeQuery("select calls, total_exec_time, shared_blks_hit + shared_blks_read, wal_bytes, query, total_plan_time, plans"
					+ " from pg_stat_statements where query not like '%pg_stat_statements%'"
					+ " order by total_exec_time + total_plan_time desc, query limit 40")) {
			System.out.println("   calls/req  exec µs/req  µs/call  blocks/call  WAL B/call  plans/call  plan µs/req  statement");
			while (rows.next()) {
				long calls = rows.getLong(1);
				String query = rows.getString(5).replaceAll("\\s+", " ");
				System.out.printf("   %6.2f  %9.1f  %8.1f  %8.1f  %8.0f  %6.2f  %9.1f  %s%n", calls / (double) n,
						rows.getDouble(2) * 1000 / n, rows.getDouble(2) * 1000 / Math.max(1, calls),
						rows.getLong(3) / (double) Math.max(1, calls), rows.getDouble(4) / Math.max(1, calls),
						rows.getLong(7) / (double) Math.max(1, calls), rows.getDouble(6) * 1000 / n,
						query.substring(0, Math.min(150, query.length())));
			}
		}
	}

	static long calls(Connection db) throws Exception {
		try (ResultSet rows = db.createStatement()
			.executeQuery("select coalesce(sum(calls), 0) from pg_stat_statements"
					+ " where query not like '%pg_stat_statements%'")) {
			rows.next();
			return rows.getLong(1);
		}
	}

	static List<String> posts(int port, String token, String prefix, int count) throws Exception {
		String[] ids = new String[count];
		loop(count, i -> {
			String body = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"" + prefix + i
					+ "@sync.test\",\"externalId\":\"" + prefix + i
					+ "\",\"name\":{\"givenName\":\"Bench\",\"familyName\":\"X" + i + "\"},\"emails\":[{\"value\":\""
					+ prefix + i + "@sync.test\",\"type\":\"work\",\"primary\":true}],\"title\":\"Engineer\",\"active\":true}";
			HttpResponse<String> answer = send(port, "POST", "sync.localhost", "/scim/v2/Users", token, body);
			if (answer.statusCode() != 201) {
				throw new IllegalStateException("POST answered " + answer.statusCode() + ": " + answer.body());
			}
			Matcher id = ID.matcher(answer.body());
			id.find();
			ids[i] = id.group(1);
		});
		return List.of(ids);
	}

	/** count × rounds lookups of the users {@link #posts} made with {@code prefix}, as a provider's matching does. */
	static void lookups(int port, String token, String prefix, int count, int rounds) throws Exception {
		loop(count * rounds, i -> {
			String filter = java.net.URLEncoder.encode("userName eq \"" + prefix + (i % count) + "@sync.test\"",
					java.nio.charset.StandardCharsets.UTF_8);
			HttpResponse<String> answer = send(port, "GET", "sync.localhost", "/scim/v2/Users?filter=" + filter, token,
					null);
			if (answer.statusCode() != 200 || !answer.body().contains("\"totalResults\":1")) {
				throw new IllegalStateException("GET answered " + answer.statusCode() + ": " + answer.body());
			}
		});
	}

	static void patches(int port, String token, List<String> ids, int count) throws Exception {
		loop(count, i -> {
			String body = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
					+ "\"Operations\":[{\"op\":\"replace\",\"path\":\"title\",\"value\":\"Title " + i + "\"}]}";
			HttpResponse<String> answer = send(port, "PATCH", "sync.localhost", "/scim/v2/Users/" + ids.get(i % ids.size()),
					token, body);
			if (answer.statusCode() != 200) {
				throw new IllegalStateException("PATCH answered " + answer.statusCode() + ": " + answer.body());
			}
		});
	}

	interface Step {

		void run(int i) throws Exception;

	}

	/** count requests from 16 threads, each sending one after another. */
	static void loop(int count, Step step) throws Exception {
		AtomicInteger next = new AtomicInteger();
		ExecutorService clients = Executors.newFixedThreadPool(16);
		List<Future<?>> done = new ArrayList<>();
		for (int c = 0; c < 16; c++) {
			done.add(clients.submit(() -> {
				for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
					step.run(i);
				}
				return null;
			}));
		}
		for (Future<?> f : done) {
			f.get();
		}
		clients.shutdown();
	}

	static HttpResponse<String> send(int port, String method, String host, String path, String auth, String body)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Host", host)
			.timeout(Duration.ofSeconds(60))
			.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
		if (auth != null) {
			request.header("Authorization", auth);
		}
		if (body != null) {
			request.header("Content-Type", "application/scim+json");
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	static void awaitHealthy(int port, Process server) throws Exception {
		long start = System.nanoTime();
		while (System.nanoTime() - start < Duration.ofSeconds(300).toNanos()) {
			if (!server.isAlive()) {
				throw new IllegalStateException("server exited");
			}
			try {
				var health = send(port, "GET", "localhost", "/actuator/health", null, null);
				if (health.statusCode() == 200 && health.body().contains("\"UP\"")) {
					return;
				}
			}
			catch (IOException ex) {
				// not yet
			}
			Thread.sleep(100);
		}
		throw new IllegalStateException("not healthy");
	}

	static String bearer(String created) {
		Matcher secret = Pattern.compile("\"secret\":\"([^\"]+)\"").matcher(created);
		if (!secret.find()) {
			throw new IllegalStateException("No secret in " + created);
		}
		return "Bearer " + secret.group(1);
	}

	static int postgresPort(Path data) throws IOException {
		Matcher port = Pattern.compile("Bundled PostgreSQL is running on port (\\d+)")
			.matcher(Files.readString(data.resolve("rollcall.log")));
		port.find();
		return Integer.parseInt(port.group(1));
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/**
	 * Ticks (10 ms) of the server's JVM and of its PostgreSQL (postmaster, reaped children, live children), as the
	 * benchmarks read them.
	 */
	static long[] cpu(long serverPid) {
		io.rollcall.bench.CpuShares.Reading reading = io.rollcall.bench.CpuShares.read(serverPid);
		return new long[] { reading.serverTicks(), reading.postgresTicks() };
	}

}
