package io.rollcall.identityprovider;

import java.time.Instant;
import java.util.UUID;

import io.rollcall.company.Company;
import io.rollcall.company.CurrentCompany;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("unit")
class CompanyClientsTests {

	private final RegisteredClient stored = RegisteredClient.withId("1")
		.clientId("app_1")
		.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
		.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
		.redirectUri("https://%7Bslug%7D.learn.example.com/callback")
		.redirectUri("https://fixed.example.com/callback")
		.postLogoutRedirectUri("https://%7Bslug%7D.learn.example.com/")
		.scope("openid")
		.build();

	private final CompanyClients clients = new CompanyClients(new InMemoryRegisteredClientRepository(this.stored));

	@AfterEach
	void noRequest() {
		RequestContextHolder.resetRequestAttributes();
	}

	@Test
	void findByClientIdWhenOnACompanysHostThenPlaceholderIsItsSlug() {
		onHostOf("acme");

		RegisteredClient client = this.clients.findByClientId("app_1");

		assertThat(client.getRedirectUris()).containsExactlyInAnyOrder("https://acme.learn.example.com/callback",
				"https://fixed.example.com/callback");
		assertThat(client.getPostLogoutRedirectUris()).containsExactly("https://acme.learn.example.com/");
	}

	@Test
	void findByClientIdWhenNoCompanyThenNoUriWithThePlaceholder() {
		RegisteredClient client = this.clients.findByClientId("app_1");

		assertThat(client.getRedirectUris()).containsExactly("https://fixed.example.com/callback");
	}

	@Test
	void saveWhenSecretUpgradedThenStoredRegistrationKeepsItsPlaceholders() {
		onHostOf("acme");
		RegisteredClient seen = this.clients.findById("1");

		this.clients.save(RegisteredClient.from(seen).clientSecret("{sha256}00").build());

		RequestContextHolder.resetRequestAttributes();
		onHostOf("other");
		assertThat(this.clients.findById("1").getRedirectUris()).contains("https://other.learn.example.com/callback");
		assertThat(this.clients.findById("1").getClientSecret()).isEqualTo("{sha256}00");
	}

	@Test
	void findByClientIdWhenAskedAgainThenTheViewIsKeptForEachCompany() {
		onHostOf("acme");
		RegisteredClient first = this.clients.findByClientId("app_1");

		assertThat(this.clients.findByClientId("app_1")).isSameAs(first);
		RequestContextHolder.resetRequestAttributes();
		onHostOf("other");
		assertThat(this.clients.findByClientId("app_1").getRedirectUris())
			.contains("https://other.learn.example.com/callback");
		RequestContextHolder.resetRequestAttributes();
		onHostOf("acme");
		assertThat(this.clients.findByClientId("app_1")).isSameAs(first);
	}

	@Test
	void findByIdWhenRegistrationChangedThenTheViewIsMadeAgain() {
		InMemoryRegisteredClientRepository store = new InMemoryRegisteredClientRepository(this.stored);
		CompanyClients clients = new CompanyClients(store);
		onHostOf("acme");
		RegisteredClient before = clients.findById("1");

		store.save(RegisteredClient.from(this.stored).redirectUri("https://%7Bslug%7D.new.example.com/cb").build());

		assertThat(clients.findById("1")).isNotSameAs(before);
		assertThat(clients.findById("1").getRedirectUris()).contains("https://acme.new.example.com/cb");
	}

	private static void onHostOf(String slug) {
		MockHttpServletRequest request = new MockHttpServletRequest();
		// What CompanyResolutionFilter leaves on the request (CurrentCompany's attribute).
		request.setAttribute(CurrentCompany.class.getName(),
				new Company(UUID.randomUUID(), slug, slug, "UTC", "en", 30, 10, Instant.now()));
		RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
	}

}
