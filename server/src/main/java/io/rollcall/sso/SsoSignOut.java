package io.rollcall.sso;

import java.io.IOException;
import java.util.Optional;

import io.rollcall.company.Company;
import io.rollcall.company.CompanyHosts;
import io.rollcall.company.CurrentCompany;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.web.authentication.logout.LogoutHandler;
import org.springframework.security.web.authentication.logout.LogoutSuccessHandler;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Signing out: always here; and at the provider too (RP-initiated logout) when the person signed in with single
 * sign-on and the provider's discovery document names an {@code end_session_endpoint}.
 */
final class SsoSignOut implements LogoutHandler, LogoutSuccessHandler {

	private static final String PENDING = SsoSignOut.class.getName() + ".pending";

	private final CompanyClientRegistrations registrations;

	private final CompanyHosts hosts;

	SsoSignOut(CompanyClientRegistrations registrations, CompanyHosts hosts) {
		this.registrations = registrations;
		this.hosts = hosts;
	}

	/** Runs before the session is invalidated: keeps what the provider needs for the sign-out. */
	@Override
	public void logout(HttpServletRequest request, HttpServletResponse response, Authentication authentication) {
		HttpSession session = request.getSession(false);
		if (session != null && session.getAttribute(SsoSignInHandler.ID_TOKEN) instanceof String idToken
				&& session.getAttribute(SsoSignInHandler.END_SESSION) instanceof String endSession) {
			request.setAttribute(PENDING, new String[] { idToken, endSession });
		}
	}

	@Override
	public void onLogoutSuccess(HttpServletRequest request, HttpServletResponse response, Authentication authentication)
			throws IOException {
		Optional<Company> company = CurrentCompany.of(request);
		if (request.getAttribute(PENDING) instanceof String[] pending && company.isPresent()) {
			String back = this.hosts.baseUrl(company.get()) + "/login?signedOut";
			var uri = UriComponentsBuilder.fromUriString(pending[1])
				.queryParam("id_token_hint", pending[0])
				.queryParam("post_logout_redirect_uri", back);
			try {
				this.registrations.forCompany(company.get())
					.map(ClientRegistration::getClientId)
					.ifPresent(clientId -> uri.queryParam("client_id", clientId));
			}
			catch (ProviderDiscovery.DiscoveryException ex) {
				// The hint alone identifies the client; signing out here must not fail on the provider's state.
			}
			response.sendRedirect(uri.encode().build().toUriString());
			return;
		}
		response.sendRedirect(request.getContextPath() + "/login?signedOut");
	}

}
