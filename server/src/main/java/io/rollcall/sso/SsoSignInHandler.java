package io.rollcall.sso;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.rollcall.company.Company;
import io.rollcall.company.CurrentCompany;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.util.Assert;

/**
 * After the provider's answer passed every check (state, code, PKCE, ID token signature, issuer, tenant, audience,
 * expiry, nonce): decides who signs in. The session then holds a {@link SignedInPerson} like a password sign-in,
 * never the provider's token as a principal. A test from the console only reports, and puts the admin back.
 */
final class SsoSignInHandler implements AuthenticationSuccessHandler, AuthenticationFailureHandler {

	private static final Logger log = LoggerFactory.getLogger(SsoSignInHandler.class);

	/** For RP-initiated sign-out at the provider. */
	static final String ID_TOKEN = SsoSignInHandler.class.getName() + ".idToken";

	static final String END_SESSION = SsoSignInHandler.class.getName() + ".endSession";

	private final SingleSignOn singleSignOn;

	private final SsoAccounts accounts;

	private final CompanyClientRegistrations registrations;

	private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

	SsoSignInHandler(SingleSignOn singleSignOn, SsoAccounts accounts, CompanyClientRegistrations registrations) {
		Assert.notNull(singleSignOn, "singleSignOn cannot be null");
		Assert.notNull(accounts, "accounts cannot be null");
		this.singleSignOn = singleSignOn;
		this.accounts = accounts;
		this.registrations = registrations;
	}

	@Override
	public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
			Authentication authentication) throws IOException {
		HttpSession session = request.getSession();
		boolean test = "test".equals(session.getAttribute(SsoFlowGuard.MODE));
		Authentication tester = (Authentication) session.getAttribute(SsoFlowPages.TESTER);
		SsoFlowGuard.finish(request);
		session.removeAttribute(SsoFlowGuard.MODE);
		session.removeAttribute(SsoFlowPages.TESTER);
		Company company = CurrentCompany.of(request).orElseThrow();
		OAuth2AuthenticationToken token = (OAuth2AuthenticationToken) authentication;
		OidcUser user = (OidcUser) token.getPrincipal();
		SsoSettings settings = this.singleSignOn.active(company.id()).orElse(null);
		if (settings == null) {
			refuse(request, response, tester, "not-configured");
			return;
		}
		Map<String, Object> claims = user.getIdToken().getClaims();
		if (test) {
			SsoAccounts.Match match = this.accounts.match(company.id(), settings, claims);
			session.setAttribute(SsoTestResult.ATTRIBUTE,
					new SsoTestResult(match.outcome().name().toLowerCase(Locale.ROOT),
							explain(match), shown(claims), match.person() == null ? null : match.person().email(),
							match.person() == null ? null : match.person().displayName()));
			putBack(request, response, tester);
			response.sendRedirect(request.getContextPath() + "/console/sso#test-result");
			return;
		}
		SsoAccounts.Match match = this.accounts.signIn(company.id(), settings, claims);
		if (!match.outcome().signsIn()) {
			log.info("Single sign-on refused for company {}: {}", company.slug(), match.outcome());
			refuse(request, response, null, match.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-'));
			return;
		}
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(
				PasswordSignIn.signedIn(match.person(), company.id(), SignedInPerson.SINGLE_SIGN_ON));
		SecurityContextHolder.setContext(context);
		this.contexts.saveContext(context, request, response);
		session.setAttribute(ID_TOKEN, user.getIdToken().getTokenValue());
		this.registrations.forCompany(company)
			.map(r -> r.getProviderDetails().getConfigurationMetadata().get("end_session_endpoint"))
			.ifPresent(end -> session.setAttribute(END_SESSION, end.toString()));
		response.sendRedirect(continuation(request, response));
	}

	/**
	 * Where a signed-in person goes: back to the application's authorize request that sent them to sign in (Rollcall
	 * as OpenID Provider), otherwise the home page. Only an authorize request of this host counts.
	 */
	private static String continuation(HttpServletRequest request, HttpServletResponse response) {
		String authorize = waitingAuthorizeRequest(request, response);
		return authorize != null ? authorize : request.getContextPath() + "/";
	}

	/** The application's authorize request waiting in this session for the sign-in, if any. */
	static String waitingAuthorizeRequest(HttpServletRequest request, HttpServletResponse response) {
		SavedRequest saved = new HttpSessionRequestCache().getRequest(request, response);
		if (saved != null) {
			java.net.URI uri = java.net.URI.create(saved.getRedirectUrl());
			if (AUTHORIZE_ENDPOINT.equals(uri.getRawPath())
					&& request.getServerName().equalsIgnoreCase(uri.getHost())) {
				return saved.getRedirectUrl();
			}
		}
		return null;
	}

	private static final String AUTHORIZE_ENDPOINT = "/oauth2/authorize";

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		HttpSession session = request.getSession(false);
		boolean test = session != null && "test".equals(session.getAttribute(SsoFlowGuard.MODE));
		Authentication tester = session == null ? null : (Authentication) session.getAttribute(SsoFlowPages.TESTER);
		SsoFlowGuard.finish(request);
		String code = exception instanceof OAuth2AuthenticationException oauth ? oauth.getError().getErrorCode()
				: "failed";
		// The error code and description name what failed; they never hold a token or secret.
		log.info("Single sign-on failed at {}: {} {}", request.getServerName(), code, exception.getMessage());
		if (test && session != null) {
			session.removeAttribute(SsoFlowGuard.MODE);
			session.removeAttribute(SsoFlowPages.TESTER);
			session.setAttribute(SsoTestResult.ATTRIBUTE, new SsoTestResult("failed",
					"The provider's answer was refused: " + code + ". " + exception.getMessage(), Map.of(), null,
					null));
			putBack(request, response, tester);
			response.sendRedirect(request.getContextPath() + "/console/sso#test-result");
			return;
		}
		toRefusal(request, response, null, "access_denied".equals(code) ? "access-denied" : "failed");
	}

	private void refuse(HttpServletRequest request, HttpServletResponse response, Authentication tester, String reason)
			throws IOException {
		putBack(request, response, tester);
		toRefusal(request, response, tester, reason);
	}

	private static void toRefusal(HttpServletRequest request, HttpServletResponse response, Authentication tester,
			String reason) throws IOException {
		String authorize = tester == null ? waitingAuthorizeRequest(request, response) : null;
		if (authorize != null) {
			// An application sent the person here: it hears of the refusal (access_denied), from the authorize endpoint.
			SignInRefusal.remember(request, reason);
			response.sendRedirect(authorize);
			return;
		}
		response.sendRedirect(request.getContextPath() + "/sso/refused?reason=" + reason);
	}

	/** The session's sign-in becomes what it was before the flow: the tester, or nobody. */
	private void putBack(HttpServletRequest request, HttpServletResponse response, Authentication tester) {
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		if (tester != null) {
			context.setAuthentication(tester);
		}
		SecurityContextHolder.setContext(context);
		this.contexts.saveContext(context, request, response);
	}

	private static Map<String, String> shown(Map<String, Object> claims) {
		Map<String, String> shown = new TreeMap<>();
		claims.forEach((name, value) -> shown.put(name, String.valueOf(value)));
		return shown;
	}

	private static String explain(SsoAccounts.Match match) {
		return switch (match.outcome()) {
			case BY_IDENTITY -> "Matched by the stored " + match.source() + " id " + match.externalId() + ".";
			case BY_EMAIL -> "Matched by e-mail " + match.email() + "; the first real sign-in stores the "
					+ match.source() + " id " + match.externalId() + ".";
			case BY_SIGN_IN_NAME -> "Matched by sign-in name (the token's preferred_username or upn; nobody has its "
					+ "e-mail); the first real sign-in stores the " + match.source() + " id " + match.externalId()
					+ ".";
			case CREATE -> "Nobody has e-mail " + match.email() + "; a real sign-in would create this person.";
			case UNKNOWN -> "Nobody in this company has e-mail " + match.email() + " or " + match.source() + " id "
					+ match.externalId() + ": the sign-in would be refused.";
			case DEACTIVATED -> "Matches a deactivated person: the sign-in would be refused.";
			case MISSING_CLAIMS ->
				"The token lacks the claims people are matched by (" + (match.source().equals("entra")
						? "oid and preferred_username"
						: match.source().equals("oidc") ? "sub and a verified email" : "sub and email") + ").";
			case LINKED_ELSEWHERE ->
				"The person with e-mail " + match.email() + " is linked to another " + match.source()
						+ " account: the sign-in would be refused.";
		};
	}

}
