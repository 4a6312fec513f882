package io.rollcall.sso;

import java.util.Locale;

/** Which kind of OpenID Connect provider a company signs in with; decides the issuer and how people are matched. */
public enum SsoProvider {

	/** Microsoft Entra ID: the company's tenant; people matched by {@code oid}, else UPN. */
	ENTRA("entra", "https://login.microsoftonline.com"),

	/** Okta: the org ({@code https://{domain}}) or a custom authorization server; matched by {@code sub}, else e-mail. */
	OKTA("okta", null),

	/** Any provider, by its issuer (discovery) URL; matched by {@code sub}, else a verified e-mail. */
	OIDC("oidc", null);

	private final String source;

	private final String defaultAuthority;

	SsoProvider(String source, String defaultAuthority) {
		this.source = source;
		this.defaultAuthority = defaultAuthority;
	}

	/** The source name the person's identity is stored under: the same one the provider's connector uses. */
	public String source() {
		return this.source;
	}

	String defaultAuthority() {
		return this.defaultAuthority;
	}

	@com.fasterxml.jackson.annotation.JsonValue
	public String json() {
		return this.source;
	}

	@com.fasterxml.jackson.annotation.JsonCreator
	public static SsoProvider of(String name) {
		for (SsoProvider provider : values()) {
			if (provider.source.equalsIgnoreCase(name == null ? "" : name.strip())) {
				return provider;
			}
		}
		throw new IllegalArgumentException("unknown provider " + name);
	}

	static SsoProvider parse(String name) {
		try {
			return of(name);
		}
		catch (IllegalArgumentException ex) {
			throw io.rollcall.platform.RequestRejectedException.invalid("provider",
					"'provider' must be 'entra', 'okta' or 'oidc', not '" + name + "'");
		}
	}

	String lower() {
		return name().toLowerCase(Locale.ROOT);
	}

}
