package io.rollcall.entra;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import io.rollcall.audit.AuditLog;
import io.rollcall.audit.FieldChange;
import io.rollcall.company.Company;
import io.rollcall.company.CompanyHosts;
import io.rollcall.connector.DailySync;
import io.rollcall.connector.ProviderIntegration;
import io.rollcall.platform.Actor;
import io.rollcall.platform.MaskedIdentifier;
import io.rollcall.platform.RequestRejectedException;
import io.rollcall.platform.SecretTokens;
import io.rollcall.sync.SourceHealth;
import io.rollcall.sync.SourceSettings;
import io.rollcall.sync.SourceSettingsStore;
import io.rollcall.sync.SyncHealth;
import io.rollcall.sync.SyncRun;
import io.rollcall.sync.SyncRunEnded;
import io.rollcall.sync.SyncRuns;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The Entra ID integration of a company, for the API, the console and the demo: its set-up, the admin-consent
 * round trip ("Authorise") after which change notifications are set up, and "Sync users".
 */
@Service
public class EntraIntegration extends ProviderIntegration<EntraConnection, EntraSetup, EntraSetup.Form> {

	private static final Logger log = LoggerFactory.getLogger(EntraIntegration.class);

	/** Object ids are GUIDs; tenants may also be named by a verified domain (contoso.onmicrosoft.com). */
	private static final Pattern OBJECT_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$");

	private static final Pattern TENANT = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$");

	/** The console page that receives the admin-consent answer. */
	public static final String CONSENT_CALLBACK = "/console/integrations/entra/consent";

	private final EntraConnections connections;

	private final EntraSubscriptions subscriptions;

	private final CompanyHosts hosts;

	private final Clock clock;

	private final EntraPhotos photos;

	private final SyncRuns runs;

	private final TransactionTemplate ownTransaction;

	EntraIntegration(EntraConnections connections, EntraSubscriptions subscriptions, SourceSettingsStore settings,
			SyncRuns runs, CompanyHosts hosts, AuditLog audit, Clock clock, TransactionTemplate transaction,
			SourceHealth health, EntraPhotos photos) {
		super(EntraKind.PROVIDER, connections::find, settings, runs, health, audit, transaction);
		this.connections = connections;
		this.subscriptions = subscriptions;
		this.hosts = hosts;
		this.clock = clock;
		this.photos = photos;
		this.runs = runs;
		this.ownTransaction = new TransactionTemplate(transaction.getTransactionManager());
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	@Override
	protected EntraSetup setup(UUID companyId, Optional<EntraConnection> connection, SourceSettings preferences,
			SyncHealth sync) {
		var subscriptionList = this.subscriptions.list(companyId)
			.stream()
			.map(s -> new EntraSetup.SubscriptionStatus(s.id(), s.resource(), s.status(), s.expiresAt(), s.renewedAt(),
					s.lastNotifiedAt()))
			.toList();
		return connection
			.map(c -> new EntraSetup(true, MaskedIdentifier.mask(c.tenantId()), c.groupId(), c.clientId(),
					c.clientSecret() == null ? null : "set",
					c.cloud().name(), c.cloud().authority(), c.cloud().graph(), preferences.invitationPolicy().value(),
					preferences.assignManagers(), c.fullSyncAt(), c.authorised(), c.consentedAt(), c.lastError(),
					c.rejectedNotifications(), subscriptionList, sync))
			.orElseGet(() -> new EntraSetup(false, null, null, null, null, GraphCloud.GLOBAL, null, null,
					preferences.invitationPolicy().value(), preferences.assignManagers(), DailySync.DEFAULT_TIME, false,
					null,
					null, 0, subscriptionList, sync));
	}

	/**
	 * Saves the set-up and preferences. A new tenant, app or cloud needs consent again; a new group gets fresh
	 * subscriptions when the integration is authorised.
	 */
	@Override
	public EntraSetup save(UUID companyId, EntraSetup.Form form, Actor actor) {
		Objects.requireNonNull(form, "form cannot be null");
		Optional<EntraConnection> before = this.connections.find(companyId);
		// Left out, or sent back as shown (masked): the stored tenant is meant.
		boolean keepTenant = before.isPresent()
				&& (form.tenantId() == null || form.tenantId().isBlank() || MaskedIdentifier.isMask(form.tenantId()));
		String tenantId = keepTenant ? before.get().tenantId() : required("tenantId", form.tenantId(), TENANT,
				"'tenantId' must be your Directory (tenant) ID, a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47, or its domain");
		String groupId = required("groupId", form.groupId(), OBJECT_ID,
				"'groupId' must be the security group's Object ID, a GUID from the group's overview in Entra ID");
		String clientId = required("clientId", form.clientId(), OBJECT_ID,
				"'clientId' must be the app registration's Application (client) ID, a GUID");
		String secret = form.clientSecret() == null || form.clientSecret().isBlank() ? null
				: form.clientSecret().strip();
		if (secret == null && (before.isEmpty() || before.get().clientSecret() == null)) {
			throw RequestRejectedException.invalid("clientSecret",
					"'clientSecret' is needed: the value of a client secret of the app registration (Certificates & secrets)");
		}
		String cloud = form.cloud() == null || form.cloud().isBlank() ? GraphCloud.GLOBAL : form.cloud().strip();
		String authority = null;
		String graph = null;
		switch (cloud) {
			case GraphCloud.GLOBAL, GraphCloud.US_GOV, GraphCloud.CHINA -> {
			}
			case GraphCloud.CUSTOM -> {
				authority = url("authorityUrl", form.authorityUrl());
				graph = url("graphUrl", form.graphUrl());
			}
			default -> throw RequestRejectedException.invalid("cloud",
					"'cloud' must be global, usGov, china or custom (with authorityUrl and graphUrl)");
		}
		String fullSyncAt = DailySync.timeOfDay(form.fullSyncAt(), DailySync.DEFAULT_TIME);
		Preferences preferences = preferences(companyId, form.invitationPolicy(), form.assignManagers());
		GraphCloud newCloud = GraphCloud.of(cloud, authority, graph);
		boolean keepConsent = before.isPresent() && before.get().tenantId().equals(tenantId)
				&& before.get().clientId().equals(clientId) && before.get().cloud().equals(newCloud);
		String chosenAuthority = authority;
		String chosenGraph = graph;
		// Graph is only called once the set-up is committed: its answers (validation, notifications) read it.
		List<EntraSubscriptions.Subscription> forgotten = new ArrayList<>();
		save(companyId, preferences, () -> {
			this.connections.save(companyId, tenantId, groupId, clientId, secret, cloud, chosenAuthority, chosenGraph,
					fullSyncAt, keepConsent);
			if (!keepConsent) {
				forgotten.addAll(this.subscriptions.forgetAll(companyId));
			}
		}, actor, "entra_setup_saved", changes(before, groupId, clientId, cloud, secret));
		before.ifPresent(former -> this.subscriptions.deleteAtFormerTenant(former, forgotten));
		if (keepConsent && before.get().authorised() && !before.get().groupId().equals(groupId)) {
			this.connections.find(companyId).ifPresent(this.subscriptions::recreateAll);
		}
		return setup(companyId);
	}

	private static Map<String, FieldChange> changes(Optional<EntraConnection> before, String groupId, String clientId,
			String cloud, String secret) {
		Map<String, FieldChange> changes = new LinkedHashMap<>();
		changes.put("tenantId", new FieldChange(before.map(c -> "(sealed)").orElse(null), "(sealed)"));
		changes.put("groupId", new FieldChange(before.map(EntraConnection::groupId).orElse(null), groupId));
		changes.put("clientId", new FieldChange(before.map(EntraConnection::clientId).orElse(null), clientId));
		changes.put("cloud", new FieldChange(before.map(c -> c.cloud().name()).orElse(null), cloud));
		if (secret != null) {
			changes.put("clientSecret", new FieldChange(null, "(replaced)"));
		}
		return changes;
	}

	/**
	 * Where to send the admin for consent: {@code {authority}/{tenant}/adminconsent} with a one-time state that the
	 * callback checks.
	 */
	public URI consentUrl(Company company) {
		EntraConnection connection = connection(company.id());
		String state = SecretTokens.generate("");
		this.connections.consentRequested(company.id(), SecretTokens.hash(state));
		return URI.create(connection.cloud().adminConsentUrl(GraphClient.enc(connection.tenantId())) + "?client_id="
				+ GraphClient.enc(connection.clientId()) + "&redirect_uri="
				+ GraphClient.enc(this.hosts.baseUrl(company) + CONSENT_CALLBACK) + "&state=" + GraphClient.enc(state));
	}

	/**
	 * The admin came back from the consent page. With consent and the right state the integration is authorised and
	 * its subscriptions are made.
	 *
	 * @return what to tell the admin
	 */
	public String consentReturned(Company company, String state, String adminConsent, String error,
			String errorDescription, Actor actor) {
		connection(company.id());
		if (error != null && !error.isBlank()) {
			this.connections.consentGiven(company.id(), new byte[0], this.clock.instant()); // uses the state up
			throw RequestRejectedException.invalid(null, "Consent was not given: "
					+ (errorDescription == null || errorDescription.isBlank() ? error : errorDescription));
		}
		if (state == null || !"true".equalsIgnoreCase(adminConsent)
				|| !this.connections.consentGiven(company.id(), SecretTokens.hash(state), this.clock.instant())) {
			throw RequestRejectedException.invalid(null,
					"This consent answer does not belong to an Authorise request of this company; press Authorise again");
		}
		inTransaction(() -> audit(company.id(), actor, "entra_authorised", Map.of()));
		EntraConnection connection = connection(company.id());
		this.subscriptions.recreateAll(connection);
		String problem = connection(company.id()).lastError();
		return problem == null
				? "Entra ID is authorised and change notifications are set up. Press Sync users for the first sync."
				: "Entra ID is authorised. " + problem;
	}

	/** Consent given outside a browser (the demo, whose emulator grants it): authorise and subscribe. */
	public void authorised(UUID companyId) {
		this.connections.markConsented(companyId, this.clock.instant());
		this.subscriptions.recreateAll(connection(companyId));
	}

	/**
	 * "Sync users": a full run through the engine ({@code dryRun} only plans). A real one also makes every photo due
	 * once the run has ended ({@link #photosDueAfter}), so the photo pass looks at each again right after it (the
	 * daily sync leaves them to their pace).
	 */
	@Override
	public SyncRun sync(UUID companyId, boolean dryRun, Actor actor) {
		if (!connection(companyId).authorised()) {
			throw RequestRejectedException.conflict(null,
					"Entra ID is not authorised yet: press Authorise and give admin consent first");
		}
		return dryRun ? startFullRun(companyId, true, actor)
				: startFullRun(companyId, false, Map.of(PHOTOS_DUE_AFTER, true), actor);
	}

	/** The option of a run after which every photo of the company is due. */
	static final String PHOTOS_DUE_AFTER = "photosDueAfter";

	/**
	 * Makes every photo due when a "Sync users" run has ended, after its end is committed. Not when it is pressed: the
	 * pass's calls to Graph and writes, and this statement itself (every photo row of the company, 1.2 s at 100,000),
	 * then shared the machine with the run, and people matter before their photos (bench/RESULTS.md, fifteenth
	 * session). Heard on every node the end reaches; a second time finds nothing left to bring forward.
	 */
	@TransactionalEventListener(fallbackExecution = true)
	void photosDueAfter(SyncRunEnded ended) {
		if (!EntraSource.KIND.equals(ended.source())) {
			return;
		}
		try {
			// A transaction of its own: after commit, the run's connection is still bound but commits nothing more.
			this.ownTransaction.executeWithoutResult(status -> {
				boolean due = this.runs.find(ended.runId())
					.map(run -> Boolean.TRUE.equals(run.options().get(PHOTOS_DUE_AFTER)))
					.orElse(false);
				if (due) {
					this.photos.dueNow(ended.companyId(), this.clock.instant());
				}
			});
		}
		catch (RuntimeException ex) {
			// The run has ended and is stored; its photos keep their pace, and the next "Sync users" tries again.
			log.warn("Could not make the photos of company {} due after run {}: {}", ended.companyId(),
					ended.runId(), ex.getMessage());
		}
	}

	private static String required(String field, String value, Pattern pattern, String message) {
		if (value == null || value.isBlank() || !pattern.matcher(value.strip()).matches()) {
			throw RequestRejectedException.invalid(field, message);
		}
		return value.strip();
	}

	private static String url(String field, String value) {
		try {
			URI uri = URI.create(value == null ? "" : value.strip());
			if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
					&& uri.getHost() != null) {
				return value.strip();
			}
		}
		catch (IllegalArgumentException ex) {
			// reported below
		}
		throw RequestRejectedException.invalid(field,
				"'" + field + "' must be an http(s) URL; it is needed for the custom cloud");
	}

}
