package io.rollcall.identityprovider;

import java.util.Set;
import java.util.function.Consumer;

import io.rollcall.company.Company;
import io.rollcall.company.CurrentCompany;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.util.Assert;

/**
 * The registered applications as one company's issuer sees them: a redirect or post-logout URI holding the
 * {@code {slug}} placeholder becomes this company's URI, so that one registration serves every company and the
 * authorization server's exact matching of redirect URIs still applies. An application a company registered for
 * itself ({@link Applications#COMPANY}) exists at that company's issuer only: at every other one (and off company
 * hosts) it is unknown, so authorize, token, introspection and revocation refuse it as they refuse any unknown client.
 */
final class CompanyClients implements RegisteredClientRepository {

	/**
	 * {@code {slug}} as stored: braces are not allowed in a URI, and the registered client checks every redirect URI
	 * parses.
	 */
	static final String STORED_PLACEHOLDER = "%7Bslug%7D";

	static final String PLACEHOLDER = "{slug}";

	private final RegisteredClientRepository store;

	CompanyClients(RegisteredClientRepository store) {
		Assert.notNull(store, "store cannot be null");
		this.store = store;
	}

	/**
	 * Only a client secret upgraded by the authorization server comes back here: it is saved on the stored
	 * registration, never with this company's URIs in place of the placeholders.
	 */
	@Override
	public void save(RegisteredClient client) {
		RegisteredClient stored = this.store.findById(client.getId());
		this.store.save(
				stored == null ? client : RegisteredClient.from(stored).clientSecret(client.getClientSecret()).build());
	}

	@Override
	public RegisteredClient findById(String id) {
		return forThisCompany(this.store.findById(id));
	}

	@Override
	public RegisteredClient findByClientId(String clientId) {
		return forThisCompany(this.store.findByClientId(clientId));
	}

	private static RegisteredClient forThisCompany(RegisteredClient client) {
		if (client == null) {
			return null;
		}
		Company company = CurrentCompany.get().orElse(null);
		String owner = Applications.owner(client);
		if (owner != null && (company == null || !owner.equals(company.id().toString()))) {
			return null;
		}
		String slug = company == null ? null : company.slug();
		if (slug == null) {
			// Not on a company's host: no URI with a placeholder can match.
			return RegisteredClient.from(client)
				.redirectUris(uris -> uris.removeIf(uri -> uri.contains(STORED_PLACEHOLDER)))
				.postLogoutRedirectUris(uris -> uris.removeIf(uri -> uri.contains(STORED_PLACEHOLDER)))
				.build();
		}
		return RegisteredClient.from(client)
			.redirectUris(substitute(slug))
			.postLogoutRedirectUris(substitute(slug))
			.build();
	}

	private static Consumer<Set<String>> substitute(String slug) {
		return uris -> {
			Set<String> resolved = new java.util.LinkedHashSet<>();
			uris.forEach(uri -> resolved.add(uri.replace(STORED_PLACEHOLDER, slug)));
			uris.clear();
			uris.addAll(resolved);
		};
	}

}
