package io.rollcall.scim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * At most a few SCIM requests are worked on at once on this node; the others wait their turn in the order they came.
 * An identity provider keeps dozens of connections busy, and when all of them share two cores each request crawls
 * (a write, six times a lookup's work, then waits behind everything that arrived meanwhile): the mean stays, the slow
 * tail grows. Taking them in turn gives every request the same short wait plus its own work (at 32 connections on
 * 2 cores: p99 35 ms in turn, 77 ms all at once, for the same throughput; see bench/RESULTS.md). A request that waits
 * longer than {@code rollcall.scim.queue-timeout} gets 503 with Retry-After, which providers retry.
 */
final class ScimAdmission extends OncePerRequestFilter {

	private final Semaphore turns;

	private final Duration queueTimeout;

	ScimAdmission(int concurrency, Duration queueTimeout) {
		if (concurrency < 1) {
			throw new IllegalArgumentException("concurrency must be at least 1");
		}
		this.turns = new Semaphore(concurrency, true);
		this.queueTimeout = queueTimeout;
	}

	/** Requests worked on at once by default: two per core (they wait on the database too), at least four. */
	static int defaultConcurrency() {
		return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
	}

	/** How many requests wait for their turn now. */
	int waiting() {
		return this.turns.getQueueLength();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith("/scim/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		boolean admitted;
		try {
			admitted = this.turns.tryAcquire(this.queueTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			admitted = false;
		}
		if (!admitted) {
			String detail = "The SCIM server is busy: this request waited " + this.queueTimeout.toSeconds()
					+ " s for its turn; retry after a few seconds";
			request.setAttribute(ScimRequestLogFilter.DETAIL, detail);
			response.setStatus(503);
			response.setHeader("Retry-After", "5");
			response.setContentType(ScimEndpoint.SCIM_JSON);
			response.setCharacterEncoding(StandardCharsets.UTF_8.name());
			response.getWriter().write(ScimJson.error(503, null, detail).toString());
			return;
		}
		try {
			chain.doFilter(request, response);
		}
		finally {
			this.turns.release();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Registration {

		/** Right after the request log (which so counts the wait in the latency it shows), before the token check. */
		@Bean
		FilterRegistrationBean<ScimAdmission> scimAdmission(@Value("${rollcall.scim.concurrency:0}") int concurrency,
				@Value("${rollcall.scim.queue-timeout:10s}") Duration queueTimeout, MeterRegistry meters) {
			ScimAdmission admission = new ScimAdmission(concurrency > 0 ? concurrency : defaultConcurrency(),
					queueTimeout);
			Gauge.builder("rollcall.scim.waiting", admission, ScimAdmission::waiting)
				.description("SCIM requests waiting for their turn")
				.register(meters);
			var registration = new FilterRegistrationBean<>(admission);
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 21);
			registration.addUrlPatterns("/scim/*");
			return registration;
		}

	}

}
