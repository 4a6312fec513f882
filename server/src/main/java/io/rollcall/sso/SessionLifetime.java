package io.rollcall.sso;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The absolute timeout of a signed-in session: however active, it ends this long after the sign-in. (The idle
 * timeout is the servlet session's own, {@code server.servlet.session.timeout}.) Time is read from the
 * application's {@link Clock}, so tests can move past the timeout without waiting for it.
 */
final class SessionLifetime extends OncePerRequestFilter {

	static final String SIGNED_IN_AT = SessionLifetime.class.getName() + ".signedInAt";

	private final Duration absoluteTimeout;

	private final Clock clock;

	SessionLifetime(Duration absoluteTimeout, Clock clock) {
		this.absoluteTimeout = absoluteTimeout;
		this.clock = clock;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		HttpSession session = request.getSession(false);
		if (session != null && authentication != null
				&& authentication.getPrincipal() instanceof SignedInPerson person) {
			Object at = session.getAttribute(SIGNED_IN_AT);
			// Keyed on the person: a session that changes hands (a new sign-in) starts its own clock.
			String mark = person.personId().toString();
			if (!(at instanceof String value) || !value.startsWith(mark + "@")) {
				session.setAttribute(SIGNED_IN_AT, mark + "@" + this.clock.millis());
			}
			else if (this.clock.millis() - Long.parseLong(value.substring(mark.length() + 1)) > this.absoluteTimeout
				.toMillis()) {
				SecurityContextHolder.clearContext();
				session.invalidate();
			}
		}
		chain.doFilter(request, response);
	}

}
