package io.rollcall.identityprovider;

import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.rollcall.company.CurrentCompany;
import io.rollcall.sso.SessionChecks;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.authentication.ClientSecretAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2RefreshTokenGenerator;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.preauth.AbstractPreAuthenticatedProcessingFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The authorization server's endpoints, on company hosts only: each company is an issuer, {@code
 * https://{slug}.{base-domain}}, the issuer Spring Authorization Server takes from the request's host when none is
 * configured. Its chain matches only its own endpoints ({@code /oauth2/authorize}, {@code /oauth2/token}, {@code
 * /oauth2/jwks}, {@code /userinfo}, {@code /connect/logout}, the discovery documents, ...), none of which another chain
 * serves, so the pages, API, SCIM and hook chains are unchanged; it is ordered before the page chain, which matches
 * every request.
 */
@Configuration(proxyBeanMethods = false)
class IdentityProviderSecurity {

	private static final String AUTHORIZE = "/oauth2/authorize";

	@Bean
	@Order(1)
	SecurityFilterChain authorizationServerSecurity(HttpSecurity http, IdentityProviderStores stores, SigningKeys keys,
			PersonClaims claims, SessionChecks sessionChecks) throws Exception {
		NimbusJwtEncoder encoder = new NimbusJwtEncoder(keys);
		// The newest key signs; older ones stay in the JWKS only to verify what they signed.
		encoder.setJwkSelector(candidates -> candidates.getFirst());
		JwtGenerator jwt = new JwtGenerator(new CompactJwtEncoder(keys::signing, encoder));
		jwt.setJwtCustomizer(claims);
		ClientSecretDigest digest = new ClientSecretDigest();
		ClientAssertionDecoders assertionDecoders = new ClientAssertionDecoders();
		RequestMatcher onCompanyHost = request -> CurrentCompany.of(request).isPresent();
		http.oauth2AuthorizationServer(server -> {
			http.securityMatcher(new AndRequestMatcher(onCompanyHost, server.getEndpointsMatcher()));
			server.registeredClientRepository(stores.companyClients())
				.authorizationService(stores.companyAuthorizations())
				.authorizationConsentService(stores.consents())
				// No issuer set: each request's host is its issuer, one per company.
				.authorizationServerSettings(AuthorizationServerSettings.builder().build())
				.tokenGenerator(new DelegatingOAuth2TokenGenerator(jwt, new OAuth2RefreshTokenGenerator()))
				.tokenEndpoint(token -> token.accessTokenResponseHandler(new TokenResponses()))
				.clientAuthentication(clients -> clients.authenticationProviders(providers -> providers.forEach(p -> {
					if (p instanceof ClientSecretAuthenticationProvider secrets) {
						secrets.setPasswordEncoder(digest);
					}
					if (p instanceof JwtClientAssertionAuthenticationProvider assertions) {
						assertions.setJwtDecoderFactory(assertionDecoders);
					}
				})))
				.authorizationEndpoint(
						authorize -> authorize.authenticationProviders(providers -> providers.forEach(p -> {
							if (p instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider codes) {
								codes.setAuthenticationValidator(
										new OAuth2AuthorizationCodeRequestAuthenticationValidator()
											.andThen(SignInRefusals::refuseIfSignInRefused));
							}
						})))
				.oidc(oidc -> oidc.userInfoEndpoint(userInfo -> userInfo.userInfoMapper(claims::userInfo))
					// An application may ask for ES256 ID tokens (Applications); RS256 stays the default.
					.providerConfigurationEndpoint(discovery -> discovery.providerConfigurationCustomizer(
							configuration -> configuration.idTokenSigningAlgorithms(algorithms -> {
								algorithms.clear();
								SigningKeys.ALGORITHMS.forEach(algorithm -> algorithms.add(algorithm.getName()));
							}))));
		})
			.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
			// Not signed in: the company's own sign-in page (SSO button, password where allowed), then back here.
			.exceptionHandling(errors -> errors.defaultAuthenticationEntryPointFor(
					new LoginUrlAuthenticationEntryPoint("/login"), PathPatternRequestMatcher.pathPattern(AUTHORIZE)))
			// The userinfo endpoint takes the access token as a bearer token.
			.oauth2ResourceServer(resource -> resource.jwt(token -> token.decoder(decoder(keys))))
			// Just before client authentication (registered after this filter class when the chain is built).
			.addFilterBefore(new FormParametersReadOnce(), AbstractPreAuthenticatedProcessingFilter.class);
		sessionChecks.applyTo(http);
		return http.build();
	}

	/** Read by the authorization server's configuration, which finds it by type; no other chain asks for one. */
	@Bean
	SessionRegistry authorizationServerSessions() {
		return new UntrackedSessions();
	}

	private static NimbusJwtDecoder decoder(SigningKeys keys) {
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
				java.util.Set.copyOf(SigningKeys.ALGORITHMS), keys));
		return new NimbusJwtDecoder(processor);
	}

}
