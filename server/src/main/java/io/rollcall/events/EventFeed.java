package io.rollcall.events;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import tools.jackson.databind.ObjectMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.util.Assert;

/**
 * A company's events in the order their transactions committed (see the V14 migration for how positions are
 * taken). Reads run outside any transaction on purpose: a long poll must not hold a connection while it waits.
 */
@Service
public final class EventFeed {

	/** How often a waiting reader looks for a new commit: one primary-key read, so a tenth of a second is cheap. */
	private static final Duration LOOK_AGAIN = Duration.ofMillis(100);

	private final JdbcClient jdbc;

	private final ObjectMapper json;

	EventFeed(JdbcClient jdbc, ObjectMapper json) {
		Assert.notNull(jdbc, "jdbc cannot be null");
		Assert.notNull(json, "json cannot be null");
		this.jdbc = jdbc;
		this.json = json;
	}

	/** Up to {@code limit} events after the cursor, at once, even when there are none. */
	EventPage read(UUID companyId, EventCursor after, EventTypes types, int limit) {
		// The last committed position first, then the events up to it: a commit landing between the two reads is
		// left for the next page instead of being skipped by a cursor that jumps past it.
		long lastPosition = lastPosition(companyId);
		List<Event> items = this.jdbc.sql("""
				select c.position, e.id, e.type, e.at, e.subject_id, e.run_id, e.payload
				from event_commit c join domain_event e on e.company_id = c.company_id and e.xid = c.xid
				where c.company_id = :company and c.position <= :last
				  and (c.position > :position or (c.position = :position and e.id > :eventId))
				  and (cast(:filtered as boolean) = false or e.type = any(cast(:exact as text[]))
				       or exists (select 1 from unnest(cast(:prefixes as text[])) p where starts_with(e.type, p)))
				order by c.position, e.id
				limit :limit
				""")
			.param("company", companyId)
			.param("last", lastPosition)
			.param("position", after.position())
			.param("eventId", after.eventId())
			.param("filtered", !types.all())
			.param("exact", types.exact().toArray(String[]::new))
			.param("prefixes", types.prefixes().toArray(String[]::new))
			.param("limit", limit)
			.query(this::event)
			.list();
		if (items.size() == limit) {
			return new EventPage(items, items.getLast().cursor());
		}
		// Everything up to the last commit was read (the filter may have skipped some): resume after it.
		EventCursor end = EventCursor.endOf(lastPosition);
		return new EventPage(items, (end.compareTo(after) > 0 ? end : after).encode());
	}

	/**
	 * Like {@link #read}, but when nothing new has committed yet, waits up to {@code wait} for something that
	 * passes the filter, so a consumer hears a change within a fraction of a second without asking again and again.
	 */
	EventPage await(UUID companyId, EventCursor after, EventTypes types, int limit, Duration wait) {
		// Real time, not the application's clock: a wait is about the consumer's connection, not about business dates.
		long deadline = System.nanoTime() + wait.toNanos();
		EventCursor cursor = after;
		while (true) {
			EventPage page = read(companyId, cursor, types, limit);
			if (!page.items().isEmpty() || System.nanoTime() - deadline >= 0) {
				return page;
			}
			cursor = EventCursor.decode(page.nextCursor());
			long seen = cursor.position();
			while (lastPosition(companyId) <= seen && System.nanoTime() - deadline < 0) {
				try {
					Thread.sleep(LOOK_AGAIN);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return page;
				}
			}
		}
	}

	private long lastPosition(UUID companyId) {
		return this.jdbc.sql("select last_position from event_counter where company_id = :company")
			.param("company", companyId)
			.query(Long.class)
			.optional()
			.orElse(0L);
	}

	private Event event(ResultSet rs, int row) throws SQLException {
		long eventId = rs.getLong("id");
		return new Event("evt_" + eventId, rs.getString("type"), rs.getTimestamp("at").toInstant(),
				rs.getObject("subject_id", UUID.class), rs.getObject("run_id", UUID.class),
				this.json.readTree(rs.getString("payload")),
				new EventCursor(rs.getLong("position"), eventId).encode());
	}

}
