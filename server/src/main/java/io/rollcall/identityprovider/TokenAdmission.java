package io.rollcall.identityprovider;

import java.nio.charset.StandardCharsets;

import io.micrometer.core.instrument.MeterRegistry;
import io.rollcall.platform.RequestAdmission;
import io.rollcall.platform.RequestTurns;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Token requests take turns ({@link RequestAdmission}): a host application redeems codes and refreshes tokens on many
 * connections at once, and a token request is nearly all CPU (two signatures). Taken in turn, each waits its share and
 * no more, and none waits 30 s for a database connection and fails: the pool holds more connections than there are
 * turns. When {@code rollcall.identity-provider.token-max-waiting} requests already wait, the next is answered 503
 * with Retry-After and an OAuth error body, which the application can retry.
 */
final class TokenAdmission {

	static final String PATH = "/oauth2/token";

	private TokenAdmission() {
	}

	/** The token endpoint's turns, refusing in OAuth's words. */
	static RequestAdmission filter(RequestTurns turns) {
		return new RequestAdmission(PATH, turns, (request, response, maxWaiting) -> {
			response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
			response.setHeader("Retry-After", "1");
			response.setHeader("Cache-Control", "no-store");
			response.setContentType("application/json");
			response.getOutputStream()
				.write(("{\"error\":\"temporarily_unavailable\",\"error_description\":\"The token endpoint is busy: "
						+ maxWaiting + " requests are already waiting; retry in a second\"}")
					.getBytes(StandardCharsets.UTF_8));
		});
	}

	/**
	 * Token requests worked on at once by default: three per core, at least six. With signatures cheap (AWS-LC), a
	 * token request spends a good part of its time waiting for its commit's flush to disk; 6 turns served 1,222 and
	 * 1,181 requests a second (code, refresh) on 2 cores where 4 served 1,110 and 1,004 (bench/RESULTS.md).
	 */
	static int defaultConcurrency() {
		return RequestTurns.perCore(3, 6);
	}

	@Configuration(proxyBeanMethods = false)
	static class Registration {

		/** Before Spring Security's chain, which authenticates the client: a request waiting holds nothing. */
		@Bean
		FilterRegistrationBean<RequestAdmission> tokenAdmission(
				@Value("${rollcall.identity-provider.token-concurrency:0}") int concurrency,
				@Value("${rollcall.identity-provider.token-max-waiting:1000}") int maxWaiting, MeterRegistry meters) {
			return filter(new RequestTurns(concurrency > 0 ? concurrency : defaultConcurrency(), maxWaiting))
				.registration("tokenAdmission", Ordered.HIGHEST_PRECEDENCE + 21,
						"rollcall.identity-provider.token-requests-waiting", "Token requests waiting for their turn",
						meters);
		}

	}

}
