package io.rollcall.sso;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.rollcall.company.Company;
import io.rollcall.company.CurrentCompany;

import org.springframework.context.event.EventListener;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

/**
 * One OAuth2 client registration per company, built from its settings and its provider's discovery document, and
 * only ever found on that company's own host: the registration id is the company's slug, and a lookup on another
 * company's host finds nothing. Cached per settings version; a change of settings drops the cache entry.
 */
@Component
final class CompanyClientRegistrations implements ClientRegistrationRepository {

	static final String TENANT = "rollcall_tenant";

	static final String PROVIDER = "rollcall_provider";

	static final String VERSION = "rollcall_version";

	static final String COMPANY = "rollcall_company";

	private final SingleSignOn singleSignOn;

	private final ProviderDiscovery discovery;

	private final Map<UUID, ClientRegistration> cache = new ConcurrentHashMap<>();

	CompanyClientRegistrations(SingleSignOn singleSignOn, ProviderDiscovery discovery) {
		Assert.notNull(singleSignOn, "singleSignOn cannot be null");
		Assert.notNull(discovery, "discovery cannot be null");
		this.singleSignOn = singleSignOn;
		this.discovery = discovery;
	}

	static String registrationId(Company company) {
		return company.slug();
	}

	@Override
	public ClientRegistration findByRegistrationId(String registrationId) {
		Optional<Company> company = CurrentCompany.get();
		if (company.isEmpty() || !registrationId(company.get()).equals(registrationId)) {
			return null;
		}
		try {
			return forCompany(company.get()).orElse(null);
		}
		catch (ProviderDiscovery.DiscoveryException ex) {
			return null;
		}
	}

	/** The company's registration, reading the provider's discovery document when the cache has none. */
	Optional<ClientRegistration> forCompany(Company company) {
		Optional<SsoSettings> settings = this.singleSignOn.active(company.id());
		if (settings.isEmpty()) {
			return Optional.empty();
		}
		ClientRegistration cached = this.cache.get(company.id());
		if (cached != null && Integer.valueOf(settings.get().version())
			.equals(cached.getProviderDetails().getConfigurationMetadata().get(VERSION))) {
			return Optional.of(cached);
		}
		ClientRegistration built = build(company, settings.get());
		this.cache.put(company.id(), built);
		return Optional.of(built);
	}

	@EventListener
	void on(SingleSignOn.Changed changed) {
		this.cache.remove(changed.companyId());
	}

	private ClientRegistration build(Company company, SsoSettings settings) {
		ProviderDiscovery.ProviderMetadata metadata = this.discovery.discover(settings);
		String secret = this.singleSignOn.clientSecret(company.id()).orElse(null);
		Map<String, Object> configuration = new HashMap<>(ProviderDiscovery.asMetadata(metadata));
		configuration.put(PROVIDER, settings.provider().json());
		configuration.put(VERSION, settings.version());
		configuration.put(COMPANY, company.id().toString());
		if (settings.tenantId() != null) {
			configuration.put(TENANT, settings.tenantId());
		}
		return ClientRegistration.withRegistrationId(registrationId(company))
			.clientId(settings.clientId())
			.clientSecret(secret)
			// Without a secret it is a public client: PKCE alone proves the code is ours.
			.clientAuthenticationMethod(secret == null ? ClientAuthenticationMethod.NONE
					: ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
			.scope("openid", "profile", "email")
			.clientName(settings.buttonLabel())
			.authorizationUri(metadata.authorizationEndpoint())
			.tokenUri(metadata.tokenEndpoint())
			.jwkSetUri(metadata.jwksUri())
			.issuerUri(metadata.issuer())
			.userNameAttributeName("sub")
			.providerConfigurationMetadata(configuration)
			.build();
	}

}
