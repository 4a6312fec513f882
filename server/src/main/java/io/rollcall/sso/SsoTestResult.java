package io.rollcall.sso;

import java.io.Serializable;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpSession;

/**
 * What an admin's "Test sign-in" found: the claims the provider sent and whom they match, shown once on the
 * console's SSO page. Nobody is signed in or linked by a test.
 *
 * @param outcome how the claims match, e.g. {@code by_identity}, {@code by_email}, {@code unknown}, or
 * {@code failed} when the provider's answer was refused
 * @param personEmail the matched person, if any
 */
public record SsoTestResult(String outcome, String explanation, Map<String, String> claims, String personEmail,
		String personName) implements Serializable {

	static final String ATTRIBUTE = SsoTestResult.class.getName();

	/** The result of the admin's last test, removed from the session as it is read. */
	public static Optional<SsoTestResult> take(HttpSession session) {
		if (session == null) {
			return Optional.empty();
		}
		Object result = session.getAttribute(ATTRIBUTE);
		session.removeAttribute(ATTRIBUTE);
		return Optional.ofNullable((SsoTestResult) result);
	}

	public boolean signsIn() {
		return "by_identity".equals(this.outcome) || "by_email".equals(this.outcome) || "create".equals(this.outcome);
	}

}
