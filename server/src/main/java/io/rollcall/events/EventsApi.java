package io.rollcall.events;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rollcall.company.Company;
import io.rollcall.platform.RequestRejectedException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The company's event feed, for the application Rollcall serves. */
@Tag(name = "Events")
@RestController
class EventsApi {

	/** Long enough to spare the consumer most requests, short enough for proxies that cut idle connections at 60 s. */
	static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

	private static final Pattern WAIT = Pattern.compile("^(\\d{1,6})(ms|s)?$");

	private final EventFeed feed;

	EventsApi(EventFeed feed) {
		this.feed = feed;
	}

	@GetMapping("/api/v1/events")
	@Operation(operationId = "listEvents", summary = "Read the event feed",
			description = "The company's changes in the order they were committed, oldest first. Pass the nextCursor of the "
					+ "previous answer as after to read on: nothing committed is ever skipped, even when several changes commit "
					+ "at once, and reading again from an older cursor gives the same events with the same ids. With wait, "
					+ "an answer that would be empty waits up to that long (at most 30s) for the next change, and returns as "
					+ "soon as one commits.")
	EventPage list(Company company,
			@Parameter(
					description = "The nextCursor of the previous answer; absent reads from the oldest event kept") @RequestParam(
							required = false) String after,
			@Parameter(
					description = "Comma-separated event types (person.created) or subjects (person.*); absent means all") @RequestParam(
							required = false) String types,
			@Parameter(description = "At most this many events, 1 to 1000") @RequestParam(
					defaultValue = "100") int limit,
			@Parameter(
					description = "How long to wait for a change when there is none yet, e.g. 30s or 500ms; at most 30s") @RequestParam(
							required = false) String wait) {
		if (limit < 1 || limit > 1000) {
			throw RequestRejectedException.invalid("limit", "'limit' must be between 1 and 1000");
		}
		EventCursor cursor = EventCursor.decode(after);
		EventTypes wanted = EventTypes.parse(types);
		Duration waiting = wait(wait);
		return waiting.isZero() ? this.feed.read(company.id(), cursor, wanted, limit)
				: this.feed.await(company.id(), cursor, wanted, limit, waiting);
	}

	private static Duration wait(String wait) {
		if (wait == null || wait.isBlank()) {
			return Duration.ZERO;
		}
		Matcher matcher = WAIT.matcher(wait.strip());
		Duration duration = null;
		if (matcher.matches()) {
			long amount = Long.parseLong(matcher.group(1));
			duration = "ms".equals(matcher.group(2)) ? Duration.ofMillis(amount) : Duration.ofSeconds(amount);
		}
		if (duration == null || duration.compareTo(LONGEST_WAIT) > 0) {
			throw RequestRejectedException.invalid("wait",
					"'wait' must be a duration of at most 30s, written like 30s, 5 or 500ms");
		}
		return duration;
	}

}
