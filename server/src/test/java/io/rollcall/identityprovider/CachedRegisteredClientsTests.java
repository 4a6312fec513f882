package io.rollcall.identityprovider;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("unit")
class CachedRegisteredClientsTests {

	private final InMemoryRegisteredClientRepository memory = new InMemoryRegisteredClientRepository(
			client("1", "old"));

	private final AtomicInteger reads = new AtomicInteger();

	/** The store, counting its reads. */
	private final RegisteredClientRepository store = new RegisteredClientRepository() {

		@Override
		public void save(RegisteredClient client) {
			CachedRegisteredClientsTests.this.memory.save(client);
		}

		@Override
		public RegisteredClient findById(String id) {
			CachedRegisteredClientsTests.this.reads.incrementAndGet();
			return CachedRegisteredClientsTests.this.memory.findById(id);
		}

		@Override
		public RegisteredClient findByClientId(String clientId) {
			CachedRegisteredClientsTests.this.reads.incrementAndGet();
			return CachedRegisteredClientsTests.this.memory.findByClientId(clientId);
		}

	};

	private final CachedRegisteredClients clients = new CachedRegisteredClients(this.store);

	@Test
	void findWhenAskedAgainWithinSecondsThenTheStoreIsReadOnce() {
		assertThat(this.clients.findByClientId("app_1").getClientSecret()).isEqualTo("old");
		assertThat(this.clients.findByClientId("app_1").getClientSecret()).isEqualTo("old");
		assertThat(this.clients.findById("1").getClientSecret()).isEqualTo("old");
		assertThat(this.clients.findById("1").getClientSecret()).isEqualTo("old");

		assertThat(this.reads).hasValue(2);
	}

	@Test
	void findWhenSavedThroughTheCacheThenTheNewSecretAtOnce() {
		this.clients.findByClientId("app_1");

		this.clients.save(client("1", "rotated"));

		assertThat(this.clients.findByClientId("app_1").getClientSecret()).isEqualTo("rotated");
	}

	@Test
	void findWhenChangedBehindTheCacheAndForgottenThenReadAgain() {
		this.clients.findByClientId("app_1");
		this.memory.save(client("1", "changed elsewhere"));
		assertThat(this.clients.findByClientId("app_1").getClientSecret()).as("kept a few seconds").isEqualTo("old");

		this.clients.forget();

		assertThat(this.clients.findByClientId("app_1").getClientSecret()).isEqualTo("changed elsewhere");
	}

	@Test
	void findWhenUnknownThenNotKeptSoARegistrationIsFoundAsSoonAsItExists() {
		assertThat(this.clients.findByClientId("app_2")).isNull();

		this.memory.save(client("2", "new"));

		assertThat(this.clients.findByClientId("app_2").getClientSecret()).isEqualTo("new");
	}

	private static RegisteredClient client(String id, String secret) {
		return RegisteredClient.withId(id)
			.clientId("app_" + id)
			.clientSecret(secret)
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri("https://learn.example.com/callback")
			.scope("openid")
			.build();
	}

}
