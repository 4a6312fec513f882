package io.rollcall.events;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One change in a company, as the feed gives it.
 *
 * @param id unique and stable: a consumer that reads an event twice (after resuming) recognises it by its id
 * @param type what happened, dotted: {@code person.created}, {@code person.updated}, {@code tag.added}, ...
 * @param runId the sync run that made the change, or null for a change made outside a run
 * @param changes what the change touched: each field from its old value to its new one (a tag event: the tag)
 * @param cursor where the feed resumes to read what came after this event
 */
public record Event(String id, String type, Instant at, UUID subjectId, UUID runId, Map<String, Object> changes,
		String cursor) {
}
