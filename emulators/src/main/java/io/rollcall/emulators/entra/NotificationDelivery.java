package io.rollcall.emulators.entra;

import java.time.Duration;
import java.time.Instant;

/**
 * One POST the emulator made to a subscriber: a batch of change notifications, a lifecycle notification,
 * or a validation request.
 *
 * @param kind {@code "change"}, {@code "lifecycle"} or {@code "validation"}
 * @param items notifications in the batch (1 for lifecycle and validation)
 * @param attempt 1 for the first try, 2.. for retries
 * @param status the HTTP status received, or 0 when the subscriber did not answer (timeout, refused)
 * @param responseTime from sending the request to receiving the status
 * @param sentAt emulator-clock time the POST was sent
 * @param body the JSON sent (empty for validation)
 */
public record NotificationDelivery(
        String subscriptionId,
        String kind,
        String url,
        int items,
        int attempt,
        int status,
        Duration responseTime,
        Instant sentAt,
        String body) {

    public boolean succeeded() {
        return this.status >= 200 && this.status < 300;
    }
}
