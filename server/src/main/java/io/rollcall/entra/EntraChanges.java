package io.rollcall.entra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import io.rollcall.connector.ChangeWorker;
import io.rollcall.connector.ProviderException;
import io.rollcall.platform.Actor;
import io.rollcall.sync.SyncRun;
import io.rollcall.sync.SyncRuns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The worker behind the receiver: turns a company's queued notifications into one run through the engine. Changes to
 * users refresh those people; a change to the members of the group or of a group nested in it compares the membership
 * and brings the subscriptions in line with the tree (a group may have joined or left it); lifecycle events renew or
 * reauthorise a subscription, re-make a removed one (then resync), or resync after missed notifications.
 */
@Service
class EntraChanges extends ChangeWorker {

	static final Actor ACTOR = new Actor(Actor.Type.SYSTEM, "entra-notifications", "Entra ID change notifications");

	private static final Logger log = LoggerFactory.getLogger(EntraChanges.class);

	private final JdbcClient jdbc;

	private final EntraConnections connections;

	private final EntraSubscriptions subscriptions;

	private final TransactionTemplate transaction;

	EntraChanges(JdbcClient jdbc, SyncRuns runs, EntraConnections connections, EntraSubscriptions subscriptions,
			TransactionTemplate transaction,
			@Value("${rollcall.entra.notifications-fallback-poll:5s}") Duration fallbackPoll) {
		super(EntraSource.KIND, ACTOR, runs, fallbackPoll);
		this.jdbc = jdbc;
		this.connections = connections;
		this.subscriptions = subscriptions;
		this.transaction = transaction;
	}

	@Override
	public long waiting(UUID companyId) {
		return this.jdbc.sql("""
				select count(*) from entra_notification
				where (cast(:company as uuid) is null or company_id = :company) and kind <> 'lifecycle'
				""").param("company", companyId).query(Long.class).single();
	}

	private record Notification(long id, String subscriptionId, String kind, String changeType, String lifecycleEvent,
			String resource, String objectId) {
	}

	@Override
	protected List<UUID> companiesWithChanges() {
		return this.jdbc.sql("select distinct company_id from entra_notification").query(UUID.class).list();
	}

	@Override
	protected void handle(UUID companyId, SyncRun waiting) {
		Optional<EntraConnection> found = this.connections.find(companyId);
		if (found.isEmpty() || !found.get().authorised()) {
			this.jdbc.sql("delete from entra_notification where company_id = :company")
				.param("company", companyId)
				.update();
			return;
		}
		EntraConnection connection = found.get();
		AtomicBoolean tree = new AtomicBoolean();
		Set<String> notifiedBy = new TreeSet<>();
		this.transaction.executeWithoutResult(status -> {
			List<Notification> queued = this.jdbc.sql("""
					delete from entra_notification where company_id = :company
					returning id, subscription_id, kind, change_type, lifecycle_event, resource, object_id
					""")
				.param("company", companyId)
				.query((rs, n) -> new Notification(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
						rs.getString(5), rs.getString(6), rs.getString(7)))
				.list();
			if (queued.isEmpty()) {
				return;
			}
			Set<String> users = new LinkedHashSet<>();
			boolean membership = false;
			boolean delta = false;
			boolean full = false;
			Map<String, String> lifecycle = new TreeMap<>(); // by id: rows locked in the order forgetAll locks them
			for (Notification notification : queued) {
				if (notification.subscriptionId() != null) {
					notifiedBy.add(notification.subscriptionId());
				}
				if ("lifecycle".equals(notification.kind())) {
					lifecycle.put(notification.subscriptionId(), notification.lifecycleEvent());
					continue;
				}
				String resource = notification.resource() == null ? ""
						: notification.resource().toLowerCase(java.util.Locale.ROOT);
				if (resource.startsWith("groups") || resource.startsWith("/groups")) {
					membership = true;
					tree.set(true); // a group may have joined or left the tree: basic notifications do not say
					// Graph names the group whose members changed; a member's id, where one is sent, is refreshed.
					String[] parts = resource.replaceAll("^/+", "").split("/");
					String group = parts.length > 1 ? parts[1] : null;
					if (notification.objectId() != null
							&& !notification.objectId().equalsIgnoreCase(connection.groupId())
							&& !notification.objectId().equalsIgnoreCase(group)) {
						users.add(notification.objectId());
					}
				}
				else if (notification.objectId() != null) {
					users.add(notification.objectId());
				}
			}
			for (Map.Entry<String, String> event : lifecycle.entrySet()) {
				switch (String.valueOf(event.getValue())) {
					case "reauthorizationRequired" -> this.subscriptions.markReauthorizationRequired(event.getKey());
					case "subscriptionRemoved" -> {
						full = true;
						this.subscriptions.find(event.getKey()).ifPresent(old -> {
							try {
								this.subscriptions.recreate(connection, old);
							}
							catch (ProviderException ex) {
								this.connections.lastError(companyId,
										"A removed subscription could not be made again: " + ex.getMessage());
							}
						});
					}
					case "missed" -> {
						delta = true;
						membership = true;
						tree.set(true);
					}
					default -> log.info("Entra: ignored lifecycle event {}", event.getValue());
				}
			}
			if (lifecycle.containsValue("reauthorizationRequired")) {
				try {
					this.subscriptions.renewDue(connection);
				}
				catch (ProviderException ex) {
					this.connections.lastError(companyId,
							"A subscription could not be reauthorised: " + ex.getMessage());
				}
			}
			if (full) {
				startFull(companyId);
			}
			else if (!users.isEmpty() || membership || delta) {
				EntraSource.RunOptions changes = new EntraSource.RunOptions(true, new ArrayList<>(users), membership,
						delta);
				long count = queued.stream().filter(n -> !"lifecycle".equals(n.kind())).count();
				startOrJoin(companyId, waiting, changes.asMap(),
						older -> EntraSource.RunOptions.of(older).fold(changes).asMap(), count, status);
			}
		});
		// After the commit, one subscription at a time: stamped inside the transaction, two subscriptions' rows were
		// locked in the notifications' order while a new set-up (or a test's clean-up) deleted the company's in the
		// table's order, and PostgreSQL broke the deadlock by failing one of them. A stamp is bookkeeping: the run it
		// belongs to is already queued, and a stamp lost to a crash here costs nothing.
		notifiedBy.forEach(this.subscriptions::notified);
		if (tree.get()) {
			// After the commit: making a subscription waits for Graph's validation call, which no transaction should.
			try {
				this.subscriptions.reconcileTree(connection);
			}
			catch (ProviderException ex) {
				this.connections.lastError(companyId, "The nested groups could not be listed to follow their changes: "
						+ ex.getMessage() + ". The membership is compared anyway; the daily sync settles the rest.");
			}
		}
	}

}
