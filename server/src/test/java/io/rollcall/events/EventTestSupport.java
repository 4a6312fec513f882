package io.rollcall.events;

import java.time.Duration;

import org.springframework.jdbc.core.simple.JdbcClient;

/** For tests that read the feed from "now": a cursor after every event committed so far, once all are numbered. */
public final class EventTestSupport {

	private EventTestSupport() {
	}

	public static String cursorAfterEverything(JdbcClient jdbc) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (jdbc.sql("select exists (select 1 from domain_event where position is null)").query(Boolean.class).single()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("The sequencer left events unnumbered for 10 s");
			}
			Thread.sleep(20);
		}
		return new EventCursor(jdbc.sql("select last_position from event_sequencer").query(Long.class).single()).encode();
	}

}
