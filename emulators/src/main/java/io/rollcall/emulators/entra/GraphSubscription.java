package io.rollcall.emulators.entra;

import java.time.Instant;

/** A change-notification subscription as the emulator holds it (a snapshot). */
public record GraphSubscription(
        String id,
        String resource,
        String changeType,
        String notificationUrl,
        String lifecycleNotificationUrl,
        String clientState,
        Instant expirationDateTime,
        String applicationId) {
}
