package io.rollcall;

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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.rollcall.support.TempDirs;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the packaged {@code rollcall.jar} as a newcomer would, with a fresh data directory: it becomes healthy,
 * keeps its data over a restart, and loses no acknowledged write when killed with -9 in the middle of writing.
 */
class DurabilityIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String OPERATOR_TOKEN = "durability-operator-token";

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final List<Process> started = new ArrayList<>();

	private Path dataDir;

	private int port;

	@AfterEach
	void stop() throws Exception {
		for (Process process : this.started) {
			process.destroy();
			process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
		}
		// A run that failed midway may leave the bundled PostgreSQL of a killed Rollcall behind.
		Path pid = this.dataDir == null ? null : this.dataDir.resolve("postgres/postmaster.pid");
		if (pid != null && Files.exists(pid)) {
			ProcessHandle.of(Long.parseLong(Files.readAllLines(pid).getFirst().trim())).ifPresent(ProcessHandle::destroy);
		}
	}

	@Test
	void jarWhenKilledDuringWritesThenEveryAcknowledgedWriteSurvivesTheRestart() throws Exception {
		this.dataDir = TempDirs.create("rollcall-durability-");
		this.port = freePort();
		Process first = start();
		long healthyAfter = awaitHealthy(first);
		System.out.printf("rollcall.jar healthy %d ms after start with a fresh data directory%n", healthyAfter);
		assertThat(healthyAfter).isLessThan(60_000);

		JsonNode company = JSON.readTree(post("localhost", "/api/v1/companies", "Bearer " + OPERATOR_TOKEN,
				"{\"slug\":\"durable\",\"name\":\"Durable\",\"ownerEmail\":\"owner@durable.test\"}").body());
		String key = company.path("apiKey").path("secret").asString();
		List<String> acknowledged = new CopyOnWriteArrayList<>();
		AtomicBoolean writing = new AtomicBoolean(true);
		Thread writer = Thread.ofPlatform().start(() -> {
			for (int i = 0; writing.get(); i++) {
				String email = "p" + i + "@durable.test";
				try {
					if (post("durable.localhost", "/api/v1/people", "Bearer " + key,
							"{\"email\":\"" + email + "\",\"lastName\":\"P" + i + "\"}").statusCode() == 201) {
						acknowledged.add(email);
					}
				}
				catch (Exception ex) {
					return; // the server is gone
				}
			}
		});
		while (acknowledged.size() < 40) {
			Thread.sleep(20);
		}

		first.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful anything
		first.waitFor();
		writing.set(false);
		writer.join(10_000);

		Process second = start();
		awaitHealthy(second);
		Set<String> stored = allEmails(key);
		assertThat(stored).containsAll(acknowledged);
		assertThat(stored).contains("owner@durable.test");
		System.out.printf("%d acknowledged writes before kill -9, all %d found after restart%n", acknowledged.size(),
				stored.size() - 1);
	}

	@Test
	void syncWhenKilledMidApplyThenResumedAfterRestartAndConverges() throws Exception {
		this.dataDir = TempDirs.create("rollcall-durability-");
		this.port = freePort();
		Process first = start();
		awaitHealthy(first);
		JsonNode company = JSON.readTree(post("localhost", "/api/v1/companies", "Bearer " + OPERATOR_TOKEN,
				"{\"slug\":\"durable\",\"name\":\"Durable\",\"ownerEmail\":\"owner@durable.test\"}").body());
		String key = "Bearer " + company.path("apiKey").path("secret").asString();
		int people = 20_000;
		StringBuilder csv = new StringBuilder("email,first name,team,manager email\n");
		for (int i = 0; i < people; i++) {
			csv.append("p").append(i).append("@durable.test,P").append(i).append(",Team ").append(i % 20).append(',')
				.append(i >= 20 ? "p" + (i - 20) + "@durable.test" : "").append('\n');
		}
		HttpResponse<String> upload = this.http.send(HttpRequest.newBuilder(
				URI.create("http://127.0.0.1:" + this.port + "/api/v1/integrations/csv/uploads"))
			.header("Host", "durable.localhost")
			.header("Authorization", key)
			.header("Content-Type", "text/csv")
			.POST(HttpRequest.BodyPublishers.ofString(csv.toString()))
			.build(), HttpResponse.BodyHandlers.ofString());
		String uploadId = JSON.readTree(upload.body()).path("id").asString();
		String runId = JSON.readTree(post("durable.localhost", "/api/v1/integrations/csv/sync-runs", key,
				"{\"uploadId\":\"" + uploadId + "\"}").body()).path("id").asString();
		JsonNode run;
		do {
			Thread.sleep(20);
			run = JSON.readTree(get("durable.localhost", "/api/v1/sync-runs/" + runId, key).body());
		}
		while (!(run.path("status").asString().equals("applying") && run.path("done").asInt() > 2000)
				&& !run.path("status").asString().equals("succeeded"));
		assertThat(run.path("status").asString()).as("killed mid-apply, not after").isEqualTo("applying");
		int killedAt = run.path("done").asInt();

		first.destroyForcibly();
		first.waitFor();
		Process second = start();
		awaitHealthy(second);
		long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		do {
			Thread.sleep(250);
			run = JSON.readTree(get("durable.localhost", "/api/v1/sync-runs/" + runId, key).body());
		}
		while (!run.path("status").asString().equals("succeeded") && System.nanoTime() < deadline);

		assertThat(run.path("status").asString()).isEqualTo("succeeded");
		assertThat(run.path("done").asInt()).isEqualTo(run.path("total").asInt());
		Set<String> stored = allEmails(key.substring("Bearer ".length()));
		assertThat(stored).hasSize(people + 1);
		JsonNode last = JSON.readTree(get("durable.localhost", "/api/v1/people?q=p19999@durable.test", key).body())
			.path("items").get(0);
		JsonNode manager = JSON.readTree(get("durable.localhost", "/api/v1/people?q=p19979@durable.test", key).body())
			.path("items").get(0);
		assertThat(last.path("overrideManagerId").asString()).isEqualTo(manager.path("id").asString());
		System.out.printf("sync of %d people killed with %d of %d items applied; resumed and finished after restart%n",
				people, killedAt, run.path("total").asInt());
	}

	private Set<String> allEmails(String key) throws Exception {
		Set<String> emails = new HashSet<>();
		String cursor = null;
		do {
			HttpResponse<String> response = get("durable.localhost",
					"/api/v1/people?limit=200" + (cursor == null ? "" : "&cursor=" + cursor), "Bearer " + key);
			assertThat(response.statusCode()).isEqualTo(200);
			JsonNode page = JSON.readTree(response.body());
			page.path("items").forEach(p -> emails.add(p.path("email").asString()));
			cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asString();
		}
		while (cursor != null);
		return emails;
	}

	private Process start() throws IOException {
		Path jar = Path.of(System.getProperty("rollcall.jar", "target/rollcall.jar")).toAbsolutePath();
		assertThat(jar).exists();
		String java = ProcessHandle.current().info().command().orElse("java");
		ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.dataDir.resolve("rollcall.log").toFile()));
		builder.environment().put("ROLLCALL_DATA_DIR", this.dataDir.toString());
		builder.environment().put("ROLLCALL_OPERATOR_TOKEN", OPERATOR_TOKEN);
		builder.environment().put("PORT", String.valueOf(this.port));
		builder.environment().put("ROLLCALL_SMTP_PORT", String.valueOf(freePort()));
		Process process = builder.start();
		this.started.add(process);
		return process;
	}

	private long awaitHealthy(Process process) throws Exception {
		long start = System.nanoTime();
		while (System.nanoTime() - start < Duration.ofSeconds(90).toNanos()) {
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
		throw new AssertionError("Rollcall was not healthy within 90 s; see " + this.dataDir.resolve("rollcall.log"));
	}

	private HttpResponse<String> post(String host, String path, String authorization, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Host", host)
			.header("Authorization", authorization)
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String host, String path, String authorization) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Host", host)
			.timeout(Duration.ofSeconds(30));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return this.http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
