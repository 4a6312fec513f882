package io.rollcall.emulators.http;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * An emulator's own admin API under {@code /_emulator}: its route is given the path segments after that, and what it
 * refuses is answered {@code {"error": ...}}: 400 for a bad request or state, 404 for something that does not exist.
 */
public final class AdminRequests {

    /** Answers one admin request. */
    @FunctionalInterface
    public interface Route {
        void handle(HttpCall call, List<String> segments);
    }

    private AdminRequests() {
    }

    public static void handle(HttpCall call, Route route) {
        try {
            route.handle(call, call.segments().subList(1, call.segments().size()));
        }
        catch (IllegalArgumentException | IllegalStateException | BadRequest ex) {
            call.respondValue(400, Map.of("error", String.valueOf(ex.getMessage())));
        }
        catch (NoSuchElementException ex) {
            call.respondValue(404, Map.of("error", String.valueOf(ex.getMessage())));
        }
    }
}
