package io.rollcall.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Where a company's events are sent, as the API and the console show it; never its secret.
 *
 * @param eventTypes exact types ({@code person.created}) or every type of a subject ({@code person.*}); empty means all
 * @param disabledReason why deliveries stopped (an admin, a 410 answer, five days of failures), or null when enabled
 * @param previousSecretValidUntil until when deliveries are also signed with the secret before the last rotation
 * @param failingSince since when every attempt has failed, or null
 */
public record WebhookEndpoint(UUID id, String url, String description, List<String> eventTypes, boolean enabled,
		String disabledReason, Instant disabledAt, Instant previousSecretValidUntil, Instant failingSince,
		Instant createdAt, Instant updatedAt) {
}
