package io.rollcall.events;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.media.Schema;
import io.rollcall.platform.Actor;

/**
 * One change in a company, as the feed gives it and a webhook delivers it.
 *
 * @param id unique and stable: a consumer that gets an event twice (after resuming, or a delivery retried) knows it
 * by its id
 * @param type what happened, dotted: {@code person.created}, {@code membership.added}, ... (see {@link EventType})
 * @param actor who or which source made the change: a person, an API key, a sync source, the operator, Rollcall
 * @param runId the sync run that made the change, or null for a change made outside a run
 * @param subjectType {@code person}, {@code team}, {@code tag} or {@code sync_run}; a membership's subject is the person
 * @param subject the subject as the change left it, the same JSON as the API's; as it was last for a deletion
 * @param changes the fields the change touched, each {@code {from, to}}; for a membership, {@code team} or {@code tag}
 * <p>
 * {@code subject} and {@code changes} are JSON as stored, passed through without parsing: a feed read at tens of
 * thousands of events a second spends its time there otherwise.
 * @param cursor where the feed resumes to read what came after this event; absent from webhook deliveries
 */
public record Event(String id, String type, UUID companyId, Instant occurredAt, Actor actor, UUID runId,
		String subjectType, UUID subjectId,
		@JsonRawValue @Schema(type = "object", description = "The subject as the change left it") String subject,
		@JsonRawValue @Schema(type = "object",
				description = "Each field the change touched: {from, to}") String changes,
		@JsonInclude(JsonInclude.Include.NON_NULL) String cursor) {

	/** The same event without its place in the feed, as a webhook delivers it. */
	public Event withoutCursor() {
		return new Event(this.id, this.type, this.companyId, this.occurredAt, this.actor, this.runId, this.subjectType,
				this.subjectId, this.subject, this.changes, null);
	}

	/** Its position in the company's feed. */
	public long position() {
		return this.cursor == null ? 0 : EventCursor.decode(this.cursor).position();
	}

}
