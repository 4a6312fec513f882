package io.rollcall.emulators.entra;

import java.util.List;
import java.util.Map;

import io.rollcall.emulators.http.HttpCall;

/** OpenID Connect sign-in: discovery, JWKS, authorize with PKCE, and the code exchange. */
final class OidcProvider {

    private final EntraEmulator emulator;

    OidcProvider(EntraEmulator emulator) {
        this.emulator = emulator;
    }

    boolean handles(List<String> segments) {
        return false;
    }

    void handle(HttpCall call, List<String> segments) {
        call.respondText(404, "text/plain", "OIDC is not there yet");
    }

    void token(HttpCall call, String tenantSegment, Map<String, String> form) {
        LoginApi.aadError(call, 400, "unsupported_grant_type", 70003, "The emulator does not issue " + form.get("grant_type") + " tokens yet.");
    }
}
