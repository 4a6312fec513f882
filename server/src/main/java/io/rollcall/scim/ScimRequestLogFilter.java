package io.rollcall.scim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.rollcall.company.Company;
import io.rollcall.company.CurrentCompany;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/** Records every SCIM request of a company, refused ones included, so it runs before the security rules. */
final class ScimRequestLogFilter extends OncePerRequestFilter {

	static final String DETAIL = ScimRequestLogFilter.class.getName() + ".detail";

	static final String BODY = ScimRequestLogFilter.class.getName() + ".body";

	private static final Logger log = LoggerFactory.getLogger(ScimRequestLogFilter.class);

	private final ScimRequestLog requests;

	ScimRequestLogFilter(ScimRequestLog requests) {
		this.requests = requests;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith("/scim/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long start = System.nanoTime();
		try {
			chain.doFilter(request, response);
		}
		finally {
			Optional<Company> company = CurrentCompany.of(request);
			if (company.isPresent()) {
				String path = request.getRequestURI()
						+ (request.getQueryString() == null ? "" : "?" + request.getQueryString());
				try {
					this.requests.record(company.get().id(), request.getMethod(), path, response.getStatus(),
							(System.nanoTime() - start) / 1_000_000, (String) request.getAttribute(DETAIL),
							(String) request.getAttribute(BODY));
				}
				catch (RuntimeException ex) {
					log.warn("SCIM request not logged: {}", ex.getMessage());
				}
			}
		}
	}

	/**
	 * Answers a request with a SCIM error before it reaches the endpoint (refused token, rate, busy node), the detail
	 * kept for the log's row.
	 */
	static void refuse(HttpServletRequest request, HttpServletResponse response, int status, String detail)
			throws IOException {
		request.setAttribute(DETAIL, detail);
		response.setStatus(status);
		response.setContentType(ScimEndpoint.SCIM_JSON);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getWriter().write(ScimJson.error(status, null, detail).toString());
	}

	@Configuration(proxyBeanMethods = false)
	static class Registration {

		/**
		 * After the company is known (HIGHEST_PRECEDENCE + 10), before the token check
		 * ({@link ScimAuthenticationFilter}), so that refused requests are recorded too.
		 */
		@Bean
		FilterRegistrationBean<ScimRequestLogFilter> scimRequestLogFilter(ScimRequestLog requests) {
			var registration = new FilterRegistrationBean<>(new ScimRequestLogFilter(requests));
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
			registration.addUrlPatterns("/scim/*");
			return registration;
		}

	}

}
