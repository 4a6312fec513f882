package io.rollcall.audit;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.rollcall.platform.Actor;

/**
 * @param subjectType what changed: person, team, api_key, company, ...
 * @param action what happened to it: created, updated, deactivated, invited, ...
 * @param changes field name to old and new value
 */
public record AuditEntry(long id, Instant at, Actor actor, String subjectType, UUID subjectId, String action,
		Map<String, FieldChange> changes) {
}
