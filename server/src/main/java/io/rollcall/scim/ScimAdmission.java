package io.rollcall.scim;

import java.io.IOException;

import io.rollcall.platform.RequestTurns;
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
 * At most a few SCIM requests are worked on at once on this node; the others wait their turn in the order they came
 * ({@link RequestTurns}: an identity provider keeps dozens of connections busy). When {@code rollcall.scim.max-waiting}
 * requests already wait, the next gets 503 with Retry-After, which providers retry.
 */
final class ScimAdmission extends OncePerRequestFilter {

	private final RequestTurns turns;

	ScimAdmission(RequestTurns turns) {
		this.turns = turns;
	}

	/** How many requests wait for their turn now. */
	int waiting() {
		return this.turns.waiting();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith("/scim/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!this.turns.inTurn(() -> chain.doFilter(request, response))) {
			String detail = "The SCIM server is busy: " + this.turns.maxWaiting()
					+ " requests are already waiting for their turn; retry after a few seconds";
			response.setHeader("Retry-After", "5");
			ScimRequestLogFilter.refuse(request, response, 503, detail);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Registration {

		/** Right after the request log (which so counts the wait in the latency it shows), before the token check. */
		@Bean
		FilterRegistrationBean<ScimAdmission> scimAdmission(@Value("${rollcall.scim.concurrency:0}") int concurrency,
				@Value("${rollcall.scim.max-waiting:1000}") int maxWaiting, MeterRegistry meters) {
			ScimAdmission admission = new ScimAdmission(
					new RequestTurns(concurrency > 0 ? concurrency : RequestTurns.defaultConcurrency(), maxWaiting));
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
