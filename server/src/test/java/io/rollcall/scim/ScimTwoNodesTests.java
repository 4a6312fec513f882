package io.rollcall.scim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.rollcall.support.Eventually;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.SecondNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several nodes on one database answer SCIM as one: a token revoked or SCIM turned off through one node is refused
 * by the others at once (though they remember tokens and settings for a second), and a company's request rate is
 * counted over all of them. This node changes things; nodes B and C, with a rate limit of {@link #LIMIT}, answer.
 */
class ScimTwoNodesTests extends IntegrationTest {

	static final int LIMIT = 20;

	/** Well under the second tokens and settings are remembered: a refusal this soon can only come of a notice. */
	static final Duration AT_ONCE = Duration.ofMillis(200);

	private static SecondNode b;

	private static SecondNode c;

	@Autowired
	private DataSource dataSource;

	@BeforeEach
	void nodes() {
		if (b == null) {
			b = startSecondNode(this.dataSource, "--rollcall.scim.requests-per-second=" + LIMIT);
			c = startSecondNode(this.dataSource, "--rollcall.scim.requests-per-second=" + LIMIT);
		}
	}

	@AfterAll
	static void stopNodes() {
		for (SecondNode node : new SecondNode[] { b, c }) {
			if (node != null) {
				node.close();
			}
		}
		b = null;
		c = null;
	}

	@Test
	void revokeWhenTokenJustUsedOnAnotherNodeThenThatNodeRefusesItAtOnce() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		String tokenId = scim.api("GET", "/api/v1/integrations/scim/tokens").json().get(0).path("id").asString();
		long used = System.nanoTime();
		assertThat(users(b.client(), scim).status()).as("B remembers the token now").isEqualTo(200);
		assertThat(scim.api("DELETE", "/api/v1/integrations/scim/tokens/" + tokenId).status()).isEqualTo(204);
		Eventually.await(AT_ONCE, () -> users(b.client(), scim).status() == 401);
		assertThat(Duration.ofNanos(System.nanoTime() - used)).as("refused before B's memory of it ran out")
			.isLessThan(Duration.ofSeconds(1));
		assertThat(users(c.client(), scim).status()).isEqualTo(401);
	}

	@Test
	void scimTurnedOffWhenJustUsedOnAnotherNodeThenThatNodeRefusesAtOnce() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		long used = System.nanoTime();
		assertThat(users(b.client(), scim).status()).as("B remembers the settings now").isEqualTo(200);
		assertThat(scim.client.api(scim.company, "PUT", "/api/v1/integrations/scim", Map.of("enabled", false))
			.status()).isEqualTo(200);
		Eventually.await(AT_ONCE, () -> users(b.client(), scim).status() == 403);
		assertThat(Duration.ofNanos(System.nanoTime() - used)).as("refused before B's memory of it ran out")
			.isLessThan(Duration.ofSeconds(1));
	}

	@Test
	void rateLimitWhenRequestsSpreadOverTwoNodesInOneSecondThenTheCompanyGetsItsLimitInAll() throws Exception {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		List<RollcallClient> nodes = List.of(b.client(), c.client());
		nodes.forEach(node -> assertThat(users(node, scim).status()).as("warmed up").isEqualTo(200));
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			// A burst that straddles two seconds may rightly get two seconds' worth: tried again until one fits.
			for (int attempt = 1;; attempt++) {
				long second = waitForTheStartOfASecond();
				List<CompletableFuture<Response>> sent = new ArrayList<>();
				for (int request = 0; request < 3 * LIMIT; request++) {
					RollcallClient node = nodes.get(request % 2);
					sent.add(CompletableFuture.supplyAsync(() -> users(node, scim), pool));
				}
				CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
				if (System.currentTimeMillis() / 1000 != second) {
					assertThat(attempt).as("a burst of " + 3 * LIMIT + " requests within one second").isLessThan(5);
					continue;
				}
				List<Response> answers = sent.stream().map(CompletableFuture::join).toList();
				assertThat(answers).extracting(Response::status).containsOnly(200, 429);
				long admitted = answers.stream().filter(answer -> answer.status() == 200).count();
				assertThat(admitted).as("each node alone would admit " + LIMIT).isLessThanOrEqualTo(LIMIT);
				assertThat(admitted).isPositive();
				for (Response answer : answers) {
					assertThat(answer.header("RateLimit-Policy")).isEqualTo("\"company\";q=" + LIMIT + ";w=1");
					if (answer.status() == 429) {
						// Under a second is left of it, rounded up: the draft's t and Retry-After agree.
						assertThat(answer.header("Retry-After")).isEqualTo("1");
						assertThat(answer.header("RateLimit")).isEqualTo("\"company\";r=0;t=1");
						assertThat(answer.json().path("detail").asString()).startsWith("More than " + LIMIT + " SCIM");
						assertThat(answer.json().has("scimType")).isFalse();
					}
					else {
						assertThat(answer.header("RateLimit")).matches("\"company\";r=\\d+;t=1");
					}
				}
				break;
			}
		}
		finally {
			pool.shutdown();
		}
		// The next second has a budget again.
		Eventually.await(Duration.ofSeconds(3), () -> users(b.client(), scim).status() == 200);
	}

	private static Response users(RollcallClient node, ScimTestClient scim) {
		return node.send("GET", scim.company.slug() + ".localhost", "/scim/v2/Users?count=1", "Bearer " + scim.token,
				null);
	}

	private static long waitForTheStartOfASecond() throws InterruptedException {
		long now = System.currentTimeMillis();
		Thread.sleep(1000 - now % 1000 + 5);
		return System.currentTimeMillis() / 1000;
	}

}
