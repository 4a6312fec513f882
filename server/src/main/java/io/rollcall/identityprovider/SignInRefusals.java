package io.rollcall.identityprovider;

import io.rollcall.sso.SignInRefusal;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Checks an authorize request after its client, redirect URI and scopes passed: when the sign-in it waited for was
 * refused (an unknown or deactivated person at single sign-on), the person goes back to the application with
 * {@code access_denied} and the reason, to the redirect URI just checked, rather than to a sign-in page again.
 */
final class SignInRefusals {

	private SignInRefusals() {
	}

	static void refuseIfSignInRefused(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
		OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
		if (request.getPrincipal() instanceof Authentication person && person.isAuthenticated()
				&& !(person instanceof AnonymousAuthenticationToken)) {
			return;
		}
		if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
			return;
		}
		SignInRefusal.take(attributes.getRequest()).ifPresent(refusal -> {
			throw new OAuth2AuthorizationCodeRequestAuthenticationException(
					new OAuth2Error(OAuth2ErrorCodes.ACCESS_DENIED, refusal.description(), null), request);
		});
	}

}
