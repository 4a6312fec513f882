package io.rollcall.emulators.okta;

import java.util.Set;

/** A registered event hook: where events go, the {@code Authorization} value sent, and whether it is verified. */
public record EventHook(String id, String name, String url, String authorization, Set<String> eventTypes,
        String verificationStatus) {

    public EventHook {
        eventTypes = Set.copyOf(eventTypes);
    }
}
