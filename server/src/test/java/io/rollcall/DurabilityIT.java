package io.rollcall;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.rollcall.support.JarNode;

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

	private JarNode node;

	@AfterEach
	void stop() throws Exception {
		if (this.node != null) {
			this.node.close();
		}
	}

	@Test
	void jarWhenKilledDuringWritesThenEveryAcknowledgedWriteSurvivesTheRestart() throws Exception {
		this.node = new JarNode("rollcall-durability", OPERATOR_TOKEN, Map.of());
		Process first = this.node.start();
		long healthyAfter = this.node.awaitHealthy(first);
		System.out.printf("rollcall.jar healthy %d ms after start with a fresh data directory%n", healthyAfter);
		assertThat(healthyAfter).isLessThan(60_000);

		JsonNode company = JSON.readTree(this.node.post("localhost", "/api/v1/companies", "Bearer " + OPERATOR_TOKEN,
				"{\"slug\":\"durable\",\"name\":\"Durable\",\"ownerEmail\":\"owner@durable.test\"}")
			.body());
		String key = company.path("apiKey").path("secret").asString();
		List<String> acknowledged = new CopyOnWriteArrayList<>();
		AtomicBoolean writing = new AtomicBoolean(true);
		Thread writer = Thread.ofPlatform().start(() -> {
			for (int i = 0; writing.get(); i++) {
				String email = "p" + i + "@durable.test";
				try {
					if (this.node.post("durable.localhost", "/api/v1/people", "Bearer " + key,
							"{\"email\":\"" + email + "\",\"lastName\":\"P" + i + "\"}")
						.statusCode() == 201) {
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

		Process second = this.node.start();
		this.node.awaitHealthy(second);
		Set<String> stored = allEmails(key);
		assertThat(stored).containsAll(acknowledged);
		assertThat(stored).contains("owner@durable.test");
		System.out.printf("%d acknowledged writes before kill -9, all %d found after restart%n", acknowledged.size(),
				stored.size() - 1);
	}

	@Test
	void syncWhenKilledMidApplyThenResumedAfterRestartAndConverges() throws Exception {
		this.node = new JarNode("rollcall-durability", OPERATOR_TOKEN, Map.of());
		Process first = this.node.start();
		this.node.awaitHealthy(first);
		JsonNode company = JSON.readTree(this.node.post("localhost", "/api/v1/companies", "Bearer " + OPERATOR_TOKEN,
				"{\"slug\":\"durable\",\"name\":\"Durable\",\"ownerEmail\":\"owner@durable.test\"}")
			.body());
		String key = "Bearer " + company.path("apiKey").path("secret").asString();
		int people = 20_000;
		StringBuilder csv = new StringBuilder("email,first name,team,manager email\n");
		for (int i = 0; i < people; i++) {
			csv.append("p")
				.append(i)
				.append("@durable.test,P")
				.append(i)
				.append(",Team ")
				.append(i % 20)
				.append(',')
				.append(i >= 20 ? "p" + (i - 20) + "@durable.test" : "")
				.append('\n');
		}
		HttpResponse<String> upload = this.node.send("POST", "durable.localhost", "/api/v1/integrations/csv/uploads",
				key,
				"text/csv", csv.toString());
		String uploadId = JSON.readTree(upload.body()).path("id").asString();
		String runId = JSON.readTree(this.node.post("durable.localhost", "/api/v1/integrations/csv/sync-runs", key,
				"{\"uploadId\":\"" + uploadId + "\"}")
			.body()).path("id").asString();
		JsonNode run;
		do {
			Thread.sleep(20);
			run = JSON.readTree(this.node.get("durable.localhost", "/api/v1/sync-runs/" + runId, key).body());
		}
		while (!(run.path("status").asString().equals("applying") && run.path("done").asInt() > 2000)
				&& !run.path("status").asString().equals("succeeded"));
		assertThat(run.path("status").asString()).as("killed mid-apply, not after").isEqualTo("applying");
		int killedAt = run.path("done").asInt();

		first.destroyForcibly();
		first.waitFor();
		Process second = this.node.start();
		this.node.awaitHealthy(second);
		long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		do {
			Thread.sleep(250);
			run = JSON.readTree(this.node.get("durable.localhost", "/api/v1/sync-runs/" + runId, key).body());
		}
		while (!run.path("status").asString().equals("succeeded") && System.nanoTime() < deadline);

		assertThat(run.path("status").asString()).isEqualTo("succeeded");
		assertThat(run.path("done").asInt()).isEqualTo(run.path("total").asInt());
		Set<String> stored = allEmails(key.substring("Bearer ".length()));
		assertThat(stored).hasSize(people + 1);
		JsonNode last = JSON
			.readTree(this.node.get("durable.localhost", "/api/v1/people?q=p19999@durable.test", key).body())
			.path("items")
			.get(0);
		JsonNode manager = JSON
			.readTree(this.node.get("durable.localhost", "/api/v1/people?q=p19979@durable.test", key).body())
			.path("items")
			.get(0);
		assertThat(last.path("overrideManagerId").asString()).isEqualTo(manager.path("id").asString());
		System.out.printf("sync of %d people killed with %d of %d items applied; resumed and finished after restart%n",
				people, killedAt, run.path("total").asInt());
	}

	private Set<String> allEmails(String key) throws Exception {
		Set<String> emails = new HashSet<>();
		String cursor = null;
		do {
			HttpResponse<String> response = this.node.get("durable.localhost",
					"/api/v1/people?limit=200" + (cursor == null ? "" : "&cursor=" + cursor), "Bearer " + key);
			assertThat(response.statusCode()).isEqualTo(200);
			JsonNode page = JSON.readTree(response.body());
			page.path("items").forEach(p -> emails.add(p.path("email").asString()));
			cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asString();
		}
		while (cursor != null);
		return emails;
	}

}
