package io.rollcall.sso;

import java.time.Clock;
import java.time.Duration;

import io.rollcall.company.CompanyHosts;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.stereotype.Component;

/**
 * The single sign-on part of the page security: OpenID Connect login with the company-aware registrations, PKCE
 * for every client, the start-from-home guard, sign-out at the provider, and the absolute session timeout.
 */
@Component
final class SingleSignOnConfigurer {

	private final CompanyClientRegistrations registrations;

	private final SsoSignInHandler handler;

	private final SsoSignOut signOut;

	private final Duration absoluteTimeout;

	private final Clock clock;

	SingleSignOnConfigurer(CompanyClientRegistrations registrations, SingleSignOn singleSignOn, SsoAccounts accounts,
			CompanyHosts hosts, @Value("${rollcall.session.absolute-timeout:12h}") Duration absoluteTimeout,
			Clock clock) {
		this.registrations = registrations;
		this.handler = new SsoSignInHandler(singleSignOn, accounts, registrations);
		this.signOut = new SsoSignOut(registrations, hosts);
		this.absoluteTimeout = absoluteTimeout;
		this.clock = clock;
	}

	static final String[] PUBLIC_PATHS = { "/sso/start", SsoFlowGuard.DEEP_LINK_PAGE, "/sso/refused" };

	void applyTo(HttpSecurity http) throws Exception {
		var resolver = new DefaultOAuth2AuthorizationRequestResolver(this.registrations,
				OAuth2AuthorizationRequestRedirectFilter.DEFAULT_AUTHORIZATION_REQUEST_BASE_URI);
		// PKCE also for confidential clients: a stolen code is useless without the verifier in this session.
		resolver.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
		http.oauth2Login(login -> login.loginPage("/login")
			.clientRegistrationRepository(this.registrations)
			// Kept in the session, not in a server-wide map that would grow with every sign-in.
			.authorizedClientRepository(new HttpSessionOAuth2AuthorizedClientRepository())
			.authorizationEndpoint(endpoint -> endpoint.authorizationRequestResolver(resolver))
			.successHandler(this.handler)
			.failureHandler(this.handler))
			.addFilterBefore(new SsoFlowGuard(), OAuth2AuthorizationRequestRedirectFilter.class)
			.addFilterBefore(new SessionLifetime(this.absoluteTimeout, this.clock), AnonymousAuthenticationFilter.class)
			.logout(logout -> logout.addLogoutHandler(this.signOut).logoutSuccessHandler(this.signOut));
	}

}
