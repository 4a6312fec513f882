package io.rollcall.okta;

import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import io.rollcall.audit.AuditLog;
import io.rollcall.audit.FieldChange;
import io.rollcall.connector.HookAddresses;
import io.rollcall.connector.DailySync;
import io.rollcall.connector.ProviderIntegration;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import io.rollcall.platform.SecretTokens;
import io.rollcall.sync.SourceHealth;
import io.rollcall.sync.SourceSettings;
import io.rollcall.sync.SourceSettingsStore;
import io.rollcall.sync.SyncHealth;
import io.rollcall.sync.SyncRuns;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The Okta integration of a company, for the API, the console and the demo: its set-up (with the event-hook secret
 * Rollcall generates), and "Sync users".
 */
@Service
public class OktaIntegration extends ProviderIntegration<OktaConnection, OktaSetup, OktaSetup.Form> {

	/** Okta ids: 20 characters of letters and digits (apps {@code 0oa...}); allow a little more. */
	private static final Pattern OKTA_ID = Pattern.compile("^[A-Za-z0-9]{1,64}$");

	private static final Pattern SERVER_ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

	private static final Pattern ATTRIBUTE = Pattern.compile("^[A-Za-z][A-Za-z0-9_]{0,63}$");

	private final OktaConnections connections;

	private final Clock clock;

	private final HookAddresses hooks;

	OktaIntegration(OktaConnections connections, SourceSettingsStore settings, SyncRuns runs, HookAddresses hooks,
			AuditLog audit, Clock clock, TransactionTemplate transaction, SourceHealth health) {
		super(OktaKind.PROVIDER, connections::find, settings, runs, health, audit, transaction);
		this.connections = connections;
		this.clock = clock;
		this.hooks = hooks;
	}

	/**
	 * Saves the set-up and preferences. The first save generates the event-hook secret, returned once in
	 * {@link OktaSetup#eventHookSecret()}.
	 */
	@Override
	public OktaSetup save(UUID companyId, OktaSetup.Form form, Actor actor) {
		Objects.requireNonNull(form, "form cannot be null");
		Optional<OktaConnection> before = this.connections.find(companyId);
		String orgUrl = orgUrl(form.orgUrl());
		String server = blank(form.authorizationServer()) ? "default" : form.authorizationServer().strip();
		if (!SERVER_ID.matcher(server).matches()) {
			throw RequestRejectedException.invalid("authorizationServer",
					"'authorizationServer' must be 'org' (the org authorization server) or a custom server's id such as 'default'");
		}
		String apiToken = blank(form.apiToken()) ? null : form.apiToken().strip();
		String clientSecret = blank(form.clientSecret()) ? null : form.clientSecret().strip();
		String method = blank(form.authMethod()) ? (blank(form.clientId()) || apiToken != null ? "token" : "oauth")
				: form.authMethod().strip();
		String clientId = blank(form.clientId()) ? null : form.clientId().strip();
		switch (method) {
			case "token" -> {
				if (apiToken == null && (before.isEmpty() || before.get().apiToken() == null)) {
					throw RequestRejectedException.invalid("apiToken",
							"'apiToken' is needed: an Okta API token (Security → API → Tokens) of an admin who can read users and apps");
				}
			}
			case "oauth" -> {
				if (clientId == null || !OKTA_ID.matcher(clientId).matches()) {
					throw RequestRejectedException.invalid("clientId",
							"'clientId' must be the service app's client ID (letters and digits, like 0oa1b2c3d4e5f6g7h8i9)");
				}
				boolean sameClient = before.isPresent() && clientId.equals(before.get().clientId());
				if (clientSecret == null && (!sameClient || before.get().clientSecret() == null)) {
					throw RequestRejectedException.invalid("clientSecret",
							"'clientSecret' is needed: the service app's client secret (it needs the okta.users.read and okta.apps.read scopes)");
				}
			}
			default -> throw RequestRejectedException.invalid("authMethod",
					"'authMethod' must be token (an API token) or oauth (a service app)");
		}
		if (blank(form.appId()) || !OKTA_ID.matcher(form.appId().strip()).matches()) {
			throw RequestRejectedException.invalid("appId",
					"'appId' must be the Rollcall app's id in Okta (letters and digits, like 0oa1b2c3d4e5f6g7h8i9; it is in the app's URL)");
		}
		String appId = form.appId().strip();
		String pictureAttribute = blank(form.pictureAttribute())
				? (before.map(OktaConnection::pictureAttribute).orElse("pictureUrl"))
				: form.pictureAttribute().strip();
		if (!ATTRIBUTE.matcher(pictureAttribute).matches()) {
			throw RequestRejectedException.invalid("pictureAttribute",
					"'pictureAttribute' must be the variable name of an Okta profile attribute, such as pictureUrl");
		}
		boolean allowPrivate = form.allowPrivatePictures() == null
				? before.map(OktaConnection::allowPrivatePictures).orElse(false)
				: form.allowPrivatePictures();
		String fullSyncAt = DailySync.timeOfDay(form.fullSyncAt(),
				before.map(OktaConnection::fullSyncAt).orElse(DailySync.DEFAULT_TIME));
		String policy = form.invitationPolicy();
		if (policy != null && !policy.equals("immediately") && !policy.equals("never")) {
			throw RequestRejectedException.invalid("invitationPolicy",
					"'invitationPolicy' must be immediately or never");
		}
		Preferences preferences = preferences(companyId, policy, form.assignManagers());
		String newSecret = before.isPresent() && before.get().hookSecretSet() ? null
				: SecretTokens.generate("okta_hook_");
		LocalDate today = LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		Map<String, FieldChange> changes = new LinkedHashMap<>();
		changes.put("orgUrl", new FieldChange(before.map(OktaConnection::orgUrl).orElse(null), orgUrl));
		changes.put("appId", new FieldChange(before.map(OktaConnection::appId).orElse(null), appId));
		changes.put("authMethod", new FieldChange(before.map(OktaConnection::authMethod).orElse(null), method));
		if (apiToken != null) {
			changes.put("apiToken", new FieldChange(null, "(replaced)"));
		}
		if (clientSecret != null) {
			changes.put("clientSecret", new FieldChange(null, "(replaced)"));
		}
		if (newSecret != null) {
			changes.put("eventHookSecret", new FieldChange(null, "(generated)"));
		}
		save(companyId, preferences, () -> {
			this.connections.save(companyId, orgUrl, server, method, apiToken, clientId, clientSecret, appId,
					pictureAttribute,
					allowPrivate, fullSyncAt, today);
			if (newSecret != null) {
				this.connections.hookSecret(companyId, SecretTokens.hash(newSecret));
			}
		}, actor, "okta_setup_saved", changes);
		OktaSetup setup = setup(companyId);
		return newSecret == null ? setup : setup.withSecret(newSecret);
	}

	/** A new event-hook secret (the old one stops working at once), returned once. */
	public OktaSetup rotateHookSecret(UUID companyId, Actor actor) {
		connection(companyId);
		String secret = SecretTokens.generate("okta_hook_");
		inTransaction(() -> {
			this.connections.hookSecret(companyId, SecretTokens.hash(secret));
			audit(companyId, actor, "okta_hook_secret_rotated",
					Map.of("eventHookSecret", new FieldChange("(sealed)", "(generated)")));
		});
		return setup(companyId).withSecret(secret);
	}

	@Override
	protected OktaSetup setup(UUID companyId, Optional<OktaConnection> connection, SourceSettings preferences,
			SyncHealth sync) {
		String hookUrl = eventHookUrl(companyId);
		return connection
			.map(c -> new OktaSetup(true, c.orgUrl(), c.authorizationServer(), c.authMethod(),
					c.apiToken() == null ? null : "set",
					c.clientId(), c.clientSecret() == null ? null : "set", c.appId(), hookUrl, c.hookSecretSet(), null,
					preferences.invitationPolicy().value(), preferences.assignManagers(), c.pictureAttribute(),
					c.allowPrivatePictures(), c.fullSyncAt(), c.rejectedDeliveries(), sync))
			.orElseGet(
					() -> new OktaSetup(false, null, "default", "token", null, null, null, null, hookUrl, false, null,
							preferences.invitationPolicy().value(), preferences.assignManagers(), "pictureUrl", false,
							DailySync.DEFAULT_TIME, 0, sync));
	}

	/** Where Okta delivers events: the configured URL, else the company's own address. */
	String eventHookUrl(UUID companyId) {
		return this.hooks.of(companyId, "rollcall.okta.hook-url", "/hooks/okta");
	}

	private static String orgUrl(String value) {
		try {
			String text = value == null ? "" : value.strip();
			URI uri = URI.create(text);
			if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
					&& uri.getHost() != null
					&& (uri.getRawQuery() == null) && (uri.getRawUserInfo() == null)) {
				return OktaClient.stripSlash(text);
			}
		}
		catch (IllegalArgumentException ex) {
			// reported below
		}
		throw RequestRejectedException.invalid("orgUrl",
				"'orgUrl' must be your Okta org's address, like https://acme.okta.com");
	}

	private static boolean blank(String value) {
		return value == null || value.isBlank();
	}

}
