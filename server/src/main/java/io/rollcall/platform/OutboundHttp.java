package io.rollcall.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

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
import org.springframework.util.Assert;

/**
 * POSTs to receivers outside Rollcall (webhook endpoints, applications' back-channel logout URIs) and says how it
 * went, never throwing. Redirects are not followed (a 3xx is a failure: the receiver should be registered at its final
 * URL, and a redirect could lead inside the network); the connection gets 5 s, the whole exchange 15 s, and only the
 * answer's first kilobyte is kept.
 * <p>
 * Apache HttpClient, blocking, on the callers' threads: per request it costs about a third of the CPU of
 * {@code java.net.http} (bench/RESULTS.md). Make one per kind of receiver and keep it: each holds a connection pool.
 * Its DNS resolver is where addresses are checked, when the receivers must be public: each new connection goes to an
 * address that has just been found public, so a name that turns private between a check and the connection (DNS
 * rebinding) is refused too.
 */
public final class OutboundHttp implements AutoCloseable {

	public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

	public static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);

	public static final int ANSWER_BYTES = 1024;

	/** An answer longer than this is not read to its end: its connection is closed instead of kept. */
	private static final int DRAIN_BYTES = 64 * 1024;

	/** Ends exchanges that outlast {@link #ANSWER_TIMEOUT} (a receiver trickling its answer never hits a read timeout). */
	private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

	private final CloseableHttpClient http;

	/**
	 * @param userAgent what receivers see in {@code User-Agent}
	 * @param connectionsPerReceiver connections kept per host and port
	 * @param allowInternalAddresses asked at each new connection: false refuses hosts that resolve to an internal
	 * address ({@link InternalAddresses})
	 * @param publicOnlyReason the end of the refusal, e.g. "Rollcall sends webhooks only to public addresses"
	 */
	public OutboundHttp(String userAgent, int connectionsPerReceiver, BooleanSupplier allowInternalAddresses,
			String publicOnlyReason) {
		Assert.hasText(userAgent, "userAgent cannot be empty");
		Assert.notNull(allowInternalAddresses, "allowInternalAddresses cannot be null");
		Assert.hasText(publicOnlyReason, "publicOnlyReason cannot be empty");
		this.http = HttpClients.custom()
			.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
				.setDnsResolver(new CheckedAddresses(allowInternalAddresses, publicOnlyReason))
				.setDefaultConnectionConfig(ConnectionConfig.custom()
					.setConnectTimeout(Timeout.of(CONNECT_TIMEOUT))
					.setSocketTimeout(Timeout.of(ANSWER_TIMEOUT))
					.setValidateAfterInactivity(TimeValue.ofSeconds(2))
					.setTimeToLive(TimeValue.ofMinutes(5))
					.build())
				.setMaxConnPerRoute(connectionsPerReceiver)
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
			.setUserAgent(userAgent)
			.build();
	}

	/** A client for receivers the operator registered, which may live on the platform's own network. */
	public static OutboundHttp toAnyAddress(String userAgent, int connectionsPerReceiver) {
		return new OutboundHttp(userAgent, connectionsPerReceiver, () -> true, "every address is allowed");
	}

	/**
	 * One request's outcome.
	 *
	 * @param httpStatus 0 when no answer came
	 * @param answer the answer's first kilobyte, or why there was none
	 */
	public record Answer(int httpStatus, int latencyMs, String answer) {

		public boolean delivered() {
			return this.httpStatus >= 200 && this.httpStatus < 300;
		}

		/** The HTTP status, or null when no answer came. */
		public Integer status() {
			return this.httpStatus == 0 ? null : this.httpStatus;
		}

	}

	/** POSTs {@code body} with {@code headers}; what came back, or why nothing did. */
	public Answer post(URI uri, Map<String, String> headers, String body, ContentType contentType) {
		HttpPost request = new HttpPost(uri);
		headers.forEach(request::setHeader);
		request.setEntity(new StringEntity(body, contentType));
		AtomicBoolean late = new AtomicBoolean();
		ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
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
			return new Answer(status, millisSince(start),
					answer.length() > ANSWER_BYTES ? answer.substring(0, ANSWER_BYTES) : answer);
		}
		catch (RefusedAddress ex) {
			return new Answer(0, millisSince(start), "Not sent: " + ex.getMessage());
		}
		catch (ConnectTimeoutException ex) {
			return new Answer(0, millisSince(start), "No connection within " + CONNECT_TIMEOUT.toSeconds() + " s");
		}
		catch (InterruptedIOException ex) {
			// A read timeout, or the deadline cancelling the exchange; an interrupt means Rollcall is stopping.
			if (Thread.currentThread().isInterrupted()) {
				return new Answer(0, millisSince(start), "Interrupted while sending (Rollcall stopping)");
			}
			return new Answer(0, millisSince(start), "No answer within " + ANSWER_TIMEOUT.toSeconds() + " s");
		}
		catch (IOException ex) {
			if (late.get()) {
				return new Answer(0, millisSince(start), "No answer within " + ANSWER_TIMEOUT.toSeconds() + " s");
			}
			String why = "Could not send: " + ex.getClass().getSimpleName()
					+ (ex.getMessage() == null ? "" : " " + ex.getMessage());
			return new Answer(0, millisSince(start),
					why.length() > ANSWER_BYTES ? why.substring(0, ANSWER_BYTES) : why);
		}
		finally {
			deadline.cancel(false);
		}
	}

	/**
	 * The answer's first kilobyte. The rest of a short answer is read so that the connection serves the next request;
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
	public void close() {
		this.http.close(CloseMode.GRACEFUL);
	}

	/** One daemon thread for every client's deadlines: it only cancels requests, and each task is short. */
	private static ScheduledThreadPoolExecutor deadlines() {
		ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1,
				Thread.ofPlatform().daemon().name("outbound-http-deadlines").factory());
		deadlines.setRemoveOnCancelPolicy(true);
		return deadlines;
	}

	/** A host's address refused as internal, found when connecting. */
	private static final class RefusedAddress extends UnknownHostException {

		RefusedAddress(String message) {
			super(message);
		}

	}

	/** Resolves a receiver's name and refuses it when any of its addresses is internal (unless allowed). */
	private record CheckedAddresses(BooleanSupplier allowInternal, String publicOnlyReason) implements DnsResolver {

		@Override
		public InetAddress[] resolve(String host) throws UnknownHostException {
			InetAddress[] addresses = SystemDefaultDnsResolver.INSTANCE.resolve(host);
			if (!this.allowInternal.getAsBoolean()) {
				for (InetAddress address : addresses) {
					String kind = InternalAddresses.kind(address);
					if (kind != null) {
						throw new RefusedAddress(
								"the host " + host + " resolves to " + address.getHostAddress() + ", a "
										+ kind + " address; " + this.publicOnlyReason);
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
