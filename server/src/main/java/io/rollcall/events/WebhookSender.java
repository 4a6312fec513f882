package io.rollcall.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Sends one signed delivery and says how it went. Redirects are not followed (a 3xx is a failure: the receiver should
 * be registered at its final URL, and a redirect could lead inside the network); the connection gets 5 s, the whole
 * exchange 15 s, and only the answer's first kilobyte is kept.
 * <p>
 * Apache HttpClient, blocking, on the dispatcher's virtual threads: per delivery it costs about a third of the CPU of
 * {@code java.net.http} (bench/RESULTS.md), which matters when every change goes to several endpoints. Its DNS
 * resolver is where addresses are checked: each new connection goes to an address that has just been found public,
 * so a name that turns private between a check and the connection (DNS rebinding) is refused too.
 */
@Component
class WebhookSender implements DisposableBean {

	static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

	static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);

	static final int ANSWER_BYTES = 1024;

	/** An answer longer than this is not read to its end: its connection is closed instead of kept. */
	private static final int DRAIN_BYTES = 64 * 1024;

	/** Connections kept per receiver: the dispatcher sends to 32 subjects of an endpoint at once. */
	private static final int CONNECTIONS_PER_RECEIVER = 64;

	private final WebhookSettings settings;

	private final CloseableHttpClient http;

	/** Ends exchanges that outlast {@link #ANSWER_TIMEOUT} (a receiver trickling its answer never hits a read timeout). */
	private final ScheduledThreadPoolExecutor deadlines;

	WebhookSender(WebhookSettings settings) {
		this.settings = settings;
		this.deadlines = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("webhook-deadlines").factory());
		this.deadlines.setRemoveOnCancelPolicy(true);
		this.http = HttpClients.custom()
			.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
				.setDnsResolver(new PublicAddresses())
				.setDefaultConnectionConfig(ConnectionConfig.custom()
					.setConnectTimeout(Timeout.of(CONNECT_TIMEOUT))
					.setSocketTimeout(Timeout.of(ANSWER_TIMEOUT))
					.setValidateAfterInactivity(TimeValue.ofSeconds(2))
					.setTimeToLive(TimeValue.ofMinutes(5))
					.build())
				.setMaxConnPerRoute(CONNECTIONS_PER_RECEIVER)
				.setMaxConnTotal(4096)
				.build())
			.setDefaultRequestConfig(RequestConfig.custom()
				.setRedirectsEnabled(false)
				.setResponseTimeout(Timeout.of(ANSWER_TIMEOUT))
				.setConnectionRequestTimeout(Timeout.of(ANSWER_TIMEOUT))
				.build())
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableCookieManagement()
			.disableAuthCaching()
			.disableContentCompression()
			.evictIdleConnections(TimeValue.ofSeconds(30))
			.setUserAgent("Rollcall-Webhooks/1")
			.build();
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
		HttpPost request = new HttpPost(uri);
		request.setHeader("webhook-id", id);
		request.setHeader("webhook-timestamp", Long.toString(timestamp));
		request.setHeader("webhook-signature", signer.sign(id, timestamp, body));
		request.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
		AtomicBoolean late = new AtomicBoolean();
		ScheduledFuture<?> deadline = this.deadlines.schedule(() -> {
			late.set(true);
			request.cancel();
		}, ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		long start = System.nanoTime();
		try (ClassicHttpResponse response = this.http.executeOpen(null, request, null)) {
			String answer = firstBytes(response);
			int status = response.getCode();
			if (status >= 300 && status < 400) {
				Header location = response.getFirstHeader("Location");
				answer = "Redirect to " + (location == null ? "nowhere" : location.getValue())
						+ " not followed; register the final URL. " + answer;
			}
			return new Attempt(status, millisSince(start), answer.length() > ANSWER_BYTES ? answer.substring(0, ANSWER_BYTES) : answer);
		}
		catch (RefusedAddress ex) {
			return new Attempt(0, millisSince(start), "Not sent: " + ex.getMessage());
		}
		catch (ConnectTimeoutException ex) {
			return new Attempt(0, millisSince(start), "No connection within " + CONNECT_TIMEOUT.toSeconds() + " s");
		}
		catch (InterruptedIOException ex) {
			// A read timeout, or the deadline cancelling the exchange; an interrupt means Rollcall is stopping.
			if (Thread.currentThread().isInterrupted()) {
				return new Attempt(0, millisSince(start), "Interrupted while sending (Rollcall stopping)");
			}
			return new Attempt(0, millisSince(start), "No answer within " + ANSWER_TIMEOUT.toSeconds() + " s");
		}
		catch (IOException ex) {
			if (late.get()) {
				return new Attempt(0, millisSince(start), "No answer within " + ANSWER_TIMEOUT.toSeconds() + " s");
			}
			return new Attempt(0, millisSince(start), "Could not send: " + ex.getClass().getSimpleName()
					+ (ex.getMessage() == null ? "" : " " + ex.getMessage()));
		}
		finally {
			deadline.cancel(false);
		}
	}

	/**
	 * The answer's first kilobyte. The rest of a short answer is read so that the connection serves the next delivery;
	 * a long one is left unread, and closing the response then closes its connection.
	 */
	private static String firstBytes(ClassicHttpResponse response) throws IOException {
		HttpEntity entity = response.getEntity();
		if (entity == null) {
			return "";
		}
		InputStream in = entity.getContent();
		byte[] first = in.readNBytes(ANSWER_BYTES);
		byte[] skip = new byte[8192];
		int skipped = 0;
		int read;
		while (skipped <= DRAIN_BYTES && (read = in.read(skip)) >= 0) {
			skipped += read;
		}
		if (skipped <= DRAIN_BYTES) {
			in.close(); // at its end: hands the connection back to the pool
		}
		return new String(first, StandardCharsets.UTF_8);
	}

	private static int millisSince(long start) {
		return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - start) / 1_000_000);
	}

	@Override
	public void destroy() {
		this.http.close(CloseMode.GRACEFUL);
		this.deadlines.shutdownNow();
	}

	/** A host's address refused as internal, found when connecting. */
	private static final class RefusedAddress extends UnknownHostException {

		RefusedAddress(String message) {
			super(message);
		}

	}

	/** Resolves a receiver's name and refuses it when any of its addresses is internal (unless the operator allows). */
	private final class PublicAddresses implements DnsResolver {

		@Override
		public InetAddress[] resolve(String host) throws UnknownHostException {
			InetAddress[] addresses = SystemDefaultDnsResolver.INSTANCE.resolve(host);
			if (!WebhookSender.this.settings.allowPrivateAddresses()) {
				for (InetAddress address : addresses) {
					String kind = WebhookAddresses.internal(address);
					if (kind != null) {
						throw new RefusedAddress("the host " + host + " resolves to " + address.getHostAddress() + ", a "
								+ kind + " address; Rollcall sends webhooks only to public addresses");
					}
				}
			}
			return addresses;
		}

		@Override
		public String resolveCanonicalHostname(String host) throws UnknownHostException {
			return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
		}

	}

}
