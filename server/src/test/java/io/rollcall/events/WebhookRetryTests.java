package io.rollcall.events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.rollcall.support.Mails;
import io.rollcall.support.RollcallClient.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Deliveries that fail: retried with back-off (the clock moved by the test), in order per subject, or given up. */
class WebhookRetryTests extends WebhookTesting {

	@Test
	void deliveryWhenReceiverFailsThenRetriedWithGrowingJitteredDelaysWhileOtherSubjectsGoOnAndOrderIsKept()
			throws Exception {
		AtomicBoolean failing = new AtomicBoolean(true);
		List<String> anaDelivered = new java.util.concurrent.CopyOnWriteArrayList<>();
		String[] ana = new String[1];
		try (ScriptedReceiver receiver = new ScriptedReceiver(request -> {
			JsonNode event = request.event();
			boolean anas = event.path("subjectId").asString().equals(ana[0]);
			if (anas && failing.get()) {
				return ScriptedReceiver.Answer.of(503);
			}
			if (anas) {
				anaDelivered.add(event.path("id").asString());
			}
			return ScriptedReceiver.Answer.of(204);
		})) {
			Endpoint endpoint = endpoint(receiver.url("/hook"), "person.*");
			ana[0] = person("ana@x.test");
			await("ana's first attempt", Duration.ofSeconds(10), () -> head(endpoint, ana[0]) != null);
			rename(ana[0], "Engineer");
			rename(ana[0], "Lead engineer");
			String ben = person("ben@x.test");

			// Ben's event is not held back by Ana's failing one; Ana's later events wait for hers.
			await("ben's delivery", Duration.ofSeconds(10), () -> receiver.received()
				.stream()
				.anyMatch(r -> r.event().path("subjectId").asString().equals(ben)));
			await("ana's later events queued", Duration.ofSeconds(10),
					() -> ofSubject(endpoint, ana[0]).stream()
						.filter(d -> d.path("status").asString().equals("queued"))
						.count() == 2);
			assertThat(receiver.received()
				.stream()
				.filter(r -> r.event().path("subjectId").asString().equals(ana[0]))
				.map(r -> r.event().path("type").asString())
				.distinct()
				.toList()).containsExactly("person.created");

			List<Duration> delays = new ArrayList<>();
			for (int failures = 1; failures <= 4; failures++) {
				int expected = failures;
				await("attempt " + failures, Duration.ofSeconds(10),
						() -> head(endpoint, ana[0]) != null
								&& head(endpoint, ana[0]).path("attempts").asInt() == expected);
				JsonNode head = head(endpoint, ana[0]);
				assertThat(head.path("status").asString()).isEqualTo("pending");
				assertThat(head.path("httpStatus").asInt()).isEqualTo(503);
				Duration delay = Duration.between(Instant.parse(head.path("lastAttemptAt").asString()),
						Instant.parse(head.path("nextAttemptAt").asString()));
				Duration step = io.rollcall.platform.RetrySchedule.step(failures);
				assertThat(delay).isBetween(step.dividedBy(2), step);
				delays.add(delay);
				if (failures == 4) {
					failing.set(false);
				}
				advance(delay.plusSeconds(1));
			}
			assertThat(delays).isSortedAccordingTo(Duration::compareTo).doesNotHaveDuplicates();
			// Jitter: the waits are drawn, not the steps themselves.
			assertThat(delays.stream().filter(d -> {
				Duration step = io.rollcall.platform.RetrySchedule.step(delays.indexOf(d) + 1);
				return !d.equals(step) && !d.equals(step.dividedBy(2));
			}).count()).isPositive();

			await("ana's three events delivered", Duration.ofSeconds(15), () -> anaDelivered.size() == 3);
			List<String> feedOrder = new ArrayList<>();
			this.client.api(this.company, "GET", "/api/v1/events?types=person.*&limit=1000")
				.json()
				.path("items")
				.forEach(e -> {
					if (e.path("subjectId").asString().equals(ana[0])) {
						feedOrder.add(e.path("id").asString());
					}
				});
			assertThat(anaDelivered).containsExactlyElementsOf(feedOrder);
			assertThat(ofSubject(endpoint, ana[0]))
				.allSatisfy(d -> assertThat(d.path("status").asString()).isEqualTo("delivered"));
			assertThat(endpointState(endpoint).path("failingSince").isNull()).isTrue();
		}
	}

	@Test
	void deliveryWhenReceiverAnswers410ThenEndpointDisabledAtOnceAndNothingMoreIsSent() throws Exception {
		try (ScriptedReceiver receiver = new ScriptedReceiver(request -> ScriptedReceiver.Answer.of(410))) {
			Endpoint endpoint = endpoint(receiver.url("/gone"));
			person("ana@x.test");
			await("the endpoint disabled", Duration.ofSeconds(10),
					() -> !endpointState(endpoint).path("enabled").asBoolean());
			assertThat(endpointState(endpoint).path("disabledReason").asString()).contains("410");
			int sent = receiver.received().size();
			assertThat(sent).isEqualTo(1);
			await("the e-mail", Duration.ofSeconds(10),
					quietly(() -> Mails.body(Mails.awaitTo(MAIL, this.company.ownerEmail()))
						.contains(receiver.url("/gone"))));

			person("ben@x.test");
			Thread.sleep(1500);
			assertThat(receiver.received()).hasSize(sent);
		}
	}

	@Test
	void deliveryWhenEveryAttemptFailsForFiveDaysThenEndpointDisabledAndAdminsEmailed() throws Exception {
		try (ScriptedReceiver receiver = new ScriptedReceiver(request -> ScriptedReceiver.Answer.of(500))) {
			Endpoint endpoint = endpoint(receiver.url("/down"));
			long mailsBefore = Mails.countTo(MAIL, this.company.ownerEmail());
			String ana = person("ana@x.test");
			await("the first attempt", Duration.ofSeconds(10), () -> head(endpoint, ana) != null);
			assertThat(endpointState(endpoint).path("failingSince").asString()).isNotEmpty();

			advance(Duration.ofDays(2));
			await("the attempt two days on", Duration.ofSeconds(10),
					() -> head(endpoint, ana).path("attempts").asInt() == 2);
			assertThat(endpointState(endpoint).path("enabled").asBoolean()).isTrue();
			assertThat(Mails.countTo(MAIL, this.company.ownerEmail())).isEqualTo(mailsBefore);

			advance(Duration.ofDays(3));
			await("the endpoint disabled", Duration.ofSeconds(10),
					() -> !endpointState(endpoint).path("enabled").asBoolean());
			assertThat(endpointState(endpoint).path("disabledReason").asString()).contains("five days");
			await("the e-mail", Duration.ofSeconds(10),
					quietly(() -> Mails.countTo(MAIL, this.company.ownerEmail()) > mailsBefore));
			String mail = Mails.body(Mails.awaitTo(MAIL, this.company.ownerEmail()));
			assertThat(mail).contains(receiver.url("/down")).contains("five days");
			// Past three days the delivery itself is given up, and shown so.
			assertThat(ofSubject(endpoint, ana).getFirst().path("status").asString()).isEqualTo("failed");
			String metrics = this.client.get("localhost", "/actuator/prometheus", "text/plain",
					"Bearer " + OPERATOR_TOKEN)
				.body();
			assertThat(metrics).contains("rollcall_webhooks_delivery_failures_total",
					"rollcall_webhooks_endpoints_disabled_total",
					"rollcall_webhooks_delivery_lag_seconds");
			assertThat(metric(metrics, "rollcall_webhooks_endpoints_disabled_total")).isPositive();
			assertThat(metric(metrics, "rollcall_webhooks_delivery_failures_total")).isGreaterThanOrEqualTo(3);
		}
	}

	@Test
	void deliveryWhenReceiverRedirectsThenRedirectIsNotFollowedAndCountsAsAFailure() throws Exception {
		try (ScriptedReceiver receiver = new ScriptedReceiver(request -> request.path().equals("/moved")
				? new ScriptedReceiver.Answer(307, "/elsewhere", 0) : ScriptedReceiver.Answer.of(204))) {
			Endpoint endpoint = endpoint(receiver.url("/moved"));
			String ana = person("ana@x.test");
			await("the attempt", Duration.ofSeconds(10), () -> head(endpoint, ana) != null);
			JsonNode delivery = head(endpoint, ana);
			assertThat(delivery.path("status").asString()).isEqualTo("pending");
			assertThat(delivery.path("httpStatus").asInt()).isEqualTo(307);
			assertThat(delivery.path("answer").asString()).contains("not followed");
			assertThat(receiver.received("/elsewhere")).isEmpty();
		}
	}

	@Test
	void deliveryWhenOneEndpointIsSlowThenAnotherEndpointIsNotDelayed() throws Exception {
		try (ScriptedReceiver slow = new ScriptedReceiver(request -> new ScriptedReceiver.Answer(204, null, 8_000));
				ScriptedReceiver fast = new ScriptedReceiver(request -> ScriptedReceiver.Answer.of(204))) {
			endpoint(slow.url("/slow"));
			endpoint(fast.url("/fast"));
			Instant start = Instant.now();
			person("ana@x.test");
			person("ben@x.test");
			person("cy@x.test");
			await("the fast endpoint's deliveries", Duration.ofSeconds(5), () -> fast.received().size() >= 3);
			assertThat(Duration.between(start, fast.received().get(2).at())).isLessThan(Duration.ofSeconds(3));
			// The slow one got its requests meanwhile, and has not answered them yet.
			assertThat(slow.received()).isNotEmpty();
			assertThat(Duration.between(slow.received().getFirst().at(), Instant.now()))
				.isLessThan(Duration.ofSeconds(8));
		}
	}

	@Test
	void replayWhenOneDeliveryIsReplayedThenTheSameEventIsSentAgainWithItsId() throws Exception {
		try (ScriptedReceiver receiver = new ScriptedReceiver(request -> ScriptedReceiver.Answer.of(204))) {
			Endpoint endpoint = endpoint(receiver.url("/replay"), "person.created");
			person("ana@x.test");
			await("the delivery", Duration.ofSeconds(10), () -> receiver.received().size() == 1);
			await("its record", Duration.ofSeconds(10), () -> deliveries(endpoint).size() == 1);
			JsonNode delivery = deliveries(endpoint).getFirst();

			Response replayed = this.client.api(this.company, "POST",
					"/api/v1/webhook-endpoints/" + endpoint.id() + "/deliveries/" + delivery.path("id").asLong()
							+ "/replay");

			assertThat(replayed.status()).as(replayed.body()).isEqualTo(202);
			await("the replay", Duration.ofSeconds(10), () -> receiver.received().size() == 2);
			ScriptedReceiver.Received first = receiver.received().get(0);
			ScriptedReceiver.Received again = receiver.received().get(1);
			assertThat(again.header("webhook-id")).isEqualTo(first.header("webhook-id"))
				.isEqualTo(delivery.path("eventId").asString());
			assertThat(again.body()).isEqualTo(first.body());
			await("both recorded as delivered", Duration.ofSeconds(10), () -> deliveries(endpoint).stream()
				.filter(d -> d.path("status").asString().equals("delivered"))
				.count() == 2);
		}
	}

	@Test
	void replayWhenTimeRangeIsReplayedThenEveryEventOfTheRangeIsSentAgainInOrderPerSubject() throws Exception {
		try (ScriptedReceiver receiver = new ScriptedReceiver(request -> ScriptedReceiver.Answer.of(204))) {
			Endpoint endpoint = endpoint(receiver.url("/range"), "person.*");
			Thread.sleep(50);
			Instant from = Instant.now();
			String ana = person("ana@x.test");
			rename(ana, "Engineer");
			person("ben@x.test");
			await("the deliveries", Duration.ofSeconds(10), () -> receiver.received().size() >= 3);
			Thread.sleep(300);
			int firstRound = receiver.received().size();
			Instant to = Instant.now().plusSeconds(1);

			Response replayed = this.client.api(this.company, "POST",
					"/api/v1/webhook-endpoints/" + endpoint.id() + "/replays",
					Map.of("from", from.toString(), "to", to.toString()));

			assertThat(replayed.status()).as(replayed.body()).isEqualTo(202);
			assertThat(replayed.json().path("count").asInt()).isEqualTo(firstRound);
			await("the replays", Duration.ofSeconds(10), () -> receiver.received().size() == 2 * firstRound);
			List<String> firstIds = receiver.received()
				.subList(0, firstRound)
				.stream()
				.map(r -> r.header("webhook-id"))
				.toList();
			List<String> againIds = receiver.received()
				.subList(firstRound, 2 * firstRound)
				.stream()
				.map(r -> r.header("webhook-id"))
				.toList();
			assertThat(againIds).containsExactlyInAnyOrderElementsOf(firstIds);
			List<String> anaAgain = receiver.received()
				.subList(firstRound, 2 * firstRound)
				.stream()
				.filter(r -> r.event().path("subjectId").asString().equals(ana))
				.map(r -> r.event().path("type").asString())
				.toList();
			assertThat(anaAgain).containsExactly("person.created", "person.updated");
		}
	}

	@Test
	void deliveryWhenEndpointFailsTenTimesInARowThenTheRestOfThePassIsPutOffUntried() throws Exception {
		try (ScriptedReceiver receiver = new ScriptedReceiver(request -> ScriptedReceiver.Answer.of(500))) {
			Endpoint endpoint = endpoint(receiver.url("/dead"), "person.created");
			StringBuilder csv = new StringBuilder("email,first name\n");
			for (int i = 0; i < 300; i++) {
				csv.append("d").append(i).append("@dead.test,D").append(i).append('\n');
			}
			new io.rollcall.support.Syncs(this.client, this.port).importCsv(this.company, csv.toString());
			await("every event recorded", Duration.ofSeconds(30), () -> deliveries(endpoint).size() == 300);

			List<JsonNode> recorded = deliveries(endpoint);
			long untried = recorded.stream().filter(d -> d.path("attempts").asInt() == 0).count();
			assertThat(receiver.received().size()).isLessThan(150);
			assertThat(untried).isEqualTo(300 - receiver.received().size());
			assertThat(recorded).allSatisfy(d -> assertThat(d.path("status").asString()).isEqualTo("pending"));
			assertThat(recorded.stream().filter(d -> d.path("attempts").asInt() == 0))
				.allSatisfy(d -> assertThat(d.path("answer").asString()).startsWith("Not tried"));
		}
	}

	@Test
	void forgetWhenDeliveriesAreOlderThanTheCutoffThenDoneOnesAreDeletedAndWaitingOnesKept() throws Exception {
		AtomicBoolean failing = new AtomicBoolean(false);
		try (ScriptedReceiver receiver = new ScriptedReceiver(
				request -> ScriptedReceiver.Answer.of(failing.get() ? 500 : 204))) {
			Endpoint endpoint = endpoint(receiver.url("/old"), "person.created");
			person("ana@x.test");
			await("the delivery", Duration.ofSeconds(10), () -> deliveries(endpoint).size() == 1);
			failing.set(true);
			person("ben@x.test");
			await("the failed attempt", Duration.ofSeconds(10), () -> deliveries(endpoint).size() == 2);

			this.forgetter.forget(Instant.now().plusSeconds(60));

			assertThat(deliveries(endpoint)).extracting(d -> d.path("status").asString()).containsExactly("pending");
		}
	}

	@org.springframework.beans.factory.annotation.Autowired
	private WebhookDeliveries forgetter;

	private static double metric(String scrape, String name) {
		return scrape.lines()
			.filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
			.mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

	/** The oldest delivery of the subject not yet delivered, or null. */
	private JsonNode head(Endpoint endpoint, String subject) {
		List<JsonNode> waiting = ofSubject(endpoint, subject).stream()
			.filter(d -> !d.path("status").asString().equals("queued"))
			.toList();
		return waiting.isEmpty() ? null : waiting.getFirst();
	}

	/** The subject's deliveries, oldest first. */
	private List<JsonNode> ofSubject(Endpoint endpoint, String subject) {
		List<JsonNode> all = new ArrayList<>(deliveries(endpoint).stream()
			.filter(d -> d.path("subjectId").asString().equals(subject))
			.toList());
		java.util.Collections.reverse(all);
		return all;
	}

}
