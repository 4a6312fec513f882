package io.rollcall;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rollcall.support.JarNode;
import io.rollcall.support.TempDirs;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18: a node whose clock is minutes off. Two packaged {@code rollcall.jar} nodes share one PostgreSQL of the
 * test's own; the second runs under Debian's libfaketime, its clock five minutes ahead, read from a file the test
 * rewrites to set the clock right while the node runs. The skewed node must report itself not ready with the reason,
 * pick no job while a sync applies on the other node (which applies it once), deliver no webhook (each would be signed
 * with its time), and come back by itself, delivering what waited and taking work, once its clock is right.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClockSkewIT {

	/** Debian's libfaketime ({@code faketime} package), which {@code ./rollcall test} installs. */
	private static final Path LIBFAKETIME = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1");

	private static final int PEOPLE = 5_000;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String OPERATOR_TOKEN = "skew-operator-token";

	private static final Pattern OFFSET = Pattern.compile("\"offsetMillis\":(-?\\d+)");

	private EmbeddedPostgres postgres;

	private JarNode normal;

	private JarNode skewed;

	private Process normalProcess;

	private Process skewedProcess;

	private Path fakeTime;

	/** The company's webhook receiver: each delivery's Standard Webhooks timestamp, and this JVM's time it arrived. */
	private com.sun.net.httpserver.HttpServer receiver;

	private final java.util.Map<String, long[]> deliveries = new java.util.concurrent.ConcurrentHashMap<>();

	@BeforeAll
	void startNodes() throws Exception {
		assertThat(LIBFAKETIME).as("Debian's libfaketime; ./rollcall test installs it (apt-get install faketime)")
			.exists();
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		this.postgres = EmbeddedPostgres.builder()
			.setDataDirectory(TempDirs.create("rollcall-skew-postgres-"))
			.setPort(port)
			.setPGStartupWait(Duration.ofSeconds(60))
			.start();
		this.receiver = com.sun.net.httpserver.HttpServer
			.create(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
		this.receiver.createContext("/events", exchange -> {
			exchange.getRequestBody().readAllBytes();
			String id = exchange.getRequestHeaders().getFirst("webhook-id");
			String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
			if (id != null && timestamp != null) {
				this.deliveries.put(id, new long[] { Long.parseLong(timestamp), Instant.now().getEpochSecond() });
			}
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
		this.receiver.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
		this.receiver.start();
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		// The webhook receiver is this test, on loopback.
		Map<String, String> settings = Map.of("ROLLCALL_DATABASE_URL",
				"jdbc:postgresql://localhost:" + port + "/postgres", "ROLLCALL_DATABASE_USER", "postgres",
				"ROLLCALL_DATABASE_PASSWORD", "", "ROLLCALL_SECRETS_KEY", Base64.getEncoder().encodeToString(key),
				"ROLLCALL_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", "true");
		this.normal = new JarNode("rollcall-skew-normal", OPERATOR_TOKEN, settings);
		this.normalProcess = this.normal.start();
		this.normal.awaitHealthy(this.normalProcess); // it migrates the database
		this.skewed = new JarNode("rollcall-skew-ahead", OPERATOR_TOKEN, settings);
		this.fakeTime = this.skewed.dataDir().resolve("faketime");
		Files.writeString(this.fakeTime, "+5m\n");
		// Read again each second, so that rewriting the file sets the running node's clock; the monotonic clock is left
		// alone, as NTP leaves it. Without FORCE_MONOTONIC_FIX=0 (on by default with Debian 12's glibc) every timed wait
		// of the JVM returns at once, and its housekeeping threads spin.
		this.skewedProcess = this.skewed.start(Map.of("LD_PRELOAD", LIBFAKETIME.toString(), "FAKETIME_TIMESTAMP_FILE",
				this.fakeTime.toString(), "FAKETIME_CACHE_DURATION", "1", "FAKETIME_DONT_FAKE_MONOTONIC", "1",
				"FAKETIME_FORCE_MONOTONIC_FIX", "0"));
	}

	@AfterAll
	void stopNodes() throws Exception {
		for (JarNode node : new JarNode[] { this.normal, this.skewed }) {
			if (node != null) {
				node.close();
			}
		}
		if (this.postgres != null) {
			this.postgres.close();
		}
		if (this.receiver != null) {
			this.receiver.stop(0);
		}
	}

	@Test
	void nodeWhenItsClockIsMinutesAheadThenNotReadyTakesNoJobAndComesBackOnceCorrected() throws Exception {
		long started = System.nanoTime();
		HttpResponse<String> readiness = awaitReadiness(this.skewed, this.skewedProcess, 503, Duration.ofSeconds(180));
		System.out.printf("skew: the skewed node is up and not ready after %d s: %s%n",
				Duration.ofNanos(System.nanoTime() - started).toSeconds(), readiness.body());
		assertThat(readiness.body()).contains("s ahead of PostgreSQL's; tolerance 5 s");
		assertThat(offsetMillis(readiness)).as("its offset, as it measured it").isBetween(295_000L, 305_000L);
		// The JVM itself sees the fake time (Tomcat dates its answers by it), not only the check.
		Instant served = ZonedDateTime
			.parse(readiness.headers().firstValue("Date").orElseThrow(), DateTimeFormatter.RFC_1123_DATE_TIME)
			.toInstant();
		assertThat(Duration.between(Instant.now(), served)).isGreaterThan(Duration.ofMinutes(4));
		assertThat(this.skewed.get("localhost", "/actuator/health/liveness", null).statusCode())
			.as("alive: restarting it would not set its clock right")
			.isEqualTo(200);

		// A sync on the normal node while the job table is watched: the skewed node picks nothing at all.
		String skewedName = schedulerName(this.skewedProcess);
		Map<String, String> csv = people("skew", PEOPLE);
		Started[] run = new Started[1];
		Set<String> pickers = pickersWhile(() -> {
			run[0] = startSync(this.normal, "skew", csv);
			awaitFinished(run[0].id(), Duration.ofMinutes(3));
		});
		System.out.printf("skew: %d people applied; jobs picked by %s (the skewed node is %s)%n", PEOPLE, pickers,
				skewedName);
		assertThat(pickers).as("schedulers that picked jobs").isNotEmpty().doesNotContain(skewedName);
		assertAppliedOnce(run[0], csv);
		// Its events reach the company's webhook receiver from the normal node only: one signed by the skewed node would
		// carry a timestamp five minutes ahead, which receivers refuse.
		awaitDeliveries(PEOPLE, Duration.ofMinutes(3));
		long offTime = this.deliveries.values().stream().filter(d -> Math.abs(d[0] - d[1]) > 30).count();
		System.out.printf("skew: %d events delivered, %d of them with a timestamp more than 30 s off%n",
				this.deliveries.size(), offTime);
		assertThat(offTime).as("deliveries signed with the skewed node's time").isZero();
		assertThat(logLines(this.skewed, "takes no jobs and reports itself not ready")).as("told once, not each check")
			.isOne();

		// The normal node stops: the skewed one is the only node left. A change made through its API is committed, but
		// its event waits rather than leave signed with a time five minutes ahead.
		this.normalProcess.destroy();
		this.normalProcess.waitFor();
		int deliveredBefore = this.deliveries.size();
		HttpResponse<String> person = this.skewed.post("skew.localhost", "/api/v1/people", run[0].key(),
				"{\"email\":\"held@skew.test\",\"lastName\":\"Held\"}");
		assertThat(person.statusCode()).as(person.body()).isEqualTo(201);
		Thread.sleep(5_000);
		assertThat(this.deliveries.size()).as("events delivered by the skewed node").isEqualTo(deliveredBefore);

		// Its clock set right while it runs: it is ready again by itself, delivers what waited, and takes work.
		Files.writeString(this.fakeTime, "+0\n");
		long corrected = System.nanoTime();
		HttpResponse<String> ready = awaitReadiness(this.skewed, this.skewedProcess, 200, Duration.ofSeconds(30));
		System.out.printf("skew: ready %d ms after its clock was set right: %s%n",
				Duration.ofNanos(System.nanoTime() - corrected).toMillis(), ready.body());
		assertThat(Math.abs(offsetMillis(ready))).isLessThan(5_000L);
		awaitDeliveries(deliveredBefore + 1, Duration.ofSeconds(30));
		assertThat(this.deliveries.values().stream().filter(d -> Math.abs(d[0] - d[1]) > 30).count())
			.as("deliveries signed with a time more than 30 s off")
			.isZero();
		Map<String, String> more = people("after", 50);
		Started[] after = new Started[1];
		Set<String> pickersAfter = pickersWhile(() -> {
			after[0] = startSync(this.skewed, "after", more);
			awaitFinished(after[0].id(), Duration.ofMinutes(1));
		});
		assertThat(pickersAfter).as("schedulers that picked jobs once its clock was right").contains(skewedName);
		assertAppliedOnce(after[0], more);
	}

	/** The schedulers seen picking a job while {@code action} ran. */
	private Set<String> pickersWhile(Action action) throws Exception {
		Set<String> pickers = java.util.concurrent.ConcurrentHashMap.newKeySet();
		AtomicBoolean watching = new AtomicBoolean(true);
		Thread watcher = Thread.ofPlatform().start(() -> watchPickers(pickers, watching));
		try {
			action.run();
		}
		finally {
			watching.set(false);
			watcher.join();
		}
		return pickers;
	}

	private interface Action {

		void run() throws Exception;

	}

	/** Each person once, created once (one person.created event each), and no plan item failed. */
	private void assertAppliedOnce(Started run, Map<String, String> csv) throws Exception {
		try (Connection db = connect()) {
			assertThat(stringOf(db, "select status from sync_run where id = ?", run.id())).isEqualTo("succeeded");
			assertThat(longOf(db, "select count(*) from sync_plan_item where run_id = ? and apply_error is not null",
					run.id()))
				.as("plan items failed (a second application fails on the people the first made)")
				.isZero();
			assertThat(longOf(db, "select count(*) from person where company_id = ? and role <> 'owner'",
					run.companyId()))
				.isEqualTo(csv.size());
			assertThat(longOf(db, "select count(distinct lower(email)) from person where company_id = ?",
					run.companyId()))
				.isEqualTo(csv.size() + 1);
			assertThat(longOf(db, "select count(*) from domain_event where company_id = ? and type = 'person.created'",
					run.companyId()))
				.isEqualTo(csv.size() + 1); // and the owner's
			assertThat(longOf(db, "select count(*) from person_identity where company_id = ? and source = 'csv'",
					run.companyId()))
				.isEqualTo(csv.size());
		}
	}

	private void watchPickers(Set<String> pickers, AtomicBoolean watching) {
		try (Connection db = connect();
				PreparedStatement select = db
					.prepareStatement("select distinct picked_by from scheduled_tasks where picked")) {
			while (watching.get()) {
				try (ResultSet rows = select.executeQuery()) {
					while (rows.next()) {
						pickers.add(rows.getString(1));
					}
				}
				Thread.sleep(50);
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static HttpResponse<String> awaitReadiness(JarNode node, Process process, int status, Duration within)
			throws Exception {
		long deadline = System.nanoTime() + within.toNanos();
		HttpResponse<String> last = null;
		while (System.nanoTime() < deadline) {
			assertThat(process.isAlive()).as("Rollcall exited; see %s", node.dataDir().resolve("rollcall.log"))
				.isTrue();
			try {
				last = node.get("localhost", "/actuator/health/readiness", null);
				// Started (its readiness state UP): only the clock's check may hold it out.
				if (last.statusCode() == status && last.body().contains("clockCheck")
						&& last.body().contains("\"readinessState\":{\"status\":\"UP\"}")) {
					return last;
				}
			}
			catch (java.io.IOException ex) {
				// not listening yet
			}
			Thread.sleep(200);
		}
		throw new AssertionError("readiness not " + status + " within " + within + "; last "
				+ (last == null ? "no answer" : last.statusCode() + " " + last.body()));
	}

	private static long offsetMillis(HttpResponse<String> readiness) {
		Matcher offset = OFFSET.matcher(readiness.body());
		assertThat(offset.find()).as(readiness.body()).isTrue();
		return Long.parseLong(offset.group(1));
	}

	private static long logLines(JarNode node, String text) throws Exception {
		return Files.readAllLines(node.dataDir().resolve("rollcall.log"))
			.stream()
			.filter(l -> l.contains(text))
			.count();
	}

	private static Map<String, String> people(String slug, int count) {
		Map<String, String> people = new java.util.HashMap<>();
		for (int i = 0; i < count; i++) {
			people.put("p" + i + "@" + slug + ".test",
					"First" + i + ",Last" + i + ",Title " + (i % 37) + ",Team " + (i % 20));
		}
		return people;
	}

	/** A company with a webhook endpoint at this test's receiver, and a CSV sync of {@code people} started. */
	private Started startSync(JarNode node, String slug, Map<String, String> people) throws Exception {
		HttpResponse<String> created = node.post("localhost", "/api/v1/companies", "Bearer " + OPERATOR_TOKEN,
				"{\"slug\":\"" + slug + "\",\"name\":\"" + slug + "\",\"ownerEmail\":\"owner@" + slug + ".test\"}");
		assertThat(created.statusCode()).as(created.body()).isBetween(200, 299);
		JsonNode company = JSON.readTree(created.body());
		String key = "Bearer " + company.path("apiKey").path("secret").asString();
		HttpResponse<String> endpoint = node.post(slug + ".localhost", "/api/v1/webhook-endpoints", key,
				"{\"url\":\"http://127.0.0.1:" + this.receiver.getAddress().getPort()
						+ "/events\",\"eventTypes\":[\"person.*\"]}");
		assertThat(endpoint.statusCode()).as(endpoint.body()).isEqualTo(201);
		StringBuilder csv = new StringBuilder("email,first name,last name,job title,team\n");
		people.forEach((email, fields) -> csv.append(email).append(',').append(fields).append('\n'));
		HttpResponse<String> upload = node.send("POST", slug + ".localhost", "/api/v1/integrations/csv/uploads", key,
				"text/csv", csv.toString());
		assertThat(upload.statusCode()).as(upload.body()).isBetween(200, 299);
		HttpResponse<String> sync = node.post(slug + ".localhost", "/api/v1/integrations/csv/sync-runs", key,
				"{\"uploadId\":\"" + JSON.readTree(upload.body()).path("id").asString() + "\"}");
		assertThat(sync.statusCode()).as(sync.body()).isBetween(200, 299);
		return new Started(UUID.fromString(company.path("company").path("id").asString()),
				UUID.fromString(JSON.readTree(sync.body()).path("id").asString()), key);
	}

	/** Until at least {@code count} events arrived and none came for two seconds. */
	private void awaitDeliveries(int count, Duration within) throws Exception {
		long deadline = System.nanoTime() + within.toNanos();
		int seen = -1;
		while (System.nanoTime() < deadline) {
			int now = this.deliveries.size();
			if (now >= count && now == seen) {
				return;
			}
			seen = now;
			Thread.sleep(2_000);
		}
		throw new AssertionError(
				"only " + this.deliveries.size() + " of " + count + " events delivered within " + within);
	}

	private void awaitFinished(UUID runId, Duration within) throws Exception {
		long deadline = System.nanoTime() + within.toNanos();
		String status = null;
		while (System.nanoTime() < deadline) {
			try (Connection db = connect()) {
				status = stringOf(db, "select status from sync_run where id = ?", runId);
			}
			if (Set.of("succeeded", "failed", "superseded", "discarded").contains(status)) {
				return;
			}
			Thread.sleep(200);
		}
		throw new AssertionError("run " + runId + " not finished within " + within + "; last " + status);
	}

	/** As {@code JobScheduler.nodeName()} names the node in {@code scheduled_tasks.picked_by}. */
	private static String schedulerName(Process process) {
		return new com.github.kagkarlsson.scheduler.SchedulerName.Hostname().getName() + "/" + process.pid();
	}

	private Connection connect() throws java.sql.SQLException {
		return DriverManager.getConnection(this.postgres.getJdbcUrl("postgres", "postgres"));
	}

	private static long longOf(Connection db, String sql, Object parameter) throws java.sql.SQLException {
		try (PreparedStatement select = db.prepareStatement(sql)) {
			select.setObject(1, parameter);
			try (ResultSet row = select.executeQuery()) {
				row.next();
				return row.getLong(1);
			}
		}
	}

	private static String stringOf(Connection db, String sql, Object parameter) throws java.sql.SQLException {
		try (PreparedStatement select = db.prepareStatement(sql)) {
			select.setObject(1, parameter);
			try (ResultSet row = select.executeQuery()) {
				return row.next() ? row.getString(1) : null;
			}
		}
	}

	/** A run, its company and the company's API key ("Bearer ..."). */
	private record Started(UUID companyId, UUID id, String key) {
	}

}
