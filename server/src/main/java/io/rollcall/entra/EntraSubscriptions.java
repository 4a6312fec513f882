package io.rollcall.entra;

import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.rollcall.connector.HookAddresses;
import io.rollcall.connector.ProviderException;
import io.rollcall.platform.ClusterNotices;
import io.rollcall.platform.SecretTokens;
import io.rollcall.platform.ShortMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.util.Assert;

/**
 * The company's Graph subscriptions (change notifications on {@code /users} and on the members of the group and of
 * every group nested under it, as one on the group reports its direct members only): made when the integration is
 * authorised, renewed before they expire, reauthorised or re-made when Graph says so, and kept in line with the tree
 * as groups join or leave it. Each has its own random clientState, of which only a hash is kept.
 * <p>
 * Graph allows {@value #GRAPH_QUOTA} users and groups subscriptions per app and tenant and refuses one more with 403;
 * a tree that needs more gets as many as fit, the admin is told (the integration's problem), and the rest of its
 * changes arrive with the daily sync or Sync users.
 */
@Service
class EntraSubscriptions {

	private static final Logger log = LoggerFactory.getLogger(EntraSubscriptions.class);

	private final JdbcClient jdbc;

	private final Graph graph;

	private final EntraConnections connections;

	private final Clock clock;

	private final Duration lifetime;

	private final Duration renewBefore;

	/** Graph's quota of subscriptions on users and groups per app and tenant. */
	static final int GRAPH_QUOTA = 100;

	/** What every problem this class reports starts with, so that it clears only its own. */
	private static final String PROBLEM = "Change notifications could not be set up";

	private final int maxSubscriptions;

	/**
	 * Two reconciliations of a tree at once (upkeep and notifications) would subscribe a group twice. One lock for all
	 * companies: a reconciliation is rare, and notifications are worked on one thread anyway.
	 */
	private final HookAddresses hooks;

	private final Object reconciling = new Object();

	EntraSubscriptions(JdbcClient jdbc, Graph graph, EntraConnections connections, HookAddresses hooks, Clock clock,
			@Value("${rollcall.entra.subscription-lifetime:3d}") Duration lifetime,
			@Value("${rollcall.entra.subscription-renew-before:1d}") Duration renewBefore,
			@Value("${rollcall.entra.max-subscriptions:" + GRAPH_QUOTA + "}") int maxSubscriptions,
			ClusterNotices notices) {
		this.known = new ShortMemory<>("Entra subscriptions", Duration.ofSeconds(30), notices);
		Assert.isTrue(maxSubscriptions >= 2, "maxSubscriptions must leave room for /users and the group's members");
		this.maxSubscriptions = maxSubscriptions;
		this.jdbc = jdbc;
		this.graph = graph;
		this.connections = connections;
		this.hooks = hooks;
		this.clock = clock;
		this.lifetime = lifetime;
		this.renewBefore = renewBefore;
	}

	/** A subscription as the console shows it. */
	record Subscription(String id, UUID companyId, String resource, Instant expiresAt, String status, Instant renewedAt,
			Instant lastNotifiedAt) {
	}

	/** The resources Rollcall subscribes to for a company: users, the group's members and each nested group's. */
	static List<String> resources(String groupId, List<String> nestedGroupIds) {
		List<String> resources = new ArrayList<>();
		resources.add("/users");
		resources.add(members(groupId));
		nestedGroupIds.stream()
			.map(EntraSubscriptions::members)
			.filter(r -> !resources.contains(r))
			.forEach(resources::add);
		return resources;
	}

	static String members(String groupId) {
		return "/groups/" + groupId + "/members";
	}

	/** The groups nested under the company's group, at any depth, as Graph lists them now. */
	private static List<String> nestedGroups(GraphClient client, String groupId) {
		List<String> ids = new ArrayList<>();
		client.forEachPage(
				"/groups/" + GraphClient.enc(groupId) + "/transitiveMembers/microsoft.graph.group?$select=id&$top="
						+ GraphClient.PAGE_SIZE + "&$count=true",
				true, items -> items.forEach(item -> ids.add(item.path("id").asString())));
		return ids;
	}

	/** The resources wanted, cut to what Graph's quota allows; a cut is added to {@code problems}. */
	private List<String> wanted(String groupId, List<String> nested, List<String> problems) {
		List<String> resources = resources(groupId, nested);
		if (resources.size() <= this.maxSubscriptions) {
			return resources;
		}
		int left = resources.size() - this.maxSubscriptions;
		problems.add("the group has " + nested.size() + " nested groups and Graph allows " + this.maxSubscriptions
				+ " subscriptions per app and tenant, so membership changes in " + left + " of them are not heard");
		return resources.subList(0, this.maxSubscriptions);
	}

	/** Where Graph delivers notifications: the configured URL, else the company's own address. */
	String notificationUrl(UUID companyId) {
		return this.hooks.of(companyId, "rollcall.entra.notification-url", "/hooks/entra");
	}

	List<Subscription> list(UUID companyId) {
		return this.jdbc.sql("select * from entra_subscription where company_id = :company order by resource")
			.param("company", companyId)
			.query((rs, n) -> new Subscription(rs.getString("id"), rs.getObject("company_id", UUID.class),
					rs.getString("resource"), instant(rs.getTimestamp("expires_at")), rs.getString("status"),
					instant(rs.getTimestamp("renewed_at")), instant(rs.getTimestamp("last_notified_at"))))
			.list();
	}

	Optional<Subscription> find(String id) {
		return this.jdbc.sql("select * from entra_subscription where id = :id")
			.param("id", id)
			.query((rs, n) -> new Subscription(rs.getString("id"), rs.getObject("company_id", UUID.class),
					rs.getString("resource"), instant(rs.getTimestamp("expires_at")), rs.getString("status"),
					instant(rs.getTimestamp("renewed_at")), instant(rs.getTimestamp("last_notified_at"))))
			.optional();
	}

	/** A subscription as the receiver checks it. */
	private record Known(UUID companyId, byte[] clientStateHash) {
	}

	/** Subscriptions by id, kept a short while, as Graph sends many items per subscription. */
	private final ShortMemory<String, Known> known;

	/**
	 * Whether the clientState an item carries is the one of its subscription, and the subscription's company. At 500
	 * deliveries a second a query per item costs the receiver more than the rest of its work, so a subscription is
	 * remembered for 30 s (forgotten at once on every node when one deletes it). Unknown ids are not remembered.
	 */
	Optional<UUID> verify(String subscriptionId, String clientState) {
		if (subscriptionId == null || clientState == null) {
			return Optional.empty();
		}
		Known subscription = this.known.get(subscriptionId,
				id -> this.jdbc.sql("select company_id, client_state_hash from entra_subscription where id = :id")
					.param("id", id)
					.query((rs, n) -> new Known(rs.getObject(1, UUID.class), rs.getBytes(2)))
					.optional()
					.orElse(null));
		return subscription != null
				&& MessageDigest.isEqual(subscription.clientStateHash(), SecretTokens.hash(clientState))
						? Optional.of(subscription.companyId()) : Optional.empty();
	}

	/** Deletes the company's subscriptions (at Graph as far as it can) and makes fresh ones. */
	void recreateAll(EntraConnection connection) {
		GraphClient client = this.graph.client(connection);
		synchronized (this.reconciling) {
			for (Subscription old : list(connection.companyId())) {
				deleteQuietly(client, old);
			}
			List<String> problems = new ArrayList<>();
			List<String> nested;
			try {
				nested = nestedGroups(client, connection.groupId());
			}
			catch (ProviderException ex) {
				problems.add("the nested groups could not be listed (" + ex.getMessage() + ")");
				nested = List.of();
			}
			createAll(client, connection.companyId(), wanted(connection.groupId(), nested, problems), problems);
			this.connections.lastError(connection.companyId(), problems.isEmpty() ? null : problem(problems));
		}
	}

	/**
	 * Brings the subscriptions in line with the group's tree as Graph lists it now: a group newly nested under it gets
	 * one, a group no longer in it loses its own (its people who are in no other group of the tree leave through the
	 * membership comparison that the same notification starts), and a missing one is made again.
	 *
	 * @return whether any subscription was made or deleted
	 * @throws ProviderException when Graph cannot list the tree; nothing is changed then
	 */
	boolean reconcileTree(EntraConnection connection) {
		GraphClient client = this.graph.client(connection);
		synchronized (this.reconciling) {
			List<String> problems = new ArrayList<>();
			List<Subscription> current = list(connection.companyId());
			Set<String> subscribed = new HashSet<>(current.stream().map(Subscription::resource).toList());
			List<String> nested = new ArrayList<>(nestedGroups(client, connection.groupId()));
			// Beyond the quota, the groups already heard stay heard: a new group does not push one out at each change.
			nested.sort(Comparator.comparing(id -> !subscribed.contains(members(id))));
			List<String> wanted = wanted(connection.groupId(), nested, problems);
			Set<String> kept = new HashSet<>();
			boolean changed = false;
			for (Subscription subscription : current) {
				String resource = subscription.resource();
				if (!wanted.contains(resource) || !kept.add(resource)) {
					deleteQuietly(client, subscription);
					changed = true;
					log.info("Entra: {} left the tree of company {}: unsubscribed", resource, connection.companyId());
				}
			}
			List<String> missing = wanted.stream().filter(resource -> !kept.contains(resource)).toList();
			changed |= createAll(client, connection.companyId(), missing, problems) > 0;
			String reported = this.connections.find(connection.companyId())
				.map(EntraConnection::lastError)
				.orElse(null);
			if (!problems.isEmpty()) {
				this.connections.lastError(connection.companyId(), problem(problems));
			}
			else if (reported != null && reported.startsWith(PROBLEM)) {
				this.connections.lastError(connection.companyId(), null);
			}
			return changed;
		}
	}

	/** Makes the subscriptions; stops at Graph's quota (403), as every further one would be refused too. */
	private int createAll(GraphClient client, UUID companyId, List<String> resources, List<String> problems) {
		int made = 0;
		for (String resource : resources) {
			try {
				create(client, companyId, resource);
				made++;
			}
			catch (ProviderException ex) {
				problems.add(resource + ": " + ex.getMessage());
				if (ex.status() == 403) {
					break;
				}
			}
		}
		return made;
	}

	private static String problem(List<String> problems) {
		return PROBLEM + ": " + String.join("; ", problems)
				+ ". Those changes arrive with the daily sync or the Sync users button.";
	}

	/** Re-makes one subscription that Graph removed. */
	void recreate(EntraConnection connection, Subscription old) {
		GraphClient client = this.graph.client(connection);
		deleteQuietly(client, old);
		create(client, connection.companyId(), old.resource());
	}

	private void create(GraphClient client, UUID companyId, String resource) {
		String clientState = SecretTokens.generate("");
		String url = notificationUrl(companyId);
		Instant expires = this.clock.instant().plus(this.lifetime);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("changeType", "updated,deleted");
		body.put("notificationUrl", url);
		body.put("lifecycleNotificationUrl", url);
		body.put("resource", resource);
		body.put("expirationDateTime", DateTimeFormatter.ISO_INSTANT.format(expires));
		body.put("clientState", clientState);
		JsonNode created = client.post("/subscriptions", body);
		String id = created.path("id").asString(null);
		if (id == null) {
			throw new ProviderException(0, null, "Graph made a subscription for " + resource + " but sent no id");
		}
		Instant granted = parse(created.path("expirationDateTime").asString(null), expires);
		this.jdbc.sql("""
				insert into entra_subscription (id, company_id, resource, client_state_hash, expires_at)
				values (:id, :company, :resource, :state, :expires)
				""")
			.param("id", id)
			.param("company", companyId)
			.param("resource", resource)
			.param("state", SecretTokens.hash(clientState))
			.param("expires", Timestamp.from(granted))
			.update();
		log.info("Entra: subscribed to {} for company {} until {}", resource, companyId, granted);
	}

	/**
	 * Renews every subscription of the company that expires within the renewal window, or that Graph asked to be
	 * reauthorised. A subscription Graph no longer knows is made again.
	 *
	 * @return how many were renewed or re-made
	 */
	int renewDue(EntraConnection connection) {
		Instant now = this.clock.instant();
		int renewed = 0;
		GraphClient client = this.graph.client(connection);
		for (Subscription subscription : list(connection.companyId())) {
			boolean due = subscription.expiresAt().isBefore(now.plus(this.renewBefore));
			if (!due && !"reauthorization_required".equals(subscription.status())) {
				continue;
			}
			try {
				if ("reauthorization_required".equals(subscription.status())) {
					reauthorize(client, subscription);
				}
				renew(client, subscription, now);
				renewed++;
			}
			catch (ProviderException ex) {
				if (ex.status() == 404) {
					recreate(connection, subscription);
					renewed++;
				}
				else {
					this.connections.lastError(connection.companyId(),
							"A subscription could not be renewed: " + ex.getMessage());
					log.warn("Entra: renewing subscription {} of company {} failed: {}", subscription.id(),
							connection.companyId(), ex.getMessage());
				}
			}
		}
		return renewed;
	}

	void renew(GraphClient client, Subscription subscription, Instant now) {
		Instant expires = now.plus(this.lifetime);
		JsonNode answer = client.patch("/subscriptions/" + GraphClient.enc(subscription.id()),
				Map.of("expirationDateTime", DateTimeFormatter.ISO_INSTANT.format(expires)));
		Instant granted = parse(answer.path("expirationDateTime").asString(null), expires);
		this.jdbc.sql("""
				update entra_subscription set expires_at = :expires, renewed_at = :now, status = 'active' where id = :id
				""")
			.param("expires", Timestamp.from(granted))
			.param("now", Timestamp.from(now))
			.param("id", subscription.id())
			.update();
	}

	private void reauthorize(GraphClient client, Subscription subscription) {
		try {
			client.post("/subscriptions/" + GraphClient.enc(subscription.id()) + "/reauthorize", Map.of());
		}
		catch (ProviderException ex) {
			if (ex.status() != 404 && ex.status() != 405 && ex.status() != 400) {
				throw ex;
			}
			// Renewing the expiry reauthorises too, where the reauthorize action is not offered.
		}
	}

	void markReauthorizationRequired(String id) {
		this.jdbc.sql("update entra_subscription set status = 'reauthorization_required' where id = :id")
			.param("id", id)
			.update();
	}

	void notified(String id) {
		this.jdbc.sql("update entra_subscription set last_notified_at = now() where id = :id").param("id", id).update();
	}

	private void deleteQuietly(GraphClient client, Subscription old) {
		try {
			client.delete("/subscriptions/" + GraphClient.enc(old.id()));
		}
		catch (ProviderException ex) {
			log.debug("Entra: deleting subscription {} failed ({}); it expires by itself", old.id(), ex.getMessage());
		}
		this.jdbc.sql("delete from entra_subscription where id = :id").param("id", old.id()).update();
		this.known.forget(old.id());
	}

	/**
	 * Forgets the company's subscriptions, now that another tenant or app is set up: their notifications are refused
	 * from here on. Returns them, for {@link #deleteAtFormerTenant} once the new set-up is committed.
	 */
	List<Subscription> forgetAll(UUID companyId) {
		List<Subscription> forgotten = list(companyId);
		// Locked in id order first, as a notification's lifecycle events take them: a delete alone locks in the
		// table's order, and two transactions taking two rows in opposite orders deadlock.
		this.jdbc.sql("select id from entra_subscription where company_id = :company order by id for update")
			.param("company", companyId)
			.query(String.class)
			.list();
		this.jdbc.sql("delete from entra_subscription where company_id = :company")
			.param("company", companyId)
			.update();
		this.known.forgetWhere(subscription -> subscription.companyId().equals(companyId));
		return forgotten;
	}

	/**
	 * Deletes forgotten subscriptions at the tenant that made them, with its credentials: left alone they would go on
	 * notifying for days and count against that tenant's quota of subscriptions. Best effort: a tenant that no
	 * longer answers, or no longer takes the app's credentials, lets them expire. The first such failure ends the
	 * attempt: each call would wait out the same retries again (the demo's former emulator, gone at a restart, held
	 * the start for minutes, one subscription after another). Done in the background: saving the new set-up does not
	 * wait for a tenant the company has left.
	 */
	void deleteAtFormerTenant(EntraConnection former, List<Subscription> forgotten) {
		if (forgotten.isEmpty() || !former.authorised()) {
			return;
		}
		Thread.ofVirtual().name("entra-former-tenant").start(() -> {
			try {
				deleteAll(former, forgotten);
			}
			catch (RuntimeException ex) {
				log.warn("Entra: the subscriptions at the former tenant were left to expire: {}", ex.toString());
			}
		});
	}

	private void deleteAll(EntraConnection former, List<Subscription> forgotten) {
		GraphClient client = this.graph.client(former);
		for (int i = 0; i < forgotten.size(); i++) {
			Subscription subscription = forgotten.get(i);
			try {
				client.delete("/subscriptions/" + GraphClient.enc(subscription.id()));
			}
			catch (ProviderException ex) {
				if (ex.notFound()) {
					continue;
				}
				log.info("Entra: {} subscription(s) at the former tenant could not be deleted ({}); they expire by"
						+ " themselves", forgotten.size() - i, ex.getMessage());
				return;
			}
		}
	}

	private static Instant parse(String text, Instant fallback) {
		if (text == null) {
			return fallback;
		}
		try {
			return java.time.OffsetDateTime.parse(text).toInstant();
		}
		catch (java.time.format.DateTimeParseException ex) {
			return fallback;
		}
	}

	private static Instant instant(Timestamp timestamp) {
		return timestamp == null ? null : timestamp.toInstant();
	}

}
