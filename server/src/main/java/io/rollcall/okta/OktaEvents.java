package io.rollcall.okta;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.rollcall.connector.ChangeWorker;
import io.rollcall.platform.Actor;
import io.rollcall.sync.SyncRun;
import io.rollcall.sync.SyncRuns;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The worker behind the event hook: turns a company's recorded events into incremental runs through the engine.
 * Per Okta user only the newest event counts, and only when it is newer than the last one applied (so a late,
 * older delivery changes nothing): deactivate, suspend, delete and removal from the app make the person departed;
 * every other event fetches the person and upserts them. People whose events were all profile updates are read
 * together (their assignment to the app is as it was); whoever else is read as the app's user, one call each. A
 * late membership event does not change the state, but has the person read again as the app's user: an earlier
 * profile update may have been read together while the assignment had changed.
 */
@Service
class OktaEvents extends ChangeWorker {

	static final Actor ACTOR = new Actor(Actor.Type.SYSTEM, "okta-events", "Okta event hooks");

	/** Events after which the person is gone from Rollcall's point of view. */
	static final Set<String> DEPARTURES = Set.of("user.lifecycle.deactivate", "user.lifecycle.suspend",
			"user.lifecycle.delete.initiated", "application.user_membership.remove");

	/** Events that leave the user's assignment to the app as it was. */
	static final Set<String> PROFILE_ONLY = Set.of("user.account.update_profile");

	/** Events that change who is assigned to the app, directly or through a group. */
	static final Set<String> MEMBERSHIP = Set.of("application.user_membership.add",
			"application.user_membership.remove",
			"group.user_membership.add", "group.user_membership.remove");

	/**
	 * The most events one run is made from, oldest first: a backlog becomes a few runs of bounded length back to back
	 * rather than one long run.
	 */
	static final int MAX_EVENTS_PER_RUN = 1000;

	private final JdbcClient jdbc;

	private final OktaConnections connections;

	private final TransactionTemplate transaction;

	OktaEvents(JdbcClient jdbc, SyncRuns runs, OktaConnections connections, TransactionTemplate transaction,
			@Value("${rollcall.okta.events-fallback-poll:5s}") Duration fallbackPoll) {
		super(OktaSource.KIND, ACTOR, runs, fallbackPoll);
		this.jdbc = jdbc;
		this.connections = connections;
		this.transaction = transaction;
	}

	private record Event(String uuid, Instant published, String type, String userId) {
	}

	@Override
	protected List<UUID> companiesWithChanges() {
		return this.jdbc.sql("select distinct company_id from okta_event where processed_at is null")
			.query(UUID.class)
			.list();
	}

	/** A run waiting to retry takes new events in up to a run's worth. */
	@Override
	protected boolean mayJoin(SyncRun waiting) {
		return waiting.changesWaiting() < MAX_EVENTS_PER_RUN;
	}

	/** Processed events are kept a week, long enough to recognise Okta's redeliveries. */
	void forgetOld(Instant now) {
		this.jdbc.sql("delete from okta_event where processed_at < :before")
			.param("before", Timestamp.from(now.minus(Duration.ofDays(7))))
			.update();
	}

	@Override
	protected void handle(UUID companyId, SyncRun waiting) {
		if (this.connections.find(companyId).isEmpty()) {
			this.jdbc.sql("delete from okta_event where company_id = :company").param("company", companyId).update();
			return;
		}
		// Events that change nothing (all older than what was applied) start no run: the next ones are looked at at once.
		while (Boolean.TRUE.equals(this.transaction.execute(status -> processOldest(companyId, waiting, status)))) {
		}
	}

	/** Makes a run of the oldest events, or adds them to the one waiting; true when neither was done but more wait. */
	private boolean processOldest(UUID companyId, SyncRun waiting, TransactionStatus status) {
		List<Event> events = this.jdbc.sql("""
				select uuid, published, event_type, user_id from okta_event
				where company_id = :company and processed_at is null
				order by published, uuid
				limit :limit
				for update skip locked
				""")
			.param("company", companyId)
			.param("limit", waiting == null ? MAX_EVENTS_PER_RUN : MAX_EVENTS_PER_RUN - waiting.changesWaiting())
			.query((rs, n) -> new Event(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
					rs.getString(4)))
			.list();
		if (events.isEmpty()) {
			return false;
		}
		Map<String, Event> newest = new LinkedHashMap<>();
		Set<String> assignmentMayChange = new HashSet<>();
		Set<String> membershipChanged = new HashSet<>();
		for (Event event : events) {
			newest.merge(event.userId(), event, (a, b) -> b.published().isBefore(a.published()) ? a : b);
			if (!PROFILE_ONLY.contains(event.type())) {
				assignmentMayChange.add(event.userId());
			}
			if (MEMBERSHIP.contains(event.type())) {
				membershipChanged.add(event.userId());
			}
		}
		Map<String, Instant> applied = lastApplied(companyId, newest.keySet());
		List<String> refresh = new ArrayList<>();
		List<String> profiles = new ArrayList<>();
		List<String> departed = new ArrayList<>();
		List<Event> applying = new ArrayList<>();
		for (Event event : newest.values()) {
			Instant last = applied.get(event.userId());
			if (last != null && !event.published().isAfter(last)) {
				// Older than what was applied: delivered late, out of order. Only a membership change is looked at again.
				if (membershipChanged.contains(event.userId())) {
					refresh.add(event.userId());
				}
				continue;
			}
			if (DEPARTURES.contains(event.type())) {
				departed.add(event.userId());
			}
			else {
				(assignmentMayChange.contains(event.userId()) ? refresh : profiles).add(event.userId());
			}
			applying.add(event);
		}
		this.jdbc.sql("""
				insert into okta_user_state (company_id, user_id, last_published)
				select :company, user_id, published
				from unnest(cast(:users as text[]), cast(:published as timestamptz[])) as e (user_id, published)
				on conflict (company_id, user_id) do update set last_published = excluded.last_published
				""")
			.param("company", companyId)
			.param("users", applying.stream().map(Event::userId).toArray(String[]::new))
			.param("published", applying.stream().map(e -> e.published().toString()).toArray(String[]::new))
			.update();
		this.jdbc.sql("update okta_event set processed_at = now() where company_id = :company and uuid = any(:uuids)")
			.param("company", companyId)
			.param("uuids", events.stream().map(Event::uuid).toArray(String[]::new))
			.update();
		if (refresh.isEmpty() && profiles.isEmpty() && departed.isEmpty()) {
			return events.size() == MAX_EVENTS_PER_RUN;
		}
		OktaSource.RunOptions changes = new OktaSource.RunOptions(true, refresh, profiles, departed);
		startOrJoin(companyId, waiting, changes.asMap(), older -> OktaSource.RunOptions.of(older).fold(changes).asMap(),
				events.size(), status);
		return false;
	}

	@Override
	public long waiting(UUID companyId) {
		return this.jdbc.sql("""
				select count(*) from okta_event
				where (cast(:company as uuid) is null or company_id = :company) and processed_at is null
				""").param("company", companyId).query(Long.class).single();
	}

	private Map<String, Instant> lastApplied(UUID companyId, Set<String> userIds) {
		Map<String, Instant> applied = new HashMap<>();
		this.jdbc.sql(
				"select user_id, last_published from okta_user_state where company_id = :company and user_id = any(:ids)")
			.param("company", companyId)
			.param("ids", userIds.toArray(new String[0]))
			.query(rs -> {
				applied.put(rs.getString(1), rs.getTimestamp(2).toInstant());
			});
		return applied;
	}

}
