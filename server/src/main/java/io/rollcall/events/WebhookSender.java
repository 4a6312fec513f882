package io.rollcall.events;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.stereotype.Component;

/**
 * Sends one signed delivery and says how it went. Redirects are not followed (a 3xx is a failure: the receiver should
 * be registered at its final URL, and a redirect could lead inside the network); the connection gets 5 s, the answer
 * 15 s, and only its first kilobyte is read.
 */
@Component
class WebhookSender {

	static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

	static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);

	static final int ANSWER_BYTES = 1024;

	private final HttpClient http = HttpClient.newBuilder()
		.connectTimeout(CONNECT_TIMEOUT)
		.followRedirects(HttpClient.Redirect.NEVER)
		.version(HttpClient.Version.HTTP_1_1)
		.build();

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
	Attempt send(URI uri, String id, String body, List<String> secrets) {
		long timestamp = Instant.now().getEpochSecond();
		HttpRequest request = HttpRequest.newBuilder(uri)
			.timeout(ANSWER_TIMEOUT)
			.header("Content-Type", "application/json")
			.header("User-Agent", "Rollcall-Webhooks/1")
			.header("webhook-id", id)
			.header("webhook-timestamp", Long.toString(timestamp))
			.header("webhook-signature", WebhookSignature.sign(id, timestamp, body, secrets))
			.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
			.build();
		long start = System.nanoTime();
		try {
			HttpResponse<InputStream> response = this.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
			String answer;
			try (InputStream in = response.body()) {
				answer = new String(in.readNBytes(ANSWER_BYTES), StandardCharsets.UTF_8);
			}
			int status = response.statusCode();
			if (status >= 300 && status < 400) {
				answer = "Redirect to " + response.headers().firstValue("Location").orElse("nowhere")
						+ " not followed; register the final URL. " + answer;
			}
			return new Attempt(status, millisSince(start), answer.length() > ANSWER_BYTES ? answer.substring(0, ANSWER_BYTES) : answer);
		}
		catch (HttpConnectTimeoutException ex) {
			return new Attempt(0, millisSince(start), "No connection within " + CONNECT_TIMEOUT.toSeconds() + " s");
		}
		catch (HttpTimeoutException ex) {
			return new Attempt(0, millisSince(start), "No answer within " + ANSWER_TIMEOUT.toSeconds() + " s");
		}
		catch (IOException ex) {
			return new Attempt(0, millisSince(start), "Could not send: " + ex.getClass().getSimpleName()
					+ (ex.getMessage() == null ? "" : " " + ex.getMessage()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Attempt(0, millisSince(start), "Interrupted while sending (Rollcall stopping)");
		}
	}

	private static int millisSince(long start) {
		return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - start) / 1_000_000);
	}

}
