package com.example.learning;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The host application in miniature: a relying party built on Spring Security's OAuth2 client, as an application
 * integrating Rollcall would be, signing people in with the code flow and PKCE at one company's issuer. Spring
 * Security checks the ID token (signature against the JWKS, issuer, audience, nonce, expiry) before this application
 * sees it; its home page then shows the claims and the raw ID token. It takes OpenID Connect Back-Channel Logout at
 * {@code /logout/connect/back-channel/rollcall}, which Spring Security validates and turns into the end of the
 * person's session here. Only the auto-configuration a web application
 * with sign-in needs is imported, none of Rollcall's (which shares the classpath), and it lives outside
 * {@code io.rollcall} so that neither Rollcall's component scan nor its tests' configuration search finds it.
 */
public final class LearningPlatform implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private LearningPlatform(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/** Starts on {@code port}, as client {@code clientId} of {@code issuer}, discovering its endpoints from it. */
	public static LearningPlatform start(int port, String issuer, String clientId, String clientSecret) {
		String registration = "--spring.security.oauth2.client.registration.rollcall.";
		ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class).run(
				"--server.port=" + port, "--spring.config.name=learning-platform", "--spring.main.banner-mode=off",
				registration + "client-id=" + clientId, registration + "client-secret=" + clientSecret,
				registration + "client-authentication-method=client_secret_basic",
				registration + "authorization-grant-type=authorization_code",
				registration + "redirect-uri={baseUrl}/login/oauth2/code/{registrationId}",
				registration + "scope=openid,profile,email,rollcall",
				"--spring.security.oauth2.client.provider.rollcall.issuer-uri=" + issuer);
		return new LearningPlatform(context);
	}

	@Override
	public void close() {
		this.context.close();
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ PropertyPlaceholderAutoConfiguration.class,
			TomcatServletWebServerAutoConfiguration.class,
			DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class,
			HttpMessageConvertersAutoConfiguration.class, JacksonAutoConfiguration.class,
			ErrorMvcAutoConfiguration.class,
			SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
			OAuth2ClientAutoConfiguration.class })
	@Import(HomePage.class)
	static class Application {

		@Bean
		SecurityFilterChain signIn(HttpSecurity http, ClientRegistrationRepository registrations) throws Exception {
			var resolver = new DefaultOAuth2AuthorizationRequestResolver(registrations,
					OAuth2AuthorizationRequestRedirectFilter.DEFAULT_AUTHORIZATION_REQUEST_BASE_URI);
			resolver.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
			http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
				.oauth2Login(login -> login
					.authorizationEndpoint(endpoint -> endpoint.authorizationRequestResolver(resolver)))
				// Rollcall tells it when a person left: it validates the logout token and ends their session here.
				.oidcLogout(
						logout -> logout.backChannel(org.springframework.security.config.Customizer.withDefaults()));
			return http.build();
		}

	}

	@RestController
	static class HomePage {

		private static final JsonMapper JSON = JsonMapper.builder().build();

		@GetMapping(path = "/", produces = MediaType.TEXT_PLAIN_VALUE)
		String home(@AuthenticationPrincipal OidcUser user) {
			Map<String, Object> shown = new LinkedHashMap<>();
			shown.put("idToken", user.getIdToken().getTokenValue());
			shown.put("claims", user.getIdToken().getClaims().keySet());
			return JSON.writeValueAsString(shown);
		}

	}

}
