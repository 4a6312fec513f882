package io.rollcall.identityprovider;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.util.Assert;

/**
 * The registered clients, kept a few seconds after they are read. A token request asks for its client up to three
 * times (client authentication, then each authorization read maps its client), and each read is a query and a JSON
 * parse of the client's settings: a sixth of the token endpoint's CPU before this cache.
 * <p>
 * A change made through this repository, or {@link #forget() forgotten} by whoever changed the table, is seen at once
 * on this node; on another node within {@link #FRESH} (a rotated secret or a deleted application keeps working there
 * that long at most).
 */
final class CachedRegisteredClients implements RegisteredClientRepository {

	static final Duration FRESH = Duration.ofSeconds(5);

	private final RegisteredClientRepository store;

	private final Map<String, Cached> byId = new ConcurrentHashMap<>();

	private final Map<String, Cached> byClientId = new ConcurrentHashMap<>();

	private record Cached(RegisteredClient client, long readAt) {

		boolean fresh() {
			return System.nanoTime() - this.readAt < FRESH.toNanos();
		}

	}

	CachedRegisteredClients(RegisteredClientRepository store) {
		Assert.notNull(store, "store cannot be null");
		this.store = store;
	}

	@Override
	public void save(RegisteredClient client) {
		this.store.save(client);
		forget();
	}

	@Override
	public RegisteredClient findById(String id) {
		return cached(this.byId, id, this.store::findById);
	}

	@Override
	public RegisteredClient findByClientId(String clientId) {
		return cached(this.byClientId, clientId, this.store::findByClientId);
	}

	/** Reads every client from the store again: for changes made to the table without this repository. */
	void forget() {
		this.byId.clear();
		this.byClientId.clear();
	}

	/** Unknown ids are not kept: a client registered on another node is found as soon as it exists. */
	private static RegisteredClient cached(Map<String, Cached> cache, String key,
			Function<String, RegisteredClient> read) {
		Cached cached = cache.get(key);
		if (cached != null && cached.fresh()) {
			return cached.client();
		}
		RegisteredClient client = read.apply(key);
		if (client == null) {
			cache.remove(key);
			return null;
		}
		cache.put(key, new Cached(client, System.nanoTime()));
		return client;
	}

}
