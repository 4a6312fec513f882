package io.rollcall.entra;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import io.rollcall.connector.ProviderConnections;
import io.rollcall.platform.SecretBox;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The {@code entra_connection} rows: tenant id and client secret sealed on the way in, opened on the way out. */
@Repository
class EntraConnections extends ProviderConnections<EntraConnection> {

	EntraConnections(JdbcClient jdbc, SecretBox secrets) {
		super("entra_connection", jdbc, secrets);
	}

	/** Companies whose integration is authorised, for the upkeep and the daily sync. */
	@Transactional(readOnly = true)
	public List<EntraConnection> authorised() {
		return list("consented_at is not null");
	}

	/**
	 * Saves the set-up; a null secret keeps the stored one. Changing the tenant, app or cloud withdraws the consent:
	 * the new pair has to be authorised.
	 */
	@Transactional
	public void save(UUID companyId, String tenantId, String groupId, String clientId, String clientSecret,
			String cloud, String authorityUrl, String graphUrl, String fullSyncAt, boolean keepConsent) {
		this.jdbc
			.sql("""
					insert into entra_connection (company_id, tenant_id, group_id, client_id, client_secret, cloud, authority_url,
					    graph_url, full_sync_at)
					values (:company, :tenant, :group, :client, :secret, :cloud, :authority, :graph, :at)
					on conflict (company_id) do update set tenant_id = excluded.tenant_id, group_id = excluded.group_id,
					    client_id = excluded.client_id, client_secret = coalesce(excluded.client_secret, entra_connection.client_secret),
					    cloud = excluded.cloud, authority_url = excluded.authority_url, graph_url = excluded.graph_url,
					    full_sync_at = excluded.full_sync_at,
					    consented_at = case when :keep then entra_connection.consented_at end,
					    users_delta_link = case when :keep then entra_connection.users_delta_link end,
					    updated_at = now()
					""")
			.param("company", companyId)
			.param("tenant", this.secrets.seal(tenantId))
			.param("group", groupId)
			.param("client", clientId)
			.param("secret", this.secrets.seal(clientSecret))
			.param("cloud", cloud)
			.param("authority", authorityUrl)
			.param("graph", graphUrl)
			.param("at", fullSyncAt)
			.param("keep", keepConsent)
			.update();
	}

	/** Remembers the state of a consent redirect (hashed: it is only compared). */
	@Transactional
	public void consentRequested(UUID companyId, byte[] stateHash) {
		update(companyId, "consent_state = :state").param("state", stateHash).update();
	}

	/** True when the state matches the one remembered; it is used up either way. */
	@Transactional
	public boolean consentGiven(UUID companyId, byte[] stateHash, Instant at) {
		int updated = update(companyId,
				"consented_at = :at, consent_state = null, last_error = null, last_full_sync_on = :today",
				"consent_state = :state")
			.param("at", Timestamp.from(at))
			.param("today", today(at))
			.param("state", stateHash)
			.update();
		if (updated == 0) {
			update(companyId, "consent_state = null").update();
		}
		return updated == 1;
	}

	/** For set-ups made without a browser (the demo): consent counts as given. */
	@Transactional
	public void markConsented(UUID companyId, Instant at) {
		update(companyId, "consented_at = :at, last_full_sync_on = :today").param("at", Timestamp.from(at))
			.param("today", today(at))
			.update();
	}

	/** Where the next users delta starts. */
	@Transactional
	public void usersDeltaLink(UUID companyId, String link) {
		update(companyId, "users_delta_link = :link").param("link", link).update();
	}

	/** The latest problem with change notifications, shown on the page; null once they work again. */
	@Transactional
	public void lastError(UUID companyId, String error) {
		update(companyId, "last_error = :error").param("error", error).update();
	}

	/** Counts notification items dropped for a clientState that did not match. */
	@Transactional
	public void rejected(UUID companyId, int items) {
		update(companyId, "rejected_notifications = rejected_notifications + :n").param("n", items).update();
	}

	/** The first sync is the admin's "Sync users"; the daily one starts the day after consent. */
	private static LocalDate today(Instant at) {
		return LocalDate.ofInstant(at, ZoneOffset.UTC);
	}

	@Override
	protected EntraConnection connection(ResultSet rs) throws SQLException {
		Timestamp consented = rs.getTimestamp("consented_at");
		return new EntraConnection(rs.getObject("company_id", UUID.class), this.secrets.open(rs.getString("tenant_id")),
				rs.getString("group_id"), rs.getString("client_id"), this.secrets.open(rs.getString("client_secret")),
				GraphCloud.of(rs.getString("cloud"), rs.getString("authority_url"), rs.getString("graph_url")),
				rs.getString("full_sync_at"), consented == null ? null : consented.toInstant(),
				rs.getString("users_delta_link"), rs.getLong("rejected_notifications"), rs.getString("last_error"));
	}

}
