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
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

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
 * <p>
 * It works on its own thread ({@link QueueWorker}), woken by the receiver once events are recorded and by the end of
 * the company's Okta run, so events that came during a run go into the next one as soon as it ends. A fallback poll
 * picks up events that nobody woke it for (recorded by another node, or left by a crash). Only one run per company
 * and source can be active (the engine refuses a second), so two nodes never handle a company's events at once.
 */
@Service
class OktaEvents implements SmartLifecycle, ChangeQueue {

	static final Actor ACTOR = new Actor(Actor.Type.SYSTEM, "okta-events", "Okta event hooks");

	/** Events after which the person is gone from Rollcall's point of view. */
	static final Set<String> DEPARTURES = Set.of("user.lifecycle.deactivate", "user.lifecycle.suspend",
			"user.lifecycle.delete.initiated", "application.user_membership.remove");

	/** Events that leave the user's assignment to the app as it was. */
	static final Set<String> PROFILE_ONLY = Set.of("user.account.update_profile");

	/** Events that change who is assigned to the app, directly or through a group. */
	static final Set<String> MEMBERSHIP = Set.of("application.user_membership.add", "application.user_membership.remove",
			"group.user_membership.add", "group.user_membership.remove");

	/**
	 * The most events one run is made from, oldest first: a backlog becomes a few runs of bounded length back to back
	 * rather than one long run.
	 */
	static final int MAX_EVENTS_PER_RUN = 1000;

	private static final Logger log = LoggerFactory.getLogger(OktaEvents.class);

	private final JdbcClient jdbc;

	private final SyncRuns runs;

	private final OktaConnections connections;

	private final TransactionTemplate transaction;

	private final QueueWorker worker;

	OktaEvents(JdbcClient jdbc, SyncRuns runs, OktaConnections connections, TransactionTemplate transaction,
			@Value("${rollcall.okta.events-fallback-poll:5s}") Duration fallbackPoll) {
		this.jdbc = jdbc;
		this.runs = runs;
		this.connections = connections;
		this.transaction = transaction;
		this.worker = new QueueWorker("okta-events", fallbackPoll, this::processQueued);
	}

	/** Events were recorded: they are looked at once the recording commits. */
	void recorded() {
		this.worker.wakeAfterCommit();
	}

	@EventListener
	void on(SyncRunEnded ended) {
		if (OktaSource.KIND.equals(ended.source())) {
			this.worker.wakeAfterCommit();
		}
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
			.param("before", Timestamp.from(now.minus(Duration.ofDays(7))))
			.update();
	}

	private void process(UUID companyId) {
		Optional<SyncRun> active = this.runs.active(companyId, OktaSource.KIND);
		// A run that waits to retry takes the new events in (its next attempt reads them too), up to a run's worth; any
		// other active run keeps them recorded until it ends, which wakes the worker.
		SyncRun waiting = active.filter(run -> run.retrying() && run.incremental()).orElse(null);
		if (active.isPresent() && (waiting == null || waiting.changesWaiting() >= MAX_EVENTS_PER_RUN)) {
			return;
		}
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
			.query((rs, n) -> new Event(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4)))
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
		if (waiting != null) {
			if (!this.runs.fold(waiting.id(), older -> OktaSource.RunOptions.of(older).fold(changes).asMap(), events.size())) {
				status.setRollbackOnly(); // it is being tried right now: the events wait for its end
			}
			return false;
		}
		// Counted as waiting until the run succeeds: a run that fails is retried with them.
		Map<String, Object> options = SyncRun.counting(changes.asMap(), events.size());
		try {
			this.runs.start(companyId, OktaSource.KIND, false, null, options, ACTOR);
		}
		catch (RequestRejectedException ex) {
			// A run started in between: roll back, so that the events wait for the next turn.
			status.setRollbackOnly();
		}
		return false;
	}

	@Override
	public String source() {
		return OktaSource.KIND;
	}

	@Override
	public long waiting(UUID companyId) {
		return this.jdbc.sql("""
				select count(*) from okta_event
				where (cast(:company as uuid) is null or company_id = :company) and processed_at is null
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
