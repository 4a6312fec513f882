package io.rollcall.okta;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;

import io.rollcall.connector.ProviderConnections;
import io.rollcall.platform.SecretBox;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The {@code okta_connection} rows: API token and client secret sealed on the way in, opened on the way out. */
@Repository
class OktaConnections extends ProviderConnections<OktaConnection> {

	OktaConnections(JdbcClient jdbc, SecretBox secrets) {
		super("okta_connection", jdbc, secrets);
	}

	/** Keeps the event-hook secret's SHA-256 (the secret itself is shown once and never stored). */
	@Transactional
	public void hookSecret(UUID companyId, byte[] hash) {
		update(companyId, "hook_secret_hash = :hash, updated_at = now()").param("hash", hash).update();
	}

	/** Counts a delivery refused on the company's address. */
	@Transactional
	public void rejected(UUID companyId) {
		update(companyId, "rejected_deliveries = rejected_deliveries + 1").update();
	}

	/** The company whose event-hook secret has this SHA-256, if any. */
	@Transactional(readOnly = true)
	public Optional<Hooked> byHookSecret(byte[] hash) {
		return this.jdbc.sql("select company_id, hook_secret_hash from okta_connection where hook_secret_hash = :hash")
			.param("hash", hash)
			.query((rs, n) -> new Hooked(rs.getObject(1, UUID.class), rs.getBytes(2)))
			.optional();
	}

	record Hooked(UUID companyId, byte[] secretHash) {
	}

	/** Saves the set-up; null secrets keep the stored ones. The daily sync starts the day after the first save. */
	@Transactional
	public void save(UUID companyId, String orgUrl, String authorizationServer, String authMethod, String apiToken,
			String clientId, String clientSecret, String appId, String pictureAttribute, boolean allowPrivatePictures,
			String fullSyncAt, LocalDate today) {
		this.jdbc
			.sql("""
					insert into okta_connection (company_id, org_url, authorization_server, auth_method, api_token, client_id,
					    client_secret, app_id, picture_attribute, allow_private_pictures, full_sync_at, last_full_sync_on)
					values (:company, :org, :server, :method, :token, :client, :secret, :app, :picture, :private, :at, :today)
					on conflict (company_id) do update set org_url = excluded.org_url,
					    authorization_server = excluded.authorization_server, auth_method = excluded.auth_method,
					    api_token = coalesce(excluded.api_token, okta_connection.api_token),
					    client_id = excluded.client_id,
					    client_secret = coalesce(excluded.client_secret, okta_connection.client_secret),
					    app_id = excluded.app_id, picture_attribute = excluded.picture_attribute,
					    allow_private_pictures = excluded.allow_private_pictures, full_sync_at = excluded.full_sync_at,
					    updated_at = now()
					""")
			.param("company", companyId)
			.param("org", orgUrl)
			.param("server", authorizationServer)
			.param("method", authMethod)
			.param("token", this.secrets.seal(apiToken))
			.param("client", clientId)
			.param("secret", this.secrets.seal(clientSecret))
			.param("app", appId)
			.param("picture", pictureAttribute)
			.param("private", allowPrivatePictures)
			.param("at", fullSyncAt)
			.param("today", today)
			.update();
	}

	@Override
	protected OktaConnection connection(ResultSet rs) throws SQLException {
		return new OktaConnection(rs.getObject("company_id", UUID.class), rs.getString("org_url"),
				rs.getString("authorization_server"), rs.getString("auth_method"),
				this.secrets.open(rs.getString("api_token")),
				rs.getString("client_id"), this.secrets.open(rs.getString("client_secret")), rs.getString("app_id"),
				rs.getBytes("hook_secret_hash") != null, rs.getString("picture_attribute"),
				rs.getBoolean("allow_private_pictures"), rs.getString("full_sync_at"),
				rs.getLong("rejected_deliveries"));
	}

}
