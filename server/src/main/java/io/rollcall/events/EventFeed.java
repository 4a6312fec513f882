package io.rollcall.events;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rollcall.platform.Actor;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * A company's events in the order the sequencer numbered them, which is the order they committed in. Reads run
 * outside any transaction on purpose: a long poll must not hold a connection while it waits.
 */
@Service
public class EventFeed {

	/**
	 * Positions one read looks through at most, from the company's next event. Positions count every company's events,
	 * so a filter that matches little costs a bounded scan per read; the cursor moves on regardless.
	 */
	static final long SCAN = 100_000;

	/**
	 * An event's columns as it is read, aliased {@code e}: its subject from the event that carries it when the
	 * transaction's events share one ({@code subject_at}, see {@link Outbox}).
	 */
	private static final String COLUMNS = """
			e.id, e.type, e.company_id, e.at, e.actor_type, e.actor_id, e.actor_label, e.run_id, e.subject_type,
			e.subject_id, e.changes, e.position,
			coalesce(e.subject, (select s.subject from domain_event s
			                     where s.company_id = e.company_id and s.position = e.subject_at)) as subject
			""";

	/** How often a waiting reader looks in the database for another node's events. */
	private static final Duration LOOK_AGAIN = Duration.ofMillis(100);

	private final JdbcClient jdbc;

	private final Sequencer sequencer;

	EventFeed(JdbcClient jdbc, Sequencer sequencer) {
		this.jdbc = jdbc;
		this.sequencer = sequencer;
	}

	/** Up to {@code limit} of the company's events after {@code afterPosition}, oldest first, at once. */
	public List<Event> read(UUID companyId, long afterPosition, int limit) {
		return read(companyId, new EventCursor(afterPosition), EventTypes.ALL, limit).items();
	}

	/** The company's events with these ids (the number in {@code evt_<n>}), those still kept, by id. */
	Map<Long, Event> byIds(UUID companyId, java.util.Collection<Long> ids) {
		Map<Long, Event> events = new java.util.HashMap<>();
		if (ids.isEmpty()) {
			return events;
		}
		this.jdbc
			.sql("select " + COLUMNS
					+ " from domain_event e where company_id = :company and id = any(:ids) and position is not null")
			.param("company", companyId)
			.param("ids", ids.toArray(Long[]::new))
			.query(this::event)
			.list()
			.forEach(event -> events.put(Long.parseLong(event.id().substring("evt_".length())), event));
		return events;
	}

	/** The position of the last event numbered so far, over every company. */
	public long lastPosition() {
		long last = this.jdbc.sql("select last_position from event_sequencer").query(Long.class).single();
		this.sequencer.advanceTo(last);
		return last;
	}

	EventPage read(UUID companyId, EventCursor after, EventTypes types, int limit) {
		// The last numbered position first, then the events up to it: a pass's numbers commit together, so every
		// position up to it is visible to the second read, and the cursor may jump past what the filter skipped.
		long known = lastPosition();
		// From the company's next event: a cursor older than what retention kept reads on from the oldest event kept,
		// and a quiet company's reader is not walked through other companies' positions a scan at a time. No event of
		// the company can take a position below it later: every position up to the last numbered is given out.
		long from = Math.max(after.position(), firstAfter(companyId, after.position()) - 1);
		long last = Math.min(known, from + SCAN);
		List<Event> items = this.jdbc.sql("""
				select %s from domain_event e
				where company_id = :company and position > :after and position <= :last
				  and (cast(:filtered as boolean) = false or type = any(cast(:exact as text[]))
				       or exists (select 1 from unnest(cast(:prefixes as text[])) p where starts_with(type, p)))
				order by position
				limit :limit
				""".formatted(COLUMNS))
			.param("company", companyId)
			.param("after", from)
			.param("last", last)
			.param("filtered", !types.all())
			.param("exact", types.exact().toArray(String[]::new))
			.param("prefixes", types.prefixes().toArray(String[]::new))
			.param("limit", limit)
			.query(this::event)
			.list();
		if (items.size() == limit) {
			return new EventPage(items, items.getLast().cursor());
		}
		return new EventPage(items, new EventCursor(Math.max(last, after.position())).encode());
	}

	/** The position of the company's first event after {@code position}; {@code position + 1} when there is none. */
	private long firstAfter(UUID companyId, long position) {
		return this.jdbc
			.sql("""
					select coalesce(min(position), :after + 1) from domain_event where company_id = :company and position > :after
					""")
			.param("company", companyId)
			.param("after", position)
			.query(Long.class)
			.single();
	}

	/**
	 * Like {@link #read}, but when nothing new has been numbered yet, waits up to {@code wait} for something that
	 * passes the filter, so a consumer hears a change within a fraction of a second without asking again and again.
	 */
	EventPage await(UUID companyId, EventCursor after, EventTypes types, int limit, Duration wait) {
		// Real time, not the application's clock: a wait is about the consumer's connection, not about business dates.
		long deadline = System.nanoTime() + wait.toNanos();
		EventCursor cursor = after;
		while (true) {
			EventPage page = read(companyId, cursor, types, limit);
			long left = deadline - System.nanoTime();
			if (!page.items().isEmpty() || left <= 0) {
				return page;
			}
			cursor = EventCursor.decode(page.nextCursor());
			try {
				// This node's passes wake the reader at once; another node's are seen at the next look.
				this.sequencer.awaitPast(cursor.position(), Duration.ofNanos(Math.min(left, LOOK_AGAIN.toNanos())));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return page;
			}
		}
	}

	private Event event(ResultSet rs, int row) throws SQLException {
		long position = rs.getLong("position");
		String actorType = rs.getString("actor_type");
		Actor actor = actorType == null ? Actor.system()
				: new Actor(Actor.Type.valueOf(actorType.toUpperCase(java.util.Locale.ROOT)), rs.getString("actor_id"),
						rs.getString("actor_label"));
		String subject = rs.getString("subject");
		return new Event("evt_" + rs.getLong("id"), rs.getString("type"), rs.getObject("company_id", UUID.class),
				rs.getTimestamp("at").toInstant(), actor, rs.getObject("run_id", UUID.class),
				rs.getString("subject_type"),
				rs.getObject("subject_id", UUID.class), subject, rs.getString("changes"),
				new EventCursor(position).encode());
	}

}
