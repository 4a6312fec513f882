package io.rollcall.scim;

import io.micrometer.core.instrument.MeterRegistry;
import io.rollcall.platform.RequestAdmission;
import io.rollcall.platform.RequestTurns;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * At most a few SCIM requests are worked on at once on this node; the others wait their turn in the order they came
 * ({@link RequestAdmission}: an identity provider keeps dozens of connections busy). When
 * {@code rollcall.scim.max-waiting} requests already wait, the next gets 503 with Retry-After, which providers retry.
 */
final class ScimAdmission {

	private ScimAdmission() {
	}

	/** SCIM's turns, refusing with SCIM's error schema. */
	static RequestAdmission filter(RequestTurns turns) {
		return new RequestAdmission("/scim/*", turns, (request, response, maxWaiting) -> {
			String detail = "The SCIM server is busy: " + maxWaiting
					+ " requests are already waiting for their turn; retry after a few seconds";
			response.setHeader("Retry-After", "5");
			ScimRequestLogFilter.refuse(request, response, 503, detail);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Registration {

		/** Right after the request log (which so counts the wait in the latency it shows), before the token check. */
		@Bean
		FilterRegistrationBean<RequestAdmission> scimAdmission(@Value("${rollcall.scim.concurrency:0}") int concurrency,
				@Value("${rollcall.scim.max-waiting:1000}") int maxWaiting, MeterRegistry meters) {
			return filter(
					new RequestTurns(concurrency > 0 ? concurrency : RequestTurns.defaultConcurrency(), maxWaiting))
				.registration("scimAdmission", Ordered.HIGHEST_PRECEDENCE + 21, "rollcall.scim.waiting",
						"SCIM requests waiting for their turn", meters);
		}

	}

}
