package io.rollcall.sso;

import java.io.Serializable;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

/**
 * A single sign-on refused while an application's authorize request waited for it (Rollcall as OpenID Provider):
 * kept in the session for the authorize endpoint, which sends the person back to the application with
 * {@code access_denied} and this description instead of leaving them on Rollcall's refusal page.
 *
 * @param reason as on the refusal page: {@code unknown}, {@code deactivated}, {@code missing-claims}, ...
 * @param description for the person, in the application's error page
 */
public record SignInRefusal(String reason, String description) implements Serializable {

	private static final String ATTRIBUTE = SignInRefusal.class.getName();

	static void remember(HttpServletRequest request, String reason) {
		request.getSession().setAttribute(ATTRIBUTE, new SignInRefusal(reason, describe(reason)));
	}

	/** The refusal waiting in this request's session, removed as it is taken. */
	public static Optional<SignInRefusal> take(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		if (session == null) {
			return Optional.empty();
		}
		SignInRefusal refusal = (SignInRefusal) session.getAttribute(ATTRIBUTE);
		session.removeAttribute(ATTRIBUTE);
		return Optional.ofNullable(refusal);
	}

	/** The refusal page's words, in one line an application can show. */
	static String describe(String reason) {
		return switch (reason) {
			case "unknown" -> "Your account does not exist in Rollcall yet. Ask your company's Rollcall admin to add "
					+ "you, then sign in again.";
			case "deactivated" -> "Your Rollcall account is deactivated. Ask your company's Rollcall admin if you need "
					+ "it back.";
			case "missing-claims" -> "Your identity provider did not say who you are in a way Rollcall can use. Ask "
					+ "your company's Rollcall admin to check the single sign-on set-up.";
			case "linked-elsewhere" -> "Your Rollcall account is linked to another account of your identity provider. "
					+ "Ask your company's Rollcall admin to check it.";
			case "not-configured" -> "Single sign-on is not set up for this company.";
			case "access-denied" -> "Your identity provider did not let you sign in to Rollcall.";
			default -> "Signing in with your identity provider did not succeed. Try again.";
		};
	}

}
