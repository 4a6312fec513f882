package io.rollcall.scim;

import java.io.IOException;
import java.util.Optional;
import java.util.UUID;

import io.rollcall.company.Company;
import io.rollcall.company.CurrentCompany;
import io.rollcall.platform.ActingPrincipal;
import io.rollcall.platform.Actor;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.Assert;

/**
 * How SCIM clients sign in, all of it: Spring Security's chain does nothing on /scim/** (sso.SecurityConfiguration),
 * since its filters cost a SCIM lookup more CPU than the lookup's handler (bench/RESULTS.md, issue 19). A bearer token
 * (a secret token, or an access token from the client credentials grant) of the company the host names lets a
 * request in; a valid token of a company whose SCIM server is off gets a 403; anything else a 401 with
 * WWW-Authenticate, but at the token endpoint, which takes client credentials instead; a company over its request
 * rate (on all nodes together) gets a 429 with Retry-After. All as SCIM errors. The caller is left on the request
 * ({@link ActingPrincipal#REQUEST_ATTRIBUTE}), never in a thread's security context, so it ends with the request.
 */
final class ScimAuthenticationFilter extends HttpFilter {

	/** Where SCIM clients buy access tokens with client credentials: open to requests without a token. */
	static final String TOKEN_ENDPOINT = "/scim/v2/token";

	private final ScimTokens tokens;

	private final ScimSettingsStore settings;

	private final ScimRateLimit rateLimit;

	private final String ratePolicy;

	ScimAuthenticationFilter(ScimTokens tokens, ScimSettingsStore settings, ScimRateLimit rateLimit) {
		Assert.notNull(tokens, "tokens cannot be null");
		Assert.notNull(settings, "settings cannot be null");
		Assert.notNull(rateLimit, "rateLimit cannot be null");
		this.tokens = tokens;
		this.settings = settings;
		this.rateLimit = rateLimit;
		this.ratePolicy = "\"company\";q=" + rateLimit.perSecond() + ";w=1";
	}

	/** A SCIM client signed in with a token of {@code companyId}. */
	record ScimCaller(Actor actor, UUID companyId) implements ActingPrincipal {
	}

	@Override
	protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		boolean tokenEndpoint = "POST".equals(request.getMethod())
				&& TOKEN_ENDPOINT.equals(request.getRequestURI().substring(request.getContextPath().length()));
		securityHeaders(request, response, tokenEndpoint);
		Optional<Company> company = CurrentCompany.of(request);
		Optional<ScimTokens.Holder> holder = company.isPresent() ? authenticate(company.get(), request)
				: Optional.empty();
		if (holder.isEmpty()) {
			if (tokenEndpoint) {
				chain.doFilter(request, response);
				return;
			}
			response.setHeader("WWW-Authenticate", "Bearer realm=\"SCIM\"");
			ScimRequestLogFilter.refuse(request, response, 401,
					"Send a SCIM token of this company as 'Authorization: Bearer <token>' (Tenant URL and tokens are in the console under SCIM)");
			return;
		}
		UUID companyId = company.get().id();
		ScimRateLimit.Decision decision = this.rateLimit.admit(companyId);
		rateLimitFields(response, decision);
		if (!decision.admitted()) {
			response.setHeader("Retry-After", String.valueOf(decision.resetSeconds()));
			ScimRequestLogFilter.refuse(request, response, 429, "More than " + decision.limit()
					+ " SCIM requests this second for this company (its limit on all nodes together); retry in "
					+ decision.resetMillis() + " ms, when the next second begins (Retry-After)");
			return;
		}
		if (!tokenEndpoint && !this.settings.get(companyId).enabled()) {
			ScimRequestLogFilter.refuse(request, response, 403,
					"SCIM provisioning is turned off for this company; an admin can turn it on in the console under SCIM");
			return;
		}
		request.setAttribute(ActingPrincipal.REQUEST_ATTRIBUTE, new ScimCaller(
				new Actor(Actor.Type.SOURCE, "scim", "SCIM (" + holder.get().name() + ")"), companyId));
		chain.doFilter(request, response);
	}

	/** The holder of the request's bearer token, if it is a valid token of {@code company}. */
	private Optional<ScimTokens.Holder> authenticate(Company company, HttpServletRequest request) {
		String header = request.getHeader("Authorization");
		if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return Optional.empty();
		}
		return this.tokens.authenticate(company.id(), header.substring(7).strip());
	}

	/**
	 * The headers Spring Security's chain wrote on every SCIM answer, kept: a token API's answers are never stored or
	 * sniffed as another type. Written before the answer rather than when it commits, as Spring Security did, so none
	 * of its response wrapper: only the token endpoint sets a Cache-Control of its own (no-store, RFC 6749), and there
	 * the filter leaves it alone.
	 */
	private static void securityHeaders(HttpServletRequest request, HttpServletResponse response,
			boolean tokenEndpoint) {
		response.setHeader("X-Content-Type-Options", "nosniff");
		response.setHeader("X-XSS-Protection", "0");
		if (!tokenEndpoint) {
			response.setHeader("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate");
			response.setHeader("Pragma", "no-cache");
			response.setHeader("Expires", "0");
		}
		if (request.isSecure()) {
			response.setHeader("Strict-Transport-Security", "max-age=31536000 ; includeSubDomains");
		}
		response.setHeader("X-Frame-Options", "DENY");
	}

	/**
	 * The limit and what is left of it, on every response a company's client gets, so that it can slow down before it
	 * is refused: the IETF httpapi draft's fields (draft-ietf-httpapi-ratelimit-headers), whose reset is in seconds from
	 * now, not a time by a clock the client may not share (Okta's and GitHub's {@code X-Rate-Limit-Reset}).
	 */
	private void rateLimitFields(HttpServletResponse response, ScimRateLimit.Decision decision) {
		response.setHeader("RateLimit-Policy", this.ratePolicy);
		response.setHeader("RateLimit", "\"company\";r=" + decision.remaining() + ";t=" + decision.resetSeconds());
	}

	@Configuration(proxyBeanMethods = false)
	static class Registration {

		/**
		 * Right after Spring Security's filter, where its SCIM chain used to check the token: after the request log
		 * and the turns ({@link ScimRequestLogFilter}, {@link ScimAdmission}), which so see refused requests too, and
		 * after the company is known and Spring Security's firewall has refused malformed requests.
		 * @param perSecond the company's limit on all nodes together; 0 for {@link ScimRateLimit#forThisNode()}
		 */
		@Bean
		FilterRegistrationBean<ScimAuthenticationFilter> scimAuthenticationFilter(ScimTokens tokens,
				ScimSettingsStore settings, ScimRateLeases leases,
				@Value("${rollcall.scim.requests-per-second:0}") int perSecond) {
			var rateLimit = new ScimRateLimit(perSecond > 0 ? perSecond : ScimRateLimit.forThisNode(),
					System::currentTimeMillis, leases);
			var registration = new FilterRegistrationBean<>(new ScimAuthenticationFilter(tokens, settings, rateLimit));
			registration.setName("scimAuthenticationFilter");
			registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 1);
			registration.addUrlPatterns("/scim/*");
			return registration;
		}

	}

}
