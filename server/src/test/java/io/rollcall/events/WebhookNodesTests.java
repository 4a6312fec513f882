package io.rollcall.events;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.rollcall.platform.SecretBox;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** Two nodes' dispatchers on one database: each event reaches the endpoint once, whichever node sends it. */
class WebhookNodesTests extends WebhookTesting {

	@Autowired
	private WebhookEndpointStore endpoints;

	@Autowired
	private WebhookDeliveries deliveries;

	@Autowired
	private WebhookSender sender;

	@Autowired
	private WebhookSettings settings;

	@Autowired
	private WebhookAlarm alarm;

	@Autowired
	private EventFeed feed;

	@Autowired
	private Sequencer sequencer;

	@Autowired
	private SecretBox secrets;

	@Autowired
	private ObjectMapper json;

	@Autowired
	private Clock clock;

	@Autowired
	private TransactionTemplate transactions;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private io.rollcall.platform.ClockCheck clockCheck;

	@Test
	void deliveryWhenTwoNodesAreWokenByTheSameEventsThenEachEventIsSentOnceAndInOrderPerSubject() throws Exception {
		// A second node: its own dispatcher with its own node id, over the same database, woken by the same commits.
		WebhookDispatcher secondNode = new WebhookDispatcher(this.endpoints, this.deliveries, this.sender,
				this.settings,
				this.alarm, this.feed, this.sequencer, this.secrets, this.json, this.clock, this.transactions,
				this.meters,
				java.util.List.of(), this.clockCheck);
		secondNode.start();
		try (ScriptedReceiver receiver = new ScriptedReceiver(request -> new ScriptedReceiver.Answer(204, null, 5))) {
			Endpoint endpoint = endpoint(receiver.url("/nodes"), "person.*");
			List<String> people = new java.util.ArrayList<>();
			for (int i = 0; i < 15; i++) {
				String id = person("p" + i + "@x.test");
				rename(id, "Title " + i);
				people.add(id);
			}
			await("every event delivered", Duration.ofSeconds(20), () -> receiver.received().size() >= 30);
			Thread.sleep(500);

			List<ScriptedReceiver.Received> received = receiver.received();
			Map<String, Long> copies = received.stream()
				.collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
			assertThat(copies).hasSize(30);
			assertThat(copies.values()).containsOnly(1L);
			for (String person : people) {
				assertThat(received.stream()
					.filter(r -> r.event().path("subjectId").asString().equals(person))
					.map(r -> r.event().path("type").asString())
					.toList()).containsExactly("person.created", "person.updated");
			}
			assertThat(deliveries(endpoint)).extracting(d -> d.path("status").asString()).containsOnly("delivered");
		}
		finally {
			secondNode.stop();
		}
	}

	/**
	 * Spring's test context cache pauses a context no test uses (stopping its lifecycles) and starts it again when
	 * one does; an operator's restart of the lifecycle does the same. The dispatcher must deliver after it.
	 */
	@Test
	void deliveryWhenDispatcherStoppedAndStartedAgainThenItDeliversAgain() throws Exception {
		this.dispatcher.stop();
		this.dispatcher.start();
		try (ScriptedReceiver receiver = new ScriptedReceiver(request -> new ScriptedReceiver.Answer(204, null, 0))) {
			endpoint(receiver.url("/restarted"), "person.*");
			String id = person("restarted@x.test");
			await("the delivery after the restart", Duration.ofSeconds(10), () -> receiver.received().size() >= 1);
			assertThat(receiver.received().getFirst().event().path("subjectId").asString()).isEqualTo(id);
		}
	}

}
