package io.rollcall.events;

import java.time.Duration;
import java.util.Map;

import io.rollcall.support.RollcallClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Endpoints at addresses inside the network are refused, when saved and again when delivered to. */
class WebhookAddressTests extends WebhookTesting {

	@Autowired
	private WebhookSettings settings;

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"https://127.0.0.1/hook | loopback",
			"https://10.20.30.40/hook | private",
			"https://192.168.1.1/hook | private",
			"https://169.254.169.254/latest/meta-data/ | link-local",
			"https://[::1]/hook | loopback",
			"https://[fd00::1]/hook | private",
			"https://[::ffff:10.0.0.1]/hook | private",
			"https://224.0.0.1/hook | multicast",
			"https://localhost/hook | loopback",
			"https://0.0.0.0/hook | wildcard",
			"https://host.invalid/hook | does not resolve",
			"http://example.com/hook | must start with https://",
			"ftp://example.com/hook | must start with https://",
			"https://user:pw@example.com/hook | user name" })
	void checkWhenPrivateAddressesNotAllowedThenInternalOrUnresolvableAddressesRefused(String url, String why) {
		assertThatThrownBy(() -> WebhookAddresses.check(url, false)).isInstanceOf(WebhookAddresses.Refused.class)
			.hasMessageContaining(why);
	}

	@Test
	void checkWhenPrivateAddressesAllowedThenLoopbackAndHttpAccepted() throws Exception {
		assertThat(WebhookAddresses.check("http://127.0.0.1:8080/hook", true)).hasHost("127.0.0.1");
		assertThatThrownBy(() -> WebhookAddresses.check("ftp://127.0.0.1/hook", true))
			.isInstanceOf(WebhookAddresses.Refused.class);
	}

	@Test
	void createWhenAddressIsInternalAndNotAllowedThenRefusedWith400NamingTheAddress() {
		this.settings.allowPrivateAddresses(false);
		try {
			for (String url : new String[] { "https://127.0.0.1/hook", "https://10.1.2.3/hook",
					"https://169.254.169.254/latest/meta-data/", "https://[::1]/hook", "https://localhost/hook" }) {
				Response refused = this.client.api(this.company, "POST", "/api/v1/webhook-endpoints",
						Map.of("url", url));
				assertThat(refused.status()).as(url).isEqualTo(400);
				assertThat(refused.body()).as(url).contains("public addresses").doesNotContain("Exception");
			}
			assertThat(this.client.api(this.company, "GET", "/api/v1/webhook-endpoints").json()).isEmpty();
		}
		finally {
			this.settings.allowPrivateAddresses(true);
		}
	}

	@Test
	void deliveryWhenAddressIsNoLongerAllowedThenNotSentAndRecordedWhy() throws Exception {
		try (ScriptedReceiver receiver = new ScriptedReceiver(request -> ScriptedReceiver.Answer.of(204))) {
			// https to the plain receiver would fail anyway; refused, it is not even tried.
			Endpoint endpoint = endpoint(receiver.url("/hook").replace("http:", "https:"));
			this.settings.allowPrivateAddresses(false);
			try {
				person("ana@x.test");
				await("the refused attempt", Duration.ofSeconds(10), () -> !deliveries(endpoint).isEmpty());
			}
			finally {
				this.settings.allowPrivateAddresses(true);
			}
			JsonNode delivery = deliveries(endpoint).getFirst();
			assertThat(delivery.path("status").asString()).isEqualTo("pending");
			assertThat(delivery.path("answer").asString()).contains("Not sent").contains("loopback");
			assertThat(receiver.received()).isEmpty();
		}
	}

	@Autowired
	private WebhookSender sender;

	@Test
	void sendWhenTheNameResolvesToAnInternalAddressAsItConnectsThenNotSent() throws Exception {
		// The connection's own lookup is checked too: what a name that turns private after the endpoint's check meets.
		try (ScriptedReceiver receiver = new ScriptedReceiver(request -> ScriptedReceiver.Answer.of(204))) {
			java.net.URI byName = java.net.URI.create(receiver.url("/hook").replace("127.0.0.1", "localhost"));
			this.settings.allowPrivateAddresses(false);
			WebhookSender.Attempt refused;
			try {
				refused = this.sender.send(byName, "evt_1", "{}",
						WebhookSignature.signer(java.util.List.of("whsec_" + "a".repeat(32))));
			}
			finally {
				this.settings.allowPrivateAddresses(true);
			}
			assertThat(refused.delivered()).isFalse();
			assertThat(refused.answer()).startsWith("Not sent").contains("localhost").contains("loopback");
			assertThat(receiver.received()).isEmpty();
			WebhookSender.Attempt allowed = this.sender.send(byName, "evt_2", "{}",
					WebhookSignature.signer(java.util.List.of("whsec_" + "a".repeat(32))));
			assertThat(allowed.httpStatus()).isEqualTo(204);
			assertThat(receiver.received()).hasSize(1);
		}
	}

	@Test
	void createWhenEventTypeUnknownThenRefusedWith400() {
		Response refused = this.client.api(this.company, "POST", "/api/v1/webhook-endpoints",
				Map.of("url", "https://example.com/hook", "eventTypes", java.util.List.of("person.creatd")));
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.body()).contains("person.creatd");
	}

}
