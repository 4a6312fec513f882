package io.rollcall.sso;

/**
 * A company's single sign-on, as the console and API show it: the client secret is never shown, only whether one
 * is set.
 *
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

}
