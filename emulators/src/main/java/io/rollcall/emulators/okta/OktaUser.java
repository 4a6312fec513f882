package io.rollcall.emulators.okta;

import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of an Okta user: its id ({@code 00u...}), lifecycle status and profile, with Okta's property
 * names ({@code login}, {@code email}, {@code firstName}, {@code managerId}, custom {@code pictureUrl}, ...).
 */
public record OktaUser(String id, String status, Instant created, Instant activated, Instant statusChanged,
        Instant lastUpdated, Map<String, String> profile) {

    public OktaUser {
        profile = Map.copyOf(profile);
    }

    public String login() {
        return this.profile.get("login");
    }

    public String email() {
        return this.profile.get("email");
    }

    public String profile(String name) {
        return this.profile.get(name);
    }

    /** Whether the user can sign in and counts as a live person (ACTIVE and the password-reset states). */
    public boolean active() {
        return switch (this.status) {
            case "ACTIVE", "RECOVERY", "PASSWORD_EXPIRED", "LOCKED_OUT" -> true;
            default -> false;
        };
    }
}
