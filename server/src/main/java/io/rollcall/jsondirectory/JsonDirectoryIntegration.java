package io.rollcall.jsondirectory;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import io.rollcall.audit.AuditLog;
import io.rollcall.audit.FieldChange;
import io.rollcall.connector.DailySync;
import io.rollcall.connector.ProviderIntegration;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import io.rollcall.sync.SourceHealth;
import io.rollcall.sync.SourceSettings;
import io.rollcall.sync.SourceSettingsStore;
import io.rollcall.sync.SyncHealth;
import io.rollcall.sync.SyncRuns;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** A company's JSON directory, for the API and the console: its set-up (people endpoint, token) and "Sync users". */
@Service
public class JsonDirectoryIntegration
		extends ProviderIntegration<JsonDirectoryConnection, JsonDirectorySetup, JsonDirectorySetup.Form> {

	private final JsonDirectoryConnections connections;

	private final Clock clock;

	JsonDirectoryIntegration(JsonDirectoryConnections connections, SourceSettingsStore settings, SyncRuns runs,
			AuditLog audit, Clock clock, TransactionTemplate transaction, SourceHealth health) {
		super(JsonDirectoryKind.PROVIDER, connections::find, settings, runs, health, audit, transaction);
		this.connections = connections;
		this.clock = clock;
	}

	@Override
	public JsonDirectorySetup save(UUID companyId, JsonDirectorySetup.Form form, Actor actor) {
		Objects.requireNonNull(form, "form cannot be null");
		Optional<JsonDirectoryConnection> before = this.connections.find(companyId);
		String peopleUrl = peopleUrl(form.peopleUrl());
		String token = form.token() == null || form.token().isBlank() ? null : form.token().strip();
		if (token == null && before.map(JsonDirectoryConnection::token).isEmpty()) {
			throw RequestRejectedException.invalid("token",
					"'token' is needed: the bearer token the people endpoint wants (ask the directory's owner for one that may list people)");
		}
		String fullSyncAt = DailySync.timeOfDay(form.fullSyncAt(),
				before.map(JsonDirectoryConnection::fullSyncAt).orElse(DailySync.DEFAULT_TIME));
		Preferences preferences = preferences(companyId, form.invitationPolicy(), form.assignManagers());
		LocalDate today = LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		Map<String, FieldChange> changes = new LinkedHashMap<>();
		changes.put("peopleUrl",
				new FieldChange(before.map(JsonDirectoryConnection::peopleUrl).orElse(null), peopleUrl));
		if (token != null) {
			changes.put("token", new FieldChange(null, "(replaced)"));
		}
		save(companyId, preferences, () -> this.connections.save(companyId, peopleUrl, token, fullSyncAt, today), actor,
				"jsondirectory_setup_saved", changes);
		return setup(companyId);
	}

	@Override
	protected JsonDirectorySetup setup(UUID companyId, Optional<JsonDirectoryConnection> connection,
			SourceSettings preferences, SyncHealth sync) {
		return connection
			.map(c -> new JsonDirectorySetup(true, c.peopleUrl(), c.token() == null ? null : "set",
					preferences.invitationPolicy().value(), preferences.assignManagers(), c.fullSyncAt(), sync))
			.orElseGet(() -> new JsonDirectorySetup(false, null, null, preferences.invitationPolicy().value(),
					preferences.assignManagers(), DailySync.DEFAULT_TIME, sync));
	}

	/**
	 * The people endpoint: https with a host, no user name or fragment; plain http only on this machine, as the token
	 * would otherwise cross the network readable.
	 */
	static String peopleUrl(String value) {
		String text = value == null ? "" : value.strip();
		try {
			URI uri = URI.create(text);
			String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
			if (uri.getHost() != null && uri.getRawUserInfo() == null && uri.getRawFragment() == null
					&& (scheme.equals("https") || (scheme.equals("http") && loopback(uri.getHost())))) {
				return text;
			}
		}
		catch (IllegalArgumentException ex) {
			// reported below
		}
		throw RequestRejectedException.invalid("peopleUrl",
				"'peopleUrl' must be the https address of the directory's people endpoint, like https://hr.acme.example/api/people");
	}

	private static boolean loopback(String host) {
		if (host.equalsIgnoreCase("localhost")) {
			return true;
		}
		try {
			// Only a literal address is looked at: a name is not resolved here.
			return host.matches("[0-9.]+|\\[[0-9a-fA-F:]+\\]") && InetAddress.getByName(host).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

}
