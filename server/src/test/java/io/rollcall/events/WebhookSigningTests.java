package io.rollcall.events;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.rollcall.support.RollcallClient.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deliveries checked by an independent implementation of Standard Webhooks: the {@code standardwebhooks} npm package
 * in a Node receiver, which answers 204 only to what it verified.
 */
class WebhookSigningTests extends WebhookTesting {

	private static StandardWebhooksReceiver receiver;

	@BeforeAll
	static void startReceiver() throws Exception {
		receiver = StandardWebhooksReceiver.start();
	}

	@AfterAll
	static void stopReceiver() {
		receiver.close();
	}

	@Test
	void deliveryWhenPeopleChangeThenIndependentLibraryVerifiesEveryDeliveryAndRejectsTamperedOnes() throws Exception {
		String path = "/all-" + this.company.slug();
		Endpoint endpoint = endpoint(receiver.url(path));
		receiver.accept(path, Map.of("current", endpoint.secret()));
		String start = EventTestSupport.cursorAfterEverything(this.jdbc);

		String ana = person("ana@x.test");
		person("ben@x.test");
		rename(ana, "Engineer");

		Set<String> expected = new java.util.HashSet<>();
		await("the feed to have the changes", Duration.ofSeconds(10), quietly(() -> {
			expected.clear();
			this.client.api(this.company, "GET", "/api/v1/events?after=" + start)
				.json()
				.path("items")
				.forEach(e -> expected.add(e.path("id").asString()));
			return expected.size() >= 3;
		}));
		await("every event to be accepted", Duration.ofSeconds(15),
				quietly(() -> receiver.accepted(path).size() >= expected.size()));
		List<JsonNode> accepted = receiver.accepted(path);
		assertThat(
				accepted.stream().map(a -> a.path("headers").path("webhook-id").asString()).collect(Collectors.toSet()))
			.isEqualTo(expected);
		assertThat(receiver.rejected(path)).isEmpty();
		for (JsonNode delivery : accepted) {
			assertThat(delivery.path("event").path("id").asString())
				.isEqualTo(delivery.path("headers").path("webhook-id").asString());
			assertThat(delivery.path("event").has("cursor")).isFalse();
			assertThat(delivery.path("event").path("companyId").asString()).isEqualTo(this.company.id().toString());
		}
		assertThat(deliveries(endpoint)).allSatisfy(d -> {
			assertThat(d.path("status").asString()).isEqualTo("delivered");
			assertThat(d.path("httpStatus").asInt()).isEqualTo(204);
		});

		// The same delivery, as a forger would alter it: the library refuses each, and still takes the original.
		JsonNode original = accepted.getFirst();
		Map<String, String> headers = new HashMap<>();
		original.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asString()));
		String body = original.path("body").asString();
		assertThat(receiver.post(path, headers, body.replace("ana", "eve").replace("ben", "eve"))).isEqualTo(400);
		Map<String, String> forged = new HashMap<>(headers);
		forged.put("webhook-signature", "v1," + java.util.Base64.getEncoder().encodeToString(new byte[32]));
		assertThat(receiver.post(path, forged, body)).isEqualTo(400);
		Map<String, String> otherId = new HashMap<>(headers);
		otherId.put("webhook-id", "evt_999999999");
		assertThat(receiver.post(path, otherId, body)).isEqualTo(400);
		assertThat(receiver.rejected(path)).hasSize(3);
		assertThat(receiver.post(path, headers, body)).isEqualTo(204);
	}

	@Test
	void rotationWhenWithinWindowThenSignedWithBothSecretsAndAfterItOnlyWithTheNew() throws Exception {
		String path = "/rotation-" + this.company.slug();
		Endpoint endpoint = endpoint(receiver.url(path), "person.created");
		Response rotated = this.client.api(this.company, "POST",
				"/api/v1/webhook-endpoints/" + endpoint.id() + "/secret-rotation", Map.of("windowHours", 24));
		assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
		String newSecret = rotated.json().path("secret").asString();
		assertThat(newSecret).startsWith("whsec_").isNotEqualTo(endpoint.secret());
		assertThat(rotated.json().path("endpoint").path("previousSecretValidUntil").asString()).isNotEmpty();
		receiver.accept(path, Map.of("old", endpoint.secret(), "new", newSecret));

		person("during@x.test");
		await("the delivery in the window", Duration.ofSeconds(10), quietly(() -> receiver.accepted(path).size() == 1));
		JsonNode during = receiver.accepted(path).getFirst();
		assertThat(during.path("verifiedBy").valueStream().map(JsonNode::asString).toList())
			.containsExactlyInAnyOrder("old", "new");
		assertThat(during.path("headers").path("webhook-signature").asString().split(" ")).hasSize(2);

		advance(Duration.ofHours(25));
		person("after@x.test");
		await("the delivery after the window", Duration.ofSeconds(10),
				quietly(() -> receiver.accepted(path).size() == 2));
		JsonNode after = receiver.accepted(path).get(1);
		assertThat(after.path("verifiedBy").valueStream().map(JsonNode::asString).toList()).containsExactly("new");
		assertThat(after.path("headers").path("webhook-signature").asString().split(" ")).hasSize(1);
		assertThat(receiver.rejected(path)).isEmpty();
	}

	@Test
	void testEventWhenSentThenReceiverVerifiesItAndItIsListedWithTheDeliveries() throws Exception {
		String path = "/test-" + this.company.slug();
		Endpoint endpoint = endpoint(receiver.url(path), "team.*");
		receiver.accept(path, Map.of("current", endpoint.secret()));

		Response sent = this.client.api(this.company, "POST", "/api/v1/webhook-endpoints/" + endpoint.id() + "/test");

		assertThat(sent.status()).as(sent.body()).isEqualTo(200);
		assertThat(sent.json().path("status").asString()).isEqualTo("delivered");
		assertThat(sent.json().path("httpStatus").asInt()).isEqualTo(204);
		assertThat(sent.json().path("eventType").asString()).isEqualTo("webhook.test");
		List<JsonNode> accepted = receiver.accepted(path);
		assertThat(accepted).hasSize(1);
		assertThat(accepted.getFirst().path("event").path("type").asString()).isEqualTo("webhook.test");
		assertThat(accepted.getFirst().path("headers").path("webhook-id").asString())
			.isEqualTo(sent.json().path("eventId").asString());
		assertThat(deliveries(endpoint)).extracting(d -> d.path("id").asLong())
			.containsExactly(sent.json().path("id").asLong());
	}

}
