package io.rollcall.sync;

import java.util.Map;
import java.util.UUID;

import io.rollcall.audit.FieldChange;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One thing a run's plan does.
 *
 * @param kind team, create, update, link, reactivate, deactivate, manager, invite or error
 * @param label the person's e-mail or the team's name
 * @param message for errors: what is wrong and where ("line 17: ..."); for apply failures, why it failed
 */
public record PlanItem(int seq, @Schema(implementation = String.class) PlanKind kind, String externalId, UUID personId,
		String label,
		Map<String, FieldChange> changes, String message, boolean applied) {
}
