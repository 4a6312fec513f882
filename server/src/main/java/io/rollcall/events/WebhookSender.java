package io.rollcall.events;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

import io.rollcall.platform.OutboundHttp;

import org.apache.hc.core5.http.ContentType;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Sends one signed delivery and says how it went, through {@link OutboundHttp} (no redirects, 5 s to connect, 15 s
 * for the whole exchange, the answer's first kilobyte kept), to public addresses only unless the operator allows
 * private ones: its resolver checks each address as it connects.
 */
@Component
class WebhookSender implements DisposableBean {

	/** Connections kept per receiver: the dispatcher sends to 32 subjects of an endpoint at once. */
	private static final int CONNECTIONS_PER_RECEIVER = 64;

	private final OutboundHttp http;

	WebhookSender(WebhookSettings settings) {
		this.http = new OutboundHttp("Rollcall-Webhooks/1", CONNECTIONS_PER_RECEIVER, settings::allowPrivateAddresses,
				"Rollcall sends webhooks only to public addresses");
	}

	/**
	 * One attempt's outcome.
	 *
	 * @param httpStatus 0 when no answer came
	 */
	record Attempt(int httpStatus, int latencyMs, String answer) {

		boolean delivered() {
			return this.httpStatus >= 200 && this.httpStatus < 300;
		}

		/** 410 Gone: the receiver says the endpoint is no more. */
		boolean gone() {
			return this.httpStatus == 410;
		}

		Integer status() {
			return this.httpStatus == 0 ? null : this.httpStatus;
		}

	}

	/**
	 * Sends {@code body} as event {@code id}. The timestamp is the real time, not the application's clock: the receiver
	 * compares it with its own clock to refuse old messages.
	 */
	Attempt send(URI uri, String id, String body, WebhookSignature.Signer signer) {
		long timestamp = Instant.now().getEpochSecond();
		OutboundHttp.Answer answer = this.http.post(uri, Map.of("webhook-id", id, "webhook-timestamp",
				Long.toString(timestamp), "webhook-signature", signer.sign(id, timestamp, body)), body,
				ContentType.APPLICATION_JSON);
		return new Attempt(answer.httpStatus(), answer.latencyMs(), answer.answer());
	}

	@Override
	public void destroy() {
		this.http.close();
	}

}
