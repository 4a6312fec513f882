package io.rollcall.connector;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import io.rollcall.audit.AuditLog;
import io.rollcall.audit.FieldChange;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import io.rollcall.sync.InvitationPolicy;
import io.rollcall.sync.SourceHealth;
import io.rollcall.sync.SourceKind;
import io.rollcall.sync.SourceSettings;
import io.rollcall.sync.SourceSettingsStore;
import io.rollcall.sync.SyncHealth;
import io.rollcall.sync.SyncRun;
import io.rollcall.sync.SyncRuns;

import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * A provider's integration as a company sets it up: what every provider does alike (its preferences for the people it
 * brings, the audited save, "Sync users", whether its changes get through). A provider adds its own set-up: what it
 * connects to, with which credentials, and its consent or hook secret.
 *
 * @param <C> a company's connection to the provider
 * @param <S> its set-up as the API and the console show it
 * @param <F> its set-up as an admin sends it
 */
public abstract class ProviderIntegration<C, S, F> implements Integration {

	private final SourceKind kind;

	private final String notSetUp;

	private final Function<UUID, Optional<C>> connections;

	private final SourceSettingsStore settings;

	private final SyncRuns runs;

	private final SourceHealth health;

	private final AuditLog audit;

	private final TransactionTemplate transaction;

	/**
	 * @param kind the source, as it describes itself: its kind, its name as admins know it, and the refusal when the
	 * company has no connection yet
	 * @param connections a company's connection to the provider, or empty when it is not set up
	 */
	protected ProviderIntegration(ProviderKind kind, Function<UUID, Optional<C>> connections,
			SourceSettingsStore settings, SyncRuns runs, SourceHealth health, AuditLog audit,
			TransactionTemplate transaction) {
		Assert.notNull(kind, "kind cannot be null");
		Assert.notNull(connections, "connections cannot be null");
		this.kind = kind.source();
		this.notSetUp = kind.notSetUp();
		this.connections = connections;
		this.settings = settings;
		this.runs = runs;
		this.health = health;
		this.audit = audit;
		this.transaction = transaction;
	}

	@Override
	public String kind() {
		return this.kind.kind();
	}

	@Override
	public String name() {
		return this.kind.name();
	}

	@Override
	public S setup(UUID companyId) {
		return setup(companyId, this.connections.apply(companyId), preferences(companyId),
				this.health.of(companyId, kind()));
	}

	/**
	 * The set-up to show; secrets never included.
	 *
	 * @param connection the company's connection, empty while it is not set up
	 * @param sync whether this source's changes are getting through to the company
	 */
	protected abstract S setup(UUID companyId, Optional<C> connection, SourceSettings preferences, SyncHealth sync);

	/** Saves the set-up and the preferences an admin sent; what it leaves out is kept. */
	public abstract S save(UUID companyId, F form, Actor actor);

	/** "Sync users": a full run through the engine ({@code dryRun} only plans). */
	@Override
	public SyncRun sync(UUID companyId, boolean dryRun, Actor actor) {
		connection(companyId);
		return startFullRun(companyId, dryRun, actor);
	}

	/** A full run, or its plan alone when {@code dryRun}. */
	protected final SyncRun startFullRun(UUID companyId, boolean dryRun, Actor actor) {
		return startFullRun(companyId, dryRun, Map.of(), actor);
	}

	/** A full run with options of the connector's own, which its reading ignores (see {@link SyncRun#options()}). */
	protected final SyncRun startFullRun(UUID companyId, boolean dryRun, Map<String, Object> options, Actor actor) {
		return this.runs.start(companyId, kind(), dryRun, null, options, actor);
	}

	/** The company's connection; refused (409) while it is not set up. */
	protected final C connection(UUID companyId) {
		return this.connections.apply(companyId)
			.orElseThrow(() -> RequestRejectedException.conflict(null, this.notSetUp));
	}

	private SourceSettings preferences(UUID companyId) {
		return this.settings.get(companyId, kind());
	}

	/**
	 * The preferences an admin chose: null ones keep what the company has.
	 *
	 * @throws RequestRejectedException when the invitation policy is not one
	 */
	protected final Preferences preferences(UUID companyId, String invitationPolicy, Boolean assignManagers) {
		SourceSettings current = preferences(companyId);
		return new Preferences(current, new SourceSettings(
				invitationPolicy == null ? current.invitationPolicy() : InvitationPolicy.of(invitationPolicy),
				assignManagers == null ? current.assignManagers() : assignManagers, false));
	}

	/** The preferences a set-up had and those it saves. */
	protected record Preferences(SourceSettings current, SourceSettings chosen) {
	}

	/**
	 * Saves a set-up in one transaction: the preferences when they changed, then the provider's connection, then an
	 * audit entry {@code action} with {@code changes}.
	 *
	 * @param connection saves the provider's connection
	 */
	protected final void save(UUID companyId, Preferences preferences, Runnable connection, Actor actor, String action,
			Map<String, FieldChange> changes) {
		this.transaction.executeWithoutResult(status -> {
			if (!preferences.chosen().equals(preferences.current())) {
				this.settings.save(companyId, kind(), preferences.chosen(), actor);
			}
			connection.run();
			audit(companyId, actor, action, changes);
		});
	}

	/** Records a change to the integration in the company's history. */
	protected final void audit(UUID companyId, Actor actor, String action, Map<String, FieldChange> changes) {
		this.audit.record(companyId, actor, "integration", null, action, changes);
	}

	/** Runs {@code work} in a transaction of its own. */
	protected final void inTransaction(Runnable work) {
		this.transaction.executeWithoutResult(status -> work.run());
	}

}
