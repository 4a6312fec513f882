package io.rollcall.sso;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Single sign-on starts only from the company's own sign-in page: its button POSTs (with a CSRF token) to
 * {@code /sso/start}, which marks the session. A link straight into {@code /oauth2/authorization/{id}} or the
 * callback {@code /login/oauth2/code/{id}} without that mark is sent to a page pointing at the company's home page.
 */
final class SsoFlowGuard extends OncePerRequestFilter {

	static final String AUTHORIZATION = "/oauth2/authorization/";

	static final String CALLBACK = "/login/oauth2/code/";

	/** Set by {@code /sso/start}, used up by the redirect to the provider. */
	static final String STARTED = SsoFlowGuard.class.getName() + ".started";

	/** Set while the provider has the person: only this registration's callback is expected. */
	static final String AWAITING = SsoFlowGuard.class.getName() + ".awaiting";

	/** {@code sign-in} or {@code test} (an admin's "Test sign-in" in the console). */
	static final String MODE = SsoFlowGuard.class.getName() + ".mode";

	static final String DEEP_LINK_PAGE = "/sso/start-from-home";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		boolean authorization = path.startsWith(AUTHORIZATION);
		boolean callback = path.startsWith(CALLBACK);
		if (!authorization && !callback) {
			chain.doFilter(request, response);
			return;
		}
		String registrationId = path.substring((authorization ? AUTHORIZATION : CALLBACK).length());
		HttpSession session = request.getSession(false);
		String expected = session == null ? null : (String) session.getAttribute(authorization ? STARTED : AWAITING);
		if (expected == null || !expected.equals(registrationId)) {
			response.sendRedirect(request.getContextPath() + DEEP_LINK_PAGE);
			return;
		}
		if (authorization) {
			// One start, one trip to the provider: reloading the redirect does not start another flow.
			session.removeAttribute(STARTED);
			session.setAttribute(AWAITING, registrationId);
		}
		chain.doFilter(request, response);
	}

	static void finish(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		if (session != null) {
			session.removeAttribute(STARTED);
			session.removeAttribute(AWAITING);
		}
	}

}
