package io.rollcall.sso;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.rollcall.company.ApiKeys;
import io.rollcall.directory.People;
import io.rollcall.platform.RollcallProperties;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	/**
	 * Spring Security observes nothing itself. Turned off by property alone ({@code management.observations.enable}),
	 * its observations were only silenced: every filter of every chain and every authentication stayed wrapped, a
	 * twelfth of a token request's CPU (bench/RESULTS.md); with this setting the wrappers are not made. The
	 * {@code http.server.requests} timer still measures each request as a whole.
	 */
	@Bean
	SecurityObservationSettings securityObservations() {
		return SecurityObservationSettings.noObservations();
	}

	/**
	 * SCIM 2.0 signs its callers in itself, with its own filter ({@code scim.ScimAuthenticationFilter}): Spring
	 * Security's filters cost a SCIM lookup more CPU than its handler (bench/RESULTS.md, issue 19). A chain of no
	 * filters rather than {@code WebSecurity.ignoring()}, which would do the same but warn at every start; first, so
	 * that no later chain takes /scim/** for its own. The firewall still refuses malformed requests before any chain.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	SecurityFilterChain scimSecurity() {
		return new DefaultSecurityFilterChain(PathPatternRequestMatcher.withDefaults().matcher("/scim/**"));
	}

	/**
	 * Identity providers' webhooks: no session, no CSRF (no cookies are read); each receiver authenticates what it
	 * receives itself (Graph's clientState, Okta's secret header).
	 */
	@Bean
	@Order(0)
	SecurityFilterChain hookSecurity(HttpSecurity http) throws Exception {
		stateless(http, "/hooks/**")
			.authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
		return http.build();
	}

	/**
	 * Metrics for Prometheus: they tell about every company (request paths, counts, pool and JVM state), so only the
	 * operator may scrape them, with the operator token on the bare base domain, like the operator API.
	 */
	@Bean
	@Order(1)
	SecurityFilterChain metricsSecurity(HttpSecurity http, ApiKeys apiKeys, RollcallProperties properties)
			throws Exception {
		stateless(http, "/actuator/prometheus")
			.addFilterBefore(new ApiCredentialsFilter(apiKeys, properties), AnonymousAuthenticationFilter.class)
			.authorizeHttpRequests(requests -> requests.anyRequest().hasRole("OPERATOR"))
			.exceptionHandling(errors -> errors
				.authenticationEntryPoint((request, response, ex) -> problem(response, 401,
						"Metrics are for the operator: send the operator token as 'Authorization: Bearer <token>' on the base domain"))
				.accessDeniedHandler((request, response, ex) -> problem(response, 403,
						"Metrics are for the operator: send the operator token on the base domain")));
		return http.build();
	}

	/** The JSON API: stateless, bearer credentials, no CSRF (no cookies are read). */
	@Bean
	@Order(1)
	SecurityFilterChain apiSecurity(HttpSecurity http, ApiKeys apiKeys, RollcallProperties properties)
			throws Exception {
		stateless(http, "/api/**")
			.addFilterBefore(new ApiCredentialsFilter(apiKeys, properties), AnonymousAuthenticationFilter.class)
			.authorizeHttpRequests(requests -> requests
				.requestMatchers("/api/openapi/**", "/api/openapi", "/api/docs/**", "/api/docs",
						"/api/swagger-ui/**", "/api/swagger-ui.html")
				.permitAll()
				.requestMatchers("/api/v1/companies", "/api/v1/companies/**", "/api/v1/applications",
						"/api/v1/applications/**")
				.hasRole("OPERATOR")
				.anyRequest()
				.hasRole("API"))
			.exceptionHandling(errors -> errors
				.authenticationEntryPoint((request, response, ex) -> problem(response, 401,
						"Send a valid API key of this company as 'Authorization: Bearer <key>'"))
				.accessDeniedHandler((request, response, ex) -> problem(response, 403,
						"These credentials may not do this here")));
		return http.build();
	}

	/** A chain for callers without cookies (APIs, hooks, metrics): no session, no CSRF, no saved request. */
	private static HttpSecurity stateless(HttpSecurity http, String pattern) throws Exception {
		return http.securityMatcher(pattern)
			.csrf(csrf -> csrf.disable())
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(cache -> cache.disable());
	}

	/** Pages: sessions, sign-in form, CSRF on every form and htmx request; the console for owners and admins. */
	@Bean
	@Order(2)
	SecurityFilterChain webSecurity(HttpSecurity http, People people, SingleSignOnConfigurer singleSignOn)
			throws Exception {
		var failure = new SimpleUrlAuthenticationFailureHandler("/login?error") {
			@Override
			public void onAuthenticationFailure(jakarta.servlet.http.HttpServletRequest request,
					HttpServletResponse response, org.springframework.security.core.AuthenticationException ex)
					throws IOException, jakarta.servlet.ServletException {
				if (ex instanceof DeactivatedAccountException) {
					String authorize = SsoSignInHandler.waitingAuthorizeRequest(request, response);
					if (authorize != null) {
						// As at single sign-on: the application hears of it (access_denied), from the authorize endpoint.
						SignInRefusal.remember(request, "deactivated");
						response.sendRedirect(authorize);
						return;
					}
				}
				setDefaultFailureUrl(ex instanceof DeactivatedAccountException ? "/login?deactivated"
						: ex instanceof LockedException ? "/login?locked"
								: ex instanceof DisabledException ? "/login?ssoOnly" : "/login?error");
				super.onAuthenticationFailure(request, response, ex);
			}
		};
		// PasswordSignIn, the only AuthenticationProvider bean, is the global provider; registering it here as
		// well would run it twice per attempt (child, then parent) and count every failure twice.
		http.addFilterBefore(new SessionCompanyGuard(people), AnonymousAuthenticationFilter.class)
			.authorizeHttpRequests(requests -> requests
				.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info")
				.permitAll()
				.requestMatchers("/login", "/invitations/**", "/webjars/**", "/css/**", "/js/**", "/favicon.ico",
						"/favicon.svg", "/error",
						"/swagger-ui/**", "/swagger-ui.html", "/v3/api-docs/**")
				.permitAll()
				.requestMatchers(HttpMethod.GET, "/")
				.permitAll()
				.requestMatchers(SingleSignOnConfigurer.PUBLIC_PATHS)
				.permitAll()
				// Synced photos: their URLs hold the photo's hash and are handed to the host application.
				.requestMatchers(HttpMethod.GET, "/avatars/**")
				.permitAll()
				.requestMatchers("/console", "/console/**")
				.hasAnyRole("OWNER", "ADMIN")
				.anyRequest()
				.authenticated())
			.formLogin(form -> form.loginPage("/login")
				.usernameParameter("email")
				.defaultSuccessUrl("/", false)
				.failureHandler(failure))
			.logout(logout -> logout.logoutUrl("/logout").deleteCookies("ROLLCALL_SESSION"))
			.sessionManagement(session -> session.sessionFixation(fixation -> fixation.changeSessionId()))
			.headers(headers -> headers
				.contentSecurityPolicy(csp -> csp.policyDirectives(
						"default-src 'self'; img-src 'self' https: data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'"))
				.referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)));
		// OpenID Connect sign-in, sign-out at the provider and session lifetime: see SingleSignOnConfigurer.
		singleSignOn.applyTo(http);
		return http.build();
	}

	private static void problem(HttpServletResponse response, int status, String detail) throws IOException {
		response.setStatus(status);
		response.setContentType("application/problem+json");
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		String title = status == 401 ? "Unauthorized" : "Forbidden";
		response.getWriter()
			.write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\""
					+ detail.replace("\"", "'") + "\"}");
	}

}
