package io.rollcall.events;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rollcall.support.Syncs;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** An import of thousands of people reaches three endpoints whole, in batches, each event once per endpoint. */
class WebhookFanOutTests extends WebhookTesting {

	private static final int PEOPLE = 3_000;

	@Autowired
	private MeterRegistry meters;

	@Test
	void deliveryWhenImportCreatesThousandsThenEveryEndpointGetsEachEventOnceAndEachDeliveryIsRecorded()
			throws Exception {
		try (ScriptedReceiver first = new ScriptedReceiver(request -> ScriptedReceiver.Answer.of(204));
				ScriptedReceiver second = new ScriptedReceiver(request -> ScriptedReceiver.Answer.of(204));
				ScriptedReceiver third = new ScriptedReceiver(request -> ScriptedReceiver.Answer.of(200))) {
			List<ScriptedReceiver> receivers = List.of(first, second, third);
			List<Endpoint> endpoints = receivers.stream().map(r -> endpoint(r.url("/fan"), "person.created")).toList();
			StringBuilder csv = new StringBuilder("email,first name\n");
			for (int i = 0; i < PEOPLE; i++) {
				csv.append("p").append(i).append("@fan.test,P").append(i).append('\n');
			}
			long start = System.nanoTime();
			new Syncs(this.client, this.port).importCsv(this.company, csv.toString());
			await("every endpoint's deliveries", Duration.ofSeconds(90),
					() -> receivers.stream().allMatch(r -> r.received().size() >= PEOPLE));
			long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
			Thread.sleep(500);

			Set<String> firstIds = ids(first);
			assertThat(firstIds).hasSize(PEOPLE);
			for (ScriptedReceiver receiver : receivers) {
				assertThat(receiver.received()).hasSize(PEOPLE);
				assertThat(ids(receiver)).isEqualTo(firstIds);
			}
			for (Endpoint endpoint : endpoints) {
				assertThat(this.jdbc
					.sql("select count(*) from webhook_delivery where endpoint_id = :id and status = 'delivered'")
					.param("id", UUID.fromString(endpoint.id()))
					.query(Long.class)
					.single()).isEqualTo(PEOPLE);
			}
			Timer lag = this.meters.find("rollcall.webhooks.delivery.lag").timer();
			assertThat(lag).isNotNull();
			long span = receivers.stream()
				.mapToLong(r -> Duration.between(r.received().getFirst().at(), r.received().getLast().at()).toMillis())
				.max()
				.orElse(0);
			System.out.printf("%d events to 3 endpoints: import and delivery in %d ms, first to last arrival %d ms; "
					+ "lag from each event's transaction (all tests so far) max %.0f ms, mean %.0f ms%n", PEOPLE,
					millis,
					span, lag.max(java.util.concurrent.TimeUnit.MILLISECONDS),
					lag.mean(java.util.concurrent.TimeUnit.MILLISECONDS));
		}
	}

	private static Set<String> ids(ScriptedReceiver receiver) {
		Set<String> ids = new HashSet<>();
		receiver.received().forEach(r -> ids.add(r.header("webhook-id")));
		return ids;
	}

}
