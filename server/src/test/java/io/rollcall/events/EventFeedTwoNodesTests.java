package io.rollcall.events;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.SecondNode;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes on one database, both writing through the API and both numbering events: a reader that tails the feed
 * through either node gets every change once, each person's in the order it was made.
 */
class EventFeedTwoNodesTests extends IntegrationTest {

	@Autowired
	private DataSource dataSource;

	@Autowired
	private JdbcClient jdbc;

	@Test
	void feedWhenTwoNodesWriteAtOnceThenAReaderOfEitherGetsEveryChangeOnceInEachPersonsOrder() throws Exception {
		TestCompany company = this.client.createCompany();
		try (SecondNode second = startSecondNode(this.dataSource)) {
			List<RollcallClient> nodes = List.of(this.client, second.client());
			assertThat(second.bean(JdbcClient.class)
				.sql("select count(*) from company where id = :id")
				.param("id", company.id())
				.query(Long.class)
				.single()).as("the second node's database").isEqualTo(1L);
			Response probe = second.client().api(company, "GET", "/api/v1/people");
			assertThat(probe.status()).as(probe.body() + " port " + second.port() + " vs " + this.port).isEqualTo(200);
			String start = EventTestSupport.cursorAfterEverything(this.jdbc);
			int people = 8;
			int changesEach = 25;
			ExecutorService pool = Executors.newFixedThreadPool(people);
			Map<String, Integer> created = new ConcurrentHashMap<>();
			List<CompletableFuture<Void>> writers = new ArrayList<>();
			for (int w = 0; w < people; w++) {
				int writer = w;
				writers.add(CompletableFuture.runAsync(() -> {
					// Each change goes through the other node than the one before.
					Response made = nodes.get(writer % 2)
						.api(company, "POST", "/api/v1/people",
								Map.of("email", "writer" + writer + "@example.com", "jobTitle", "0"));
					assertThat(made.status()).as(made.body()).isEqualTo(201);
					String id = made.json().path("id").asString();
					created.put(id, writer);
					for (int n = 1; n <= changesEach; n++) {
						Response changed = nodes.get((writer + n) % 2)
							.api(company, "PATCH", "/api/v1/people/" + id,
									Map.of("jobTitle", Integer.toString(n)));
						assertThat(changed.status()).as(changed.body()).isEqualTo(200);
					}
				}, pool));
			}

			Map<String, List<String>> titlesBySubject = new ConcurrentHashMap<>();
			List<String> ids = new ArrayList<>();
			String cursor = start;
			int expected = people * (changesEach + 1);
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
			for (int page = 0; ids.size() < expected && System.nanoTime() < deadline; page++) {
				Response answer = nodes.get(page % 2)
					.api(company, "GET",
							"/api/v1/events?types=person.created,person.updated&limit=50&wait=2s&after=" + cursor);
				assertThat(answer.status()).as(answer.body()).isEqualTo(200);
				for (JsonNode event : answer.json().path("items")) {
					ids.add(event.path("id").asString());
					titlesBySubject.computeIfAbsent(event.path("subjectId").asString(), k -> new ArrayList<>())
						.add(event.path("changes").path("jobTitle").path("to").asString());
					// The subject is the person as that change left them.
					assertThat(event.path("subject").path("jobTitle").asString())
						.isEqualTo(event.path("changes").path("jobTitle").path("to").asString());
				}
				cursor = answer.json().path("nextCursor").asString();
			}
			CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
			pool.shutdown();

			assertThat(new HashSet<>(ids)).as("read once each").hasSize(ids.size());
			assertThat(ids).hasSize(expected);
			List<String> inOrder = new ArrayList<>();
			for (int n = 0; n <= changesEach; n++) {
				inOrder.add(Integer.toString(n));
			}
			assertThat(titlesBySubject.keySet()).isEqualTo(created.keySet());
			titlesBySubject.forEach((subject, titles) -> assertThat(titles).as(subject).isEqualTo(inOrder));
			// Nothing more, from either node.
			for (RollcallClient node : nodes) {
				assertThat(
						node.api(company, "GET", "/api/v1/events?types=person.*&after=" + cursor).json().path("items"))
					.isEmpty();
			}
		}
	}

}
