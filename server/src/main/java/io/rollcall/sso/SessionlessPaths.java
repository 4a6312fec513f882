package io.rollcall.sso;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.util.Assert;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The paths whose callers bring their credentials with every request (the API, SCIM, the receivers, the metrics, the
 * authorization server's token, introspection, revocation, JWKS and userinfo endpoints), and the static files every
 * page loads (stylesheet, scripts, icons, avatars), never read or write the session table, even when a browser sends
 * its session cookie along (every page's stylesheet, Swagger UI's "Try it out"): Spring Session, which runs after
 * this filter, does not see the cookie there. Without this, Spring MVC's flash attributes alone would read the session
 * and write its last access on each such request, three statements for every file a page loads.
 */
final class SessionlessPaths extends OncePerRequestFilter {

	static final List<String> PREFIXES = List.of("/api/", "/scim/", "/hooks/", "/actuator/", "/css/", "/js/",
			"/webjars/", "/avatars/");

	static final Set<String> ENDPOINTS = Set.of("/oauth2/token", "/oauth2/introspect", "/oauth2/revoke",
			"/oauth2/jwks", "/userinfo", "/favicon.ico", "/favicon.svg");

	private final String cookieName;

	SessionlessPaths(String cookieName) {
		Assert.hasText(cookieName, "cookieName cannot be empty");
		this.cookieName = cookieName;
	}

	static boolean sessionless(String path) {
		return ENDPOINTS.contains(path) || PREFIXES.stream().anyMatch(path::startsWith);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		chain.doFilter(sessionless(path) ? new WithoutSessionCookie(request, this.cookieName) : request, response);
	}

	private static final class WithoutSessionCookie extends HttpServletRequestWrapper {

		private final String cookieName;

		WithoutSessionCookie(HttpServletRequest request, String cookieName) {
			super(request);
			this.cookieName = cookieName;
		}

		@Override
		public Cookie[] getCookies() {
			Cookie[] cookies = super.getCookies();
			if (cookies == null) {
				return null;
			}
			Cookie[] kept = Arrays.stream(cookies)
				.filter(cookie -> !this.cookieName.equals(cookie.getName()))
				.toArray(Cookie[]::new);
			return kept.length == 0 ? null : kept;
		}

	}

}
