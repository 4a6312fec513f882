package io.rollcall.okta;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import io.rollcall.sync.SyncRuns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The worker behind the event hook: turns a company's recorded events into one incremental run through the engine.
 * Per Okta user only the newest event counts, and only when it is newer than the last one applied (so a late,
 * older delivery changes nothing): deactivate, suspend, delete and removal from the app make the person departed;
 * every other event fetches the person and upserts them.
 */
@Service
class OktaEvents {

	static final Actor ACTOR = new Actor(Actor.Type.SYSTEM, "okta-events", "Okta event hooks");

	/** Events after which the person is gone from Rollcall's point of view. */
	static final Set<String> DEPARTURES = Set.of("user.lifecycle.deactivate", "user.lifecycle.suspend",
			"user.lifecycle.delete.initiated", "application.user_membership.remove");

	private static final Logger log = LoggerFactory.getLogger(OktaEvents.class);

	private final JdbcClient jdbc;

	private final SyncRuns runs;

	private final OktaConnections connections;

	private final TransactionTemplate transaction;

	OktaEvents(JdbcClient jdbc, SyncRuns runs, OktaConnections connections, TransactionTemplate transaction) {
		this.jdbc = jdbc;
		this.runs = runs;
		this.connections = connections;
		this.transaction = transaction;
	}

	private record Event(String uuid, Instant published, String type, String userId) {
	}

	/** Handles every company with recorded events; a company whose Okta run is still going waits its turn. */
	void processQueued() {
		List<UUID> companies = this.jdbc.sql("select distinct company_id from okta_event where processed_at is null")
			.query(UUID.class)
			.list();
		for (UUID company : companies) {
			try {
				process(company);
			}
			catch (RuntimeException ex) {
				log.warn("Okta: events of company {} could not be handled yet: {}", company, ex.getMessage());
			}
		}
	}

	/** Processed events are kept a week, long enough to recognise Okta's redeliveries. */
	void forgetOld(Instant now) {
		this.jdbc.sql("delete from okta_event where processed_at < :before")
			.param("before", Timestamp.from(now.minus(java.time.Duration.ofDays(7))))
			.update();
	}

	private void process(UUID companyId) {
		if (this.runs.active(companyId, OktaSource.KIND).isPresent()) {
			return; // the events stay recorded until the current run ends
		}
		if (this.connections.find(companyId).isEmpty()) {
			this.jdbc.sql("delete from okta_event where company_id = :company").param("company", companyId).update();
			return;
		}
		this.transaction.executeWithoutResult(status -> {
			List<Event> events = this.jdbc.sql("""
					select uuid, published, event_type, user_id from okta_event
					where company_id = :company and processed_at is null
					order by published, uuid
					for update skip locked
					""")
				.param("company", companyId)
				.query((rs, n) -> new Event(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4)))
				.list();
			if (events.isEmpty()) {
				return;
			}
			Map<String, Event> newest = new LinkedHashMap<>();
			for (Event event : events) {
				newest.merge(event.userId(), event, (a, b) -> b.published().isBefore(a.published()) ? a : b);
			}
			Map<String, Instant> applied = lastApplied(companyId, newest.keySet());
			List<String> refresh = new ArrayList<>();
			List<String> departed = new ArrayList<>();
			for (Event event : newest.values()) {
				Instant last = applied.get(event.userId());
				if (last != null && !event.published().isAfter(last)) {
					continue; // older than what was applied: delivered late, out of order
				}
				(DEPARTURES.contains(event.type()) ? departed : refresh).add(event.userId());
				this.jdbc.sql("""
						insert into okta_user_state (company_id, user_id, last_published) values (:company, :user, :at)
						on conflict (company_id, user_id) do update set last_published = excluded.last_published
						""")
					.param("company", companyId)
					.param("user", event.userId())
					.param("at", Timestamp.from(event.published()))
					.update();
			}
			this.jdbc.sql("update okta_event set processed_at = now() where company_id = :company and uuid = any(:uuids)")
				.param("company", companyId)
				.param("uuids", events.stream().map(Event::uuid).toArray(String[]::new))
				.update();
			if (refresh.isEmpty() && departed.isEmpty()) {
				return;
			}
			Map<String, Object> options = new OktaSource.RunOptions(true, refresh, departed).asMap();
			try {
				this.runs.start(companyId, OktaSource.KIND, false, null, options, ACTOR);
			}
			catch (RequestRejectedException ex) {
				// A run started in between: roll back, so that the events wait for the next turn.
				status.setRollbackOnly();
			}
		});
	}

	private Map<String, Instant> lastApplied(UUID companyId, Set<String> userIds) {
		Map<String, Instant> applied = new HashMap<>();
		this.jdbc.sql("select user_id, last_published from okta_user_state where company_id = :company and user_id = any(:ids)")
			.param("company", companyId)
			.param("ids", userIds.toArray(new String[0]))
			.query(rs -> {
				applied.put(rs.getString(1), rs.getTimestamp(2).toInstant());
			});
		return applied;
	}

}
