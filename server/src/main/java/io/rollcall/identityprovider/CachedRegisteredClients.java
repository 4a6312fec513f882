package io.rollcall.identityprovider;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.rollcall.platform.ClusterNotices;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.Assert;

/**
 * The registered clients, kept a few seconds after they are read. A token request asks for its client up to three
 * times (client authentication, then each authorization read maps its client), and each read is a query and a JSON
 * parse of the client's settings: a sixth of the token endpoint's CPU before this cache.
 * <p>
 * A change made through this repository, or {@link #forget() forgotten} by whoever changed the table, is seen at once
 * on this node and, made with {@link ClusterNotices}, on every other node as it commits: a rotated secret or a
 * deleted application stops working everywhere at once. Without notices another node sees it within {@link #FRESH}.
 */
final class CachedRegisteredClients implements RegisteredClientRepository {

	static final Duration FRESH = Duration.ofSeconds(5);

	private static final String TOPIC = "registered clients";

	private final RegisteredClientRepository store;

	private final Map<String, Cached> byId = new ConcurrentHashMap<>();

	private final Map<String, Cached> byClientId = new ConcurrentHashMap<>();

	private record Cached(RegisteredClient client, long readAt) {

		boolean fresh() {
			return System.nanoTime() - this.readAt < FRESH.toNanos();
		}

	}

	private final ClusterNotices notices;

	/** Counts the forgettings, so that a client read before one is not kept after it. */
	private final AtomicLong forgettings = new AtomicLong();

	/** Of this node alone. */
	CachedRegisteredClients(RegisteredClientRepository store) {
		Assert.notNull(store, "store cannot be null");
		this.store = store;
		this.notices = null;
	}

	CachedRegisteredClients(RegisteredClientRepository store, ClusterNotices notices) {
		Assert.notNull(store, "store cannot be null");
		Assert.notNull(notices, "notices cannot be null");
		this.store = store;
		this.notices = notices;
		notices.listen(TOPIC, new ClusterNotices.Listener() {

			@Override
			public void noticed(String message, boolean fromThisNode) {
				if (!fromThisNode) {
					forgetHere();
				}
			}

			@Override
			public void mayHaveMissed() {
				forgetHere();
			}

		});
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

	/**
	 * Reads every client from the store again, here now and once the transaction ends (a request in between may have
	 * read the row as it was), and on every other node as the change commits: for changes made to the table without
	 * this repository.
	 */
	void forget() {
		forgetHere();
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCompletion(int status) {
					forgetHere();
				}
			});
		}
		if (this.notices != null) {
			this.notices.send(TOPIC, "");
		}
	}

	private void forgetHere() {
		this.forgettings.incrementAndGet();
		this.byId.clear();
		this.byClientId.clear();
	}

	/** Unknown ids are not kept: a client registered on another node is found as soon as it exists. */
	private RegisteredClient cached(Map<String, Cached> cache, String key, Function<String, RegisteredClient> read) {
		Cached cached = cache.get(key);
		if (cached != null && cached.fresh()) {
			return cached.client();
		}
		long forgettingsBefore = this.forgettings.get();
		RegisteredClient client = read.apply(key);
		if (client == null) {
			cache.remove(key);
			return null;
		}
		Cached fresh = new Cached(client, System.nanoTime());
		cache.put(key, fresh);
		if (this.forgettings.get() != forgettingsBefore) {
			cache.remove(key, fresh);
		}
		return client;
	}

}
