package io.rollcall.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.rollcall.support.RollcallClient;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** For tests that read the feed from "now", through HTTP, and check its events. */
public final class EventTestSupport {

	private EventTestSupport() {
	}

	/** A cursor after every event committed so far, once all are numbered. */
	public static String cursorAfterEverything(JdbcClient jdbc) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (jdbc.sql("select exists (select 1 from domain_event where position is null)")
			.query(Boolean.class)
			.single()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("The sequencer left events unnumbered for 10 s");
			}
			Thread.sleep(20);
		}
		return new EventCursor(jdbc.sql("select last_position from event_sequencer").query(Long.class).single())
			.encode();
	}

	/** Every event of the company after the cursor, through {@code GET /api/v1/events}, once all committed so far are numbered. */
	public static List<JsonNode> eventsAfter(RollcallClient client, JdbcClient jdbc, TestCompany company, String cursor)
			throws InterruptedException {
		cursorAfterEverything(jdbc);
		List<JsonNode> events = new ArrayList<>();
		String after = cursor;
		while (true) {
			Response page = client.api(company, "GET", "/api/v1/events?limit=1000&after=" + after);
			assertThat(page.status()).as(page.body()).isEqualTo(200);
			page.json().path("items").forEach(events::add);
			if (page.json().path("items").size() < 1000) {
				return events;
			}
			after = page.json().path("nextCursor").asString();
		}
	}

	/** The event's subject is what the API answers for it now ({@code path} ends with "/"). */
	public static void assertSubjectIsAsApiShows(RollcallClient client, TestCompany company, JsonNode event,
			String path) {
		Response api = client.api(company, "GET", path + event.path("subjectId").asString());
		assertThat(api.status()).isEqualTo(200);
		assertThat(event.path("subject")).as(event.path("type").asString()).isEqualTo(api.json());
	}

	public static void assertActor(JsonNode event, String type, String label) {
		assertThat(event.path("actor").path("type").asString()).as(event.toString()).isEqualTo(type);
		assertThat(event.path("actor").path("label").asString()).as(event.toString()).isEqualTo(label);
	}

	/** A change's {from, to}, as text (null for none). */
	public static List<String> change(JsonNode event, String field) {
		JsonNode change = event.path("changes").path(field);
		assertThat(change.isMissingNode()).as(field + " in " + event.path("changes")).isFalse();
		List<String> fromTo = new ArrayList<>();
		fromTo.add(change.path("from").isNull() || change.path("from").isMissingNode() ? null
				: change.path("from").asString());
		fromTo
			.add(change.path("to").isNull() || change.path("to").isMissingNode() ? null : change.path("to").asString());
		return fromTo;
	}

	public static List<String> types(List<JsonNode> events) {
		return events.stream().map(e -> e.path("type").asString()).toList();
	}

	public static List<String> subjects(List<JsonNode> events) {
		return events.stream().map(e -> e.path("subjectId").asString()).toList();
	}

	public static List<String> runIds(List<JsonNode> events) {
		return events.stream().map(e -> e.path("runId").asString()).toList();
	}

}
