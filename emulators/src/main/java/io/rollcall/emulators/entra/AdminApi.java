package io.rollcall.emulators.entra;

import io.rollcall.emulators.http.HttpCall;

/** The emulator's own HTTP API under {@code /_emulator}, mirroring the Java admin operations. */
final class AdminApi {

    private final EntraEmulator emulator;

    AdminApi(EntraEmulator emulator) {
        this.emulator = emulator;
    }

    void handle(HttpCall call) {
        call.respondText(404, "text/plain", "not yet");
    }
}
