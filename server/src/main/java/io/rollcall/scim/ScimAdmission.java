package io.rollcall.scim;

import java.io.IOException;
import java.util.concurrent.Semaphore;

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
 * 2 cores: p99 42 ms in turn, 91 ms all at once, for about the same throughput; see bench/RESULTS.md). When
 * {@code rollcall.scim.max-waiting} requests already wait, the next gets 503 with Retry-After, which providers retry.
 */
final class ScimAdmission extends OncePerRequestFilter {

	private final Semaphore turns;

	private final int maxWaiting;

	ScimAdmission(int concurrency, int maxWaiting) {
		if (concurrency < 1 || maxWaiting < 0) {
			throw new IllegalArgumentException("concurrency must be at least 1, maxWaiting at least 0");
		}
		this.turns = new Semaphore(concurrency, true);
		this.maxWaiting = maxWaiting;
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
		// The queue is checked, not the wait timed: a timed wait costs every waiting request a timer task (a quarter
		// of the throughput on 2 cores), and a full queue says as well that the node is behind.
		if (this.turns.getQueueLength() >= this.maxWaiting) {
			String detail = "The SCIM server is busy: " + this.maxWaiting
					+ " requests are already waiting for their turn; retry after a few seconds";
			response.setHeader("Retry-After", "5");
			ScimRequestLogFilter.refuse(request, response, 503, detail);
			return;
		}
		try {
			this.turns.acquire();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ServletException("Interrupted while waiting for a turn", ex);
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
				@Value("${rollcall.scim.max-waiting:1000}") int maxWaiting, MeterRegistry meters) {
			ScimAdmission admission = new ScimAdmission(concurrency > 0 ? concurrency : defaultConcurrency(),
					maxWaiting);
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
