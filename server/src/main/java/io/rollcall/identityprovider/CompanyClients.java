package io.rollcall.identityprovider;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

	/** Views kept at most (two for each application at each company that used it lately); then all are made anew. */
	static final int VIEWS = 4_096;

	private final RegisteredClientRepository store;

	/**
	 * Each registration as a company's issuer sees it, under what it was looked up by and the company's slug, with
	 * the stored registration it was made from. Making the view (a copy of the registration, whose builder parses
	 * every URI again) on every lookup was a thirtieth of the token endpoint's CPU. A view is used only while the store
	 * hands out that very registration object ({@link CachedRegisteredClients} keeps one a few seconds, and reads a
	 * changed one at once): a registration read again is made into a view again.
	 */
	private final Map<String, View> views = new ConcurrentHashMap<>();

	private record View(RegisteredClient stored, RegisteredClient seen) {
	}

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
		return forThisCompany("id:" + id, this.store.findById(id));
	}

	@Override
	public RegisteredClient findByClientId(String clientId) {
		return forThisCompany("client:" + clientId, this.store.findByClientId(clientId));
	}

	private RegisteredClient forThisCompany(String lookup, RegisteredClient client) {
		if (client == null) {
			return null;
		}
		Company company = CurrentCompany.get().orElse(null);
		String owner = Applications.owner(client);
		if (owner != null && (company == null || !owner.equals(company.id().toString()))) {
			return null;
		}
		String slug = company == null ? null : company.slug();
		String key = lookup + " " + (slug == null ? "" : slug);
		View view = this.views.get(key);
		if (view != null && view.stored() == client) {
			return view.seen();
		}
		if (this.views.size() >= VIEWS) {
			this.views.clear();
		}
		RegisteredClient seen = view(client, slug);
		this.views.put(key, new View(client, seen));
		return seen;
	}

	private static RegisteredClient view(RegisteredClient client, String slug) {
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
