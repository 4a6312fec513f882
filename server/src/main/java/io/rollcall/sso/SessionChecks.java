package io.rollcall.sso;

import java.time.Clock;
import java.time.Duration;

import io.rollcall.directory.People;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.stereotype.Component;

/**
 * The checks every request with a signed-in session passes, for security chains outside this module (the OpenID
 * Provider's authorize endpoint): the session counts only on its own company's host, ends when the person is
 * deactivated, and ends at the absolute timeout, exactly as on the pages.
 */
@Component
public final class SessionChecks {

	private final People people;

	private final Duration absoluteTimeout;

	private final Clock clock;

	SessionChecks(People people, @Value("${rollcall.session.absolute-timeout:12h}") Duration absoluteTimeout,
			Clock clock) {
		this.people = people;
		this.absoluteTimeout = absoluteTimeout;
		this.clock = clock;
	}

	/** Adds the checks right after the session's sign-in is read, before any endpoint acts on it. */
	public void applyTo(HttpSecurity http) {
		http.addFilterAfter(new SessionLifetime(this.absoluteTimeout, this.clock), SecurityContextHolderFilter.class)
			.addFilterAfter(new SessionCompanyGuard(this.people), SessionLifetime.class);
	}

}
