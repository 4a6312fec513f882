package io.rollcall.connector;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Predicate;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.rollcall.platform.RequestAdmission;
import io.rollcall.platform.RequestTurns;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

/**
 * Webhook deliveries take turns on this node, every provider's together ({@link RequestTurns}): a delivery is one or
 * two short statements, and more of them at once only wait for the connection pool, for up to its 30 s, long after
 * the provider has given up, while the node's own workers wait behind them. A delivery that gets no turn within
 * {@code rollcall.webhooks.receivers.max-wait} (well inside the providers' 3 s) is answered 503 with Retry-After,
 * which Graph and Okta both read as "retry" (Okta retries 5xx only, and once), and its provider is told, so that
 * what the delivery carried is caught up ({@link HookCatchUp}). Deliveries wait before any filter that reads the
 * database: a waiting one holds no connection.
 */
@Component
public final class HookAdmission {

	/** Deliveries that may wait for a turn; beyond that the node is far behind, and the next is refused at once. */
	static final int MAX_WAITING = 1000;

	/** Seconds a refused sender is asked to wait; Graph backs off on its own too, Okta retries when it retries. */
	static final String RETRY_AFTER = "2";

	private final RequestTurns turns;

	private final int concurrency;

	private final MeterRegistry meters;

	HookAdmission(@Value("${rollcall.webhooks.receivers.concurrency:0}") int concurrency,
			@Value("${rollcall.webhooks.receivers.max-wait:1s}") Duration maxWait, DataSource dataSource,
			MeterRegistry meters) {
		Assert.isTrue(maxWait != null && !maxWait.isNegative() && maxWait.compareTo(Duration.ofSeconds(2)) <= 0,
				"rollcall.webhooks.receivers.max-wait must be between 0 and 2s: providers give up after 3 s");
		this.concurrency = concurrency > 0 ? concurrency : defaultConcurrency(dataSource);
		this.turns = new RequestTurns(this.concurrency, MAX_WAITING, maxWait);
		this.meters = meters;
		// Once here, for the turns every receiver shares: a gauge per receiver would be the same number, and the
		// registry keeps only the first of two gauges of one name (with a warning at every start).
		Gauge.builder("rollcall.hooks.waiting", this.turns, RequestTurns::waiting)
			.description("Webhook deliveries waiting for their turn")
			.register(meters);
	}

	/**
	 * Half the connection pool, at least 2: the rest stays for the queue workers, sync runs, SCIM and sign-ins, which
	 * deliveries starved before. Without a pool to read, two per core.
	 */
	static int defaultConcurrency(DataSource dataSource) {
		try {
			if (dataSource.isWrapperFor(HikariDataSource.class)) {
				return Math.max(2, dataSource.unwrap(HikariDataSource.class).getMaximumPoolSize() / 2);
			}
		}
		catch (java.sql.SQLException ex) {
			// not a pool it can tell the size of
		}
		return RequestTurns.defaultConcurrency();
	}

	/** Deliveries handled at once on this node. */
	public int concurrency() {
		return this.concurrency;
	}

	/** The turns every receiver shares; public for the receivers' tests, which take them all to see refusals. */
	public RequestTurns turns() {
		return this.turns;
	}

	/**
	 * A receiver's filter, registered as {@code name} for {@code path}: the deliveries {@code takesTurns} names wait
	 * for a turn, and one refused is counted in {@code rollcall.hooks.refused} under {@code provider} and handed to
	 * {@code refused} (which must not read the database: the node is busy) before it is answered 503.
	 */
	public FilterRegistrationBean<RequestAdmission> registration(String name, String path, String provider,
			Predicate<HttpServletRequest> takesTurns, Consumer<HttpServletRequest> refused) {
		Counter counter = Counter.builder("rollcall.hooks.refused")
			.description("Webhook deliveries refused with 503 for want of a turn within the wait")
			.tag("provider", provider)
			.register(this.meters);
		RequestAdmission admission = new RequestAdmission(path, this.turns, (request, response, maxWaiting) -> {
			counter.increment();
			refused.accept(request);
			refuse(response);
		}, takesTurns);
		return admission.registration(name, Ordered.HIGHEST_PRECEDENCE + 21);
	}

	private static void refuse(HttpServletResponse response) throws IOException {
		response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
		response.setHeader("Retry-After", RETRY_AFTER);
		response.setHeader("Cache-Control", "no-store");
		response.setContentLength(0);
		response.flushBuffer();
	}

}
