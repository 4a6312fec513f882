package io.rollcall.jsondirectory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.UUID;

import io.rollcall.connector.ProviderConnections;
import io.rollcall.platform.SecretBox;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The {@code jsondirectory_connection} rows: the bearer token sealed on the way in, opened on the way out. */
@Repository
class JsonDirectoryConnections extends ProviderConnections<JsonDirectoryConnection> {

	JsonDirectoryConnections(JdbcClient jdbc, SecretBox secrets) {
		super("jsondirectory_connection", jdbc, secrets);
	}

	/** Saves the set-up; a null token keeps the stored one. The daily sync starts the day after the first save. */
	@Transactional
	public void save(UUID companyId, String peopleUrl, String token, String fullSyncAt, LocalDate today) {
		this.jdbc
			.sql("""
					insert into jsondirectory_connection (company_id, people_url, token, full_sync_at, last_full_sync_on)
					values (:company, :url, :token, :at, :today)
					on conflict (company_id) do update set people_url = excluded.people_url,
					    token = coalesce(excluded.token, jsondirectory_connection.token), full_sync_at = excluded.full_sync_at,
					    updated_at = now()
					""")
			.param("company", companyId)
			.param("url", peopleUrl)
			.param("token", this.secrets.seal(token))
			.param("at", fullSyncAt)
			.param("today", today)
			.update();
	}

	@Override
	protected JsonDirectoryConnection connection(ResultSet rs) throws SQLException {
		return new JsonDirectoryConnection(rs.getObject("company_id", UUID.class), rs.getString("people_url"),
				this.secrets.open(rs.getString("token")), rs.getString("full_sync_at"));
	}

}
