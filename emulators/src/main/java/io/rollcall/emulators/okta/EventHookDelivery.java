package io.rollcall.emulators.okta;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One POST (or verification GET) made to an event hook: kind {@code verification} or {@code events}, the
 * event uuids it carried in order, the attempt (1 or 2), the status answered (0 = no answer), how long the
 * hook took, and the body sent.
 */
public record EventHookDelivery(String hookId, String kind, String url, List<String> eventUuids, int attempt,
        int status,
        Duration responseTime, Instant sentAt, String body) {

    public EventHookDelivery {
        eventUuids = List.copyOf(eventUuids);
    }
}
