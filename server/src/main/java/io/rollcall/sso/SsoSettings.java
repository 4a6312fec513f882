package io.rollcall.sso;

import io.rollcall.platform.MaskedIdentifier;

/**
 * A company's single sign-on, as the console and API show it: the client secret is never shown, only whether one
 * is set.
 *
 * @param tenantId Entra's tenant; the API and console show it masked ({@code ••••••••-…-1a2b})
 * @param authority Entra: the login authority (national clouds, emulators); Okta: {@code https://{domain}} or
 * {@code https://{domain}/oauth2/{serverId}}; OIDC: the issuer URL
 * @param allowPassword whether people may also sign in with e-mail and password (owners always may)
 * @param createOnFirstSignIn whether a person the directory does not know is created at their first sign-in
 */
public record SsoSettings(SsoProvider provider, String tenantId, String authority, String clientId,
		boolean clientSecretSet, String buttonLabel, boolean allowPassword, boolean createOnFirstSignIn,
		boolean enabled, int version) {

	/** The issuer the company's ID tokens must carry. */
	public String issuer() {
		String base = this.authority.endsWith("/") ? this.authority.substring(0, this.authority.length() - 1)
				: this.authority;
		return this.provider == SsoProvider.ENTRA ? base + "/" + this.tenantId + "/v2.0" : base;
	}

	/** These settings as the API and console show them: the tenant ID masked, as it is never shown in clear. */
	public SsoSettings shown() {
		return new SsoSettings(this.provider, MaskedIdentifier.mask(this.tenantId), this.authority, this.clientId,
				this.clientSecretSet, this.buttonLabel, this.allowPassword, this.createOnFirstSignIn, this.enabled,
				this.version);
	}

}
