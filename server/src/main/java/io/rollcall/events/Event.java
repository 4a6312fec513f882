package io.rollcall.events;

import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * One change in a company, as the feed gives it.
 *
 * @param id unique and stable: a consumer that reads an event twice (after resuming) recognises it by its id
 * @param type what happened, dotted: {@code person.created}, {@code person.updated}, {@code tag.added}, ...
 * @param runId the sync run that made the change, or null for a change made outside a run
 * @param changes the fields the change touched, each from its old value to its new one
 * @param cursor where the feed resumes to read what came after this event
 */
public record Event(String id, String type, Instant at, UUID subjectId, UUID runId, JsonNode changes,
		String cursor) {
}
