package io.rollcall.entra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import io.rollcall.connector.ProviderException;
import io.rollcall.platform.Actor;
import io.rollcall.platform.QueueWorker;
import io.rollcall.platform.RequestRejectedException;
import io.rollcall.sync.ChangeQueue;
import io.rollcall.sync.SyncRun;
import io.rollcall.sync.SyncRunEnded;
import io.rollcall.sync.SyncRuns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The worker behind the receiver: turns a company's queued notifications into one run through the engine. Changes to
 * users refresh those people; a change to the members of the group or of a group nested in it compares the membership
 * and brings the subscriptions in line with the tree (a group may have joined or left it); lifecycle events renew or
 * reauthorise a subscription, re-make a removed one (then resync), or resync after missed notifications.
 * <p>
 * It works on its own thread ({@link QueueWorker}), woken by the receiver once notifications are queued and by the
 * end of the company's Entra run; a fallback poll picks up what nobody woke it for (queued by another node, or left
 * by a crash). The engine allows one active run per company and source, so two nodes never act on a company at once.
 */
@Service
class EntraChanges implements SmartLifecycle, ChangeQueue {

	static final Actor ACTOR = new Actor(Actor.Type.SYSTEM, "entra-notifications", "Entra ID change notifications");

	private static final Logger log = LoggerFactory.getLogger(EntraChanges.class);

	private final JdbcClient jdbc;

	private final SyncRuns runs;

	private final EntraConnections connections;

	private final EntraSubscriptions subscriptions;

	private final TransactionTemplate transaction;

	private final QueueWorker worker;

	EntraChanges(JdbcClient jdbc, SyncRuns runs, EntraConnections connections, EntraSubscriptions subscriptions,
			TransactionTemplate transaction,
			@Value("${rollcall.entra.notifications-fallback-poll:5s}") Duration fallbackPoll) {
		this.jdbc = jdbc;
		this.runs = runs;
		this.connections = connections;
		this.subscriptions = subscriptions;
		this.transaction = transaction;
		this.worker = new QueueWorker("entra-notifications", fallbackPoll, this::processQueued);
	}

	/** Notifications were queued: they are looked at once the queueing commits. */
	void queued() {
		this.worker.wakeAfterCommit();
	}

	@EventListener
	void on(SyncRunEnded ended) {
		if (EntraSource.KIND.equals(ended.source())) {
			this.worker.wakeAfterCommit();
		}
	}

	@Override
	public String source() {
		return EntraSource.KIND;
	}

	@Override
	public long waiting(UUID companyId) {
		return this.jdbc.sql("""
				select count(*) from entra_notification
				where (cast(:company as uuid) is null or company_id = :company) and kind <> 'lifecycle'
				""").param("company", companyId).query(Long.class).single();
	}

	@Override
	public void start() {
		this.worker.start();
	}

	@Override
	public void stop() {
		this.worker.stop();
	}

	@Override
	public boolean isRunning() {
		return this.worker.isRunning();
	}

	private record Notification(long id, String subscriptionId, String kind, String changeType, String lifecycleEvent,
			String resource, String objectId) {
	}

	/** Handles every company with queued notifications; a company whose Entra run is still going waits its turn. */
	void processQueued() {
		List<UUID> companies = this.jdbc.sql("select distinct company_id from entra_notification")
			.query(UUID.class)
			.list();
		for (UUID company : companies) {
			try {
				process(company);
			}
			catch (RuntimeException ex) {
				log.warn("Entra: notifications of company {} could not be handled yet: {}", company, ex.getMessage());
			}
		}
	}

	private void process(UUID companyId) {
		Optional<SyncRun> active = this.runs.active(companyId, EntraSource.KIND);
		// A run that waits to retry takes the new notifications in (its next attempt reads them too); any other active
		// run keeps them queued until it ends, which wakes the worker.
		SyncRun waiting = active.filter(run -> run.retrying() && run.incremental()).orElse(null);
		if (active.isPresent() && waiting == null) {
			return;
		}
		Optional<EntraConnection> found = this.connections.find(companyId);
		if (found.isEmpty() || !found.get().authorised()) {
			this.jdbc.sql("delete from entra_notification where company_id = :company").param("company", companyId).update();
			return;
		}
		EntraConnection connection = found.get();
		AtomicBoolean tree = new AtomicBoolean();
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
			Map<String, String> lifecycle = new HashMap<>();
			for (Notification notification : queued) {
				this.subscriptions.notified(notification.subscriptionId());
				if ("lifecycle".equals(notification.kind())) {
					lifecycle.put(notification.subscriptionId(), notification.lifecycleEvent());
					continue;
				}
				String resource = notification.resource() == null ? "" : notification.resource().toLowerCase(java.util.Locale.ROOT);
				if (resource.startsWith("groups") || resource.startsWith("/groups")) {
					membership = true;
					tree.set(true); // a group may have joined or left the tree: basic notifications do not say
					// Graph names the group whose members changed; a member's id, where one is sent, is refreshed.
					String[] parts = resource.replaceAll("^/+", "").split("/");
					String group = parts.length > 1 ? parts[1] : null;
					if (notification.objectId() != null && !notification.objectId().equalsIgnoreCase(connection.groupId())
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
								this.connections.lastError(companyId, "A removed subscription could not be made again: " + ex.getMessage());
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
					this.connections.lastError(companyId, "A subscription could not be reauthorised: " + ex.getMessage());
				}
			}
			if (full) {
				this.runs.start(companyId, EntraSource.KIND, false, null, Map.of(), ACTOR);
			}
			else if (!users.isEmpty() || membership || delta) {
				EntraSource.RunOptions changes = new EntraSource.RunOptions(true, new ArrayList<>(users), membership, delta);
				// Counted as waiting until the run succeeds: a run that fails is retried with them.
				long count = queued.stream().filter(n -> !"lifecycle".equals(n.kind())).count();
				if (waiting != null) {
					if (!this.runs.fold(waiting.id(), older -> EntraSource.RunOptions.of(older).fold(changes).asMap(), count)) {
						status.setRollbackOnly(); // it is being tried right now: the notifications wait for its end
					}
					return;
				}
				try {
					this.runs.start(companyId, EntraSource.KIND, false, null, SyncRun.counting(changes.asMap(), count), ACTOR);
				}
				catch (RequestRejectedException ex) {
					// A run started in between: roll back, so that the notifications wait for the next turn.
					status.setRollbackOnly();
				}
			}
		});
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
