package io.rollcall.sso;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import io.rollcall.audit.AuditLog;
import io.rollcall.audit.FieldChange;
import io.rollcall.platform.Actor;
import io.rollcall.platform.MaskedIdentifier;
import io.rollcall.platform.RequestRejectedException;
import io.rollcall.platform.SecretBox;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.util.Assert;

/**
 * A company's single sign-on settings: checked, stored with the tenant id and client secret sealed, audited. Every
 * change raises the version, which retires the cached client registration and ID token decoder of the company.
 */
@Service
public class SingleSignOn {

	private static final Pattern GUID = Pattern
		.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

	private final JdbcClient jdbc;

	private final SecretBox secrets;

	private final AuditLog audit;

	private final ApplicationEventPublisher events;

	SingleSignOn(JdbcClient jdbc, SecretBox secrets, AuditLog audit, ApplicationEventPublisher events) {
		Assert.notNull(jdbc, "jdbc cannot be null");
		Assert.notNull(secrets, "secrets cannot be null");
		Assert.notNull(audit, "audit cannot be null");
		this.jdbc = jdbc;
		this.secrets = secrets;
		this.audit = audit;
		this.events = events;
	}

	/** The settings changed (or were removed): cached registrations of the company are stale. */
	record Changed(UUID companyId) {
	}

	@Transactional(readOnly = true)
	public Optional<SsoSettings> find(UUID companyId) {
		return this.jdbc.sql("""
				select provider, tenant_id_sealed, authority, client_id, client_secret_sealed is not null, button_label,
				       allow_password, create_on_first_sign_in, enabled, version
				from sso_settings where company_id = :company
				""")
			.param("company", companyId)
			.query((rs, n) -> new SsoSettings(SsoProvider.of(rs.getString(1)), this.secrets.open(rs.getString(2)),
					rs.getString(3), rs.getString(4), rs.getBoolean(5), rs.getString(6), rs.getBoolean(7),
					rs.getBoolean(8), rs.getBoolean(9), rs.getInt(10)))
			.optional();
	}

	/** The settings of a company whose people can sign in with single sign-on now. */
	public Optional<SsoSettings> active(UUID companyId) {
		return find(companyId).filter(SsoSettings::enabled);
	}

	/** The client secret, opened for the token request only. */
	@Transactional(readOnly = true)
	Optional<String> clientSecret(UUID companyId) {
		return this.jdbc.sql("select client_secret_sealed from sso_settings where company_id = :company")
			.param("company", companyId)
			.query(String.class)
			.optional()
			.map(this.secrets::open);
	}

	/** Whether a person who is not an owner may sign in with e-mail and password. */
	public boolean allowsPassword(UUID companyId) {
		return active(companyId).map(SsoSettings::allowPassword).orElse(true);
	}

	@Transactional
	public SsoSettings save(UUID companyId, SsoSettingsChange change, Actor actor) {
		Optional<SsoSettings> before = find(companyId);
		if (change.provider() == null && before.isEmpty()) {
			throw RequestRejectedException.invalid("provider", "'provider' is required: 'entra', 'okta' or 'oidc'");
		}
		SsoProvider provider = change.provider() == null ? before.get().provider()
				: SsoProvider.parse(change.provider());
		// Sent back as shown (masked), the tenant ID means the stored one.
		String tenantId = pick(MaskedIdentifier.isMask(change.tenantId()) ? null : change.tenantId(),
				before.map(SsoSettings::tenantId), null);
		String authority = pick(change.authority(),
				before.filter(b -> b.provider() == provider).map(SsoSettings::authority),
				provider.defaultAuthority());
		String clientId = pick(change.clientId(), before.map(SsoSettings::clientId), null);
		String label = pick(change.buttonLabel(), before.map(SsoSettings::buttonLabel), defaultLabel(provider));
		boolean allowPassword = flag(change.allowPassword(), before.map(SsoSettings::allowPassword), true);
		boolean create = flag(change.createOnFirstSignIn(), before.map(SsoSettings::createOnFirstSignIn), false);
		boolean enabled = flag(change.enabled(), before.map(SsoSettings::enabled), true);

		if (provider == SsoProvider.ENTRA) {
			if (tenantId == null || !GUID.matcher(tenantId).matches()) {
				throw RequestRejectedException.invalid("tenantId",
						"'tenantId' must be your Entra tenant's id, a GUID like 72f988bf-86f1-41af-91ab-2d7cd011db47 "
								+ "(not 'common' or 'organizations': only your own tenant may sign in)");
			}
			tenantId = tenantId.toLowerCase(Locale.ROOT);
		}
		else {
			tenantId = null;
		}
		authority = checkAuthority(provider, authority);
		if (clientId == null || clientId.length() > 200) {
			throw RequestRejectedException.invalid("clientId", "'clientId' is required: the application (client) id "
					+ "your provider gave Rollcall");
		}
		if (label.length() > 60) {
			throw RequestRejectedException.invalid("buttonLabel", "'buttonLabel' must be at most 60 characters");
		}
		String sealedSecret;
		boolean secretChanged = change.clientSecret() != null;
		if (change.clientSecret() == null) {
			sealedSecret = this.jdbc.sql("select client_secret_sealed from sso_settings where company_id = :company")
				.param("company", companyId)
				.query(String.class)
				.optional()
				.orElse(null);
		}
		else {
			sealedSecret = change.clientSecret().isBlank() ? null : this.secrets.seal(change.clientSecret().strip());
		}
		this.jdbc
			.sql("""
					insert into sso_settings (company_id, provider, tenant_id_sealed, authority, client_id, client_secret_sealed,
					    button_label, allow_password, create_on_first_sign_in, enabled)
					values (:company, :provider, :tenant, :authority, :client, :secret, :label, :password, :create, :enabled)
					on conflict (company_id) do update set provider = excluded.provider, tenant_id_sealed = excluded.tenant_id_sealed,
					    authority = excluded.authority, client_id = excluded.client_id, client_secret_sealed = excluded.client_secret_sealed,
					    button_label = excluded.button_label, allow_password = excluded.allow_password,
					    create_on_first_sign_in = excluded.create_on_first_sign_in, enabled = excluded.enabled,
					    version = sso_settings.version + 1, updated_at = now()
					""")
			.param("company", companyId)
			.param("provider", provider.json())
			.param("tenant", this.secrets.seal(tenantId))
			.param("authority", authority)
			.param("client", clientId)
			.param("secret", sealedSecret)
			.param("label", label)
			.param("password", allowPassword)
			.param("create", create)
			.param("enabled", enabled)
			.update();
		SsoSettings after = find(companyId).orElseThrow();
		Map<String, FieldChange> diff = diff(before.orElse(null), after);
		if (secretChanged) {
			// The secret itself never goes into the history.
			diff.put("clientSecret", new FieldChange(before.map(b -> b.clientSecretSet() ? "set" : null).orElse(null),
					after.clientSecretSet() ? "set" : null));
		}
		this.audit.record(companyId, actor, "sso", companyId, before.isEmpty() ? "sso_configured" : "sso_updated",
				diff);
		this.events.publishEvent(new Changed(companyId));
		return after;
	}

	@Transactional
	public void remove(UUID companyId, Actor actor) {
		int removed = this.jdbc.sql("delete from sso_settings where company_id = :company")
			.param("company", companyId)
			.update();
		if (removed > 0) {
			this.audit.record(companyId, actor, "sso", companyId, "sso_removed", Map.of());
			this.events.publishEvent(new Changed(companyId));
		}
	}

	private static String checkAuthority(SsoProvider provider, String authority) {
		String field = "authority";
		if (authority == null) {
			throw RequestRejectedException.invalid(field, switch (provider) {
				case OKTA -> "'authority' is required: your Okta address, https://{your-domain}, or a custom "
						+ "authorization server, https://{your-domain}/oauth2/{serverId}";
				case OIDC -> "'authority' is required: your provider's issuer URL (where "
						+ "/.well-known/openid-configuration is found)";
				case ENTRA -> "'authority' is required";
			});
		}
		URI uri;
		try {
			uri = URI.create(authority);
		}
		catch (IllegalArgumentException ex) {
			throw RequestRejectedException.invalid(field, "'authority' is not a URL: " + authority);
		}
		if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
				|| uri.getQuery() != null || uri.getFragment() != null) {
			throw RequestRejectedException.invalid(field, "'authority' must be an https URL without query, like "
					+ "https://login.example.com, not " + authority);
		}
		// Plain http only for a provider on this machine (emulators, tests): tokens must not cross a network in clear.
		if ("http".equals(uri.getScheme()) && !isLoopback(uri.getHost())) {
			throw RequestRejectedException.invalid(field, "'authority' must use https (http only for localhost)");
		}
		if (provider == SsoProvider.OKTA) {
			String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/$", "");
			// "/oauth2/v1" is where the org server's endpoints live, not an authorization server: its issuer is the
			// bare org URL, and discovery under /oauth2/v1 would only fail at the first sign-in.
			if (!path.isEmpty() && (!path.matches("^/oauth2/[A-Za-z0-9_-]+$") || path.equals("/oauth2/v1"))) {
				throw RequestRejectedException.invalid(field, "An Okta authority is https://{your-domain} or "
						+ "https://{your-domain}/oauth2/{serverId}, not " + authority);
			}
		}
		return authority.endsWith("/") ? authority.substring(0, authority.length() - 1) : authority;
	}

	private static boolean isLoopback(String host) {
		return "localhost".equals(host) || host.endsWith(".localhost") || host.startsWith("127.")
				|| "[::1]".equals(host);
	}

	private static String pick(String given, Optional<String> current, String fallback) {
		if (given != null) {
			return given.isBlank() ? fallback : given.strip();
		}
		return current.orElse(fallback);
	}

	private static boolean flag(Boolean given, Optional<Boolean> current, boolean fallback) {
		return given != null ? given : current.orElse(fallback);
	}

	private static String defaultLabel(SsoProvider provider) {
		return switch (provider) {
			case ENTRA -> "Sign in with Microsoft";
			case OKTA -> "Sign in with Okta";
			case OIDC -> "Sign in with single sign-on";
		};
	}

	private static Map<String, FieldChange> diff(SsoSettings before, SsoSettings after) {
		Map<String, Object> old = before == null ? Map.of() : view(before);
		Map<String, FieldChange> diff = new LinkedHashMap<>();
		view(after).forEach((key, value) -> {
			Object was = old.get(key);
			if (!Objects.equals(was, value)) {
				diff.put(key, new FieldChange(was, value));
			}
		});
		return diff;
	}

	private static Map<String, Object> view(SsoSettings s) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("provider", s.provider().json());
		// The tenant id is kept sealed; the history says only that it changed.
		view.put("tenantId", s.tenantId() == null ? null : "…" + s.tenantId().substring(s.tenantId().length() - 4));
		view.put("authority", s.authority());
		view.put("clientId", s.clientId());
		view.put("buttonLabel", s.buttonLabel());
		view.put("allowPassword", s.allowPassword());
		view.put("createOnFirstSignIn", s.createOnFirstSignIn());
		view.put("enabled", s.enabled());
		return view;
	}

}
