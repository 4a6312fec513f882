package io.rollcall.entra;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.rollcall.platform.SecretBox;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The {@code entra_connection} rows: tenant id and client secret sealed on the way in, opened on the way out. */
@Repository
class EntraConnections {

	private final JdbcClient jdbc;

	private final SecretBox secrets;

	EntraConnections(JdbcClient jdbc, SecretBox secrets) {
		this.jdbc = jdbc;
		this.secrets = secrets;
	}

	@Transactional(readOnly = true)
	public Optional<EntraConnection> find(UUID companyId) {
		return this.jdbc.sql("select * from entra_connection where company_id = :company")
			.param("company", companyId)
			.query(this::row)
			.optional();
	}

	/** Companies whose integration is authorised, for the upkeep and the daily sync. */
	@Transactional(readOnly = true)
	public List<EntraConnection> authorised() {
		return this.jdbc.sql("select * from entra_connection where consented_at is not null").query(this::row).list();
	}

	/**
	 * Saves the set-up; a null secret keeps the stored one. Changing the tenant, app or cloud withdraws the consent:
	 * the new pair has to be authorised.
	 */
	@Transactional
	public void save(UUID companyId, String tenantId, String groupId, String clientId, String clientSecret,
			String cloud, String authorityUrl, String graphUrl, String fullSyncAt, boolean keepConsent) {
		this.jdbc.sql("""
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
		this.jdbc.sql("update entra_connection set consent_state = :state where company_id = :company")
			.param("state", stateHash)
			.param("company", companyId)
			.update();
	}

	/** True when the state matches the one remembered; it is used up either way. */
	@Transactional
	public boolean consentGiven(UUID companyId, byte[] stateHash, Instant at) {
		int updated = this.jdbc.sql("""
				update entra_connection set consented_at = :at, consent_state = null, last_error = null, last_full_sync_on = :today
				where company_id = :company and consent_state = :state
				""")
			.param("at", Timestamp.from(at))
			.param("today", today(at))
			.param("company", companyId)
			.param("state", stateHash)
			.update();
		if (updated == 0) {
			this.jdbc.sql("update entra_connection set consent_state = null where company_id = :company")
				.param("company", companyId)
				.update();
		}
		return updated == 1;
	}

	/** For set-ups made without a browser (the demo): consent counts as given. */
	@Transactional
	public void markConsented(UUID companyId, Instant at) {
		this.jdbc.sql("update entra_connection set consented_at = :at, last_full_sync_on = :today where company_id = :company")
			.param("at", Timestamp.from(at))
			.param("today", today(at))
			.param("company", companyId)
			.update();
	}

	@Transactional
	public void usersDeltaLink(UUID companyId, String link) {
		this.jdbc.sql("update entra_connection set users_delta_link = :link where company_id = :company")
			.param("link", link)
			.param("company", companyId)
			.update();
	}

	@Transactional
	public void lastError(UUID companyId, String error) {
		this.jdbc.sql("update entra_connection set last_error = :error where company_id = :company")
			.param("error", error)
			.param("company", companyId)
			.update();
	}

	@Transactional
	public void rejected(UUID companyId, int items) {
		this.jdbc.sql("update entra_connection set rejected_notifications = rejected_notifications + :n where company_id = :company")
			.param("n", items)
			.param("company", companyId)
			.update();
	}

	/** Claims today's daily run for the company; false when it was already claimed (by this node or another). */
	@Transactional
	public boolean claimDailyRun(UUID companyId, java.time.LocalDate today) {
		return this.jdbc.sql("""
				update entra_connection set last_full_sync_on = :today
				where company_id = :company and (last_full_sync_on is null or last_full_sync_on < :today)
				""").param("today", today).param("company", companyId).update() == 1;
	}

	/** The first sync is the admin's "Sync users"; the daily one starts the day after consent. */
	private static java.time.LocalDate today(Instant at) {
		return java.time.LocalDate.ofInstant(at, java.time.ZoneOffset.UTC);
	}

	private EntraConnection row(ResultSet rs, int n) throws SQLException {
		Timestamp consented = rs.getTimestamp("consented_at");
		return new EntraConnection(rs.getObject("company_id", UUID.class), this.secrets.open(rs.getString("tenant_id")),
				rs.getString("group_id"), rs.getString("client_id"), this.secrets.open(rs.getString("client_secret")),
				GraphCloud.of(rs.getString("cloud"), rs.getString("authority_url"), rs.getString("graph_url")),
				rs.getString("full_sync_at"), consented == null ? null : consented.toInstant(),
				rs.getString("users_delta_link"), rs.getLong("rejected_notifications"), rs.getString("last_error"));
	}

}
