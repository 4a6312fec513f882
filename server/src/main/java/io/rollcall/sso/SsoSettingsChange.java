package io.rollcall.sso;

/**
 * What an admin sends to set up single sign-on. A null {@code clientSecret} keeps the stored one; an empty one
 * removes it (a public client, PKCE only). Null flags keep their current value (or the default on first set-up).
 */
public record SsoSettingsChange(String provider, String tenantId, String authority, String clientId,
		String clientSecret, String buttonLabel, Boolean allowPassword, Boolean createOnFirstSignIn, Boolean enabled) {
}
