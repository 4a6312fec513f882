package io.rollcall.emulators.entra;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Server-side state behind {@code $skiptoken}s: each token points at an immutable snapshot plus an offset, so
 * a client following nextLinks sees every object once even while the directory changes, and may re-request
 * a page after a 429 or a dropped connection.
 */
final class Pages {

    private static final int MAX_ENTRIES = 100_000;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Object> states = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    synchronized String put(Object state) {
        byte[] bytes = new byte[18];
        this.random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        this.states.put(token, state);
        return token;
    }

    synchronized Object get(String token) {
        return this.states.get(token);
    }
}
