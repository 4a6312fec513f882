package io.rollcall.connector;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.rollcall.platform.SecretBox;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.util.Assert;

/**
 * A provider's connection table: one row per company ({@code company_id}), its set-up with the secrets sealed, and the
 * day its daily sync last ran ({@code last_full_sync_on}). The provider's subclass owns the table: its columns, its
 * statements and how a row becomes a connection.
 *
 * @param <C> a company's connection to the provider, with its secrets opened
 */
public abstract class ProviderConnections<C> implements DailySync.Claim {

	protected final JdbcClient jdbc;

	/** Seals secrets on the way in and opens them on the way out. */
	protected final SecretBox secrets;

	private final String table;

	/** @param table the provider's connection table */
	protected ProviderConnections(String table, JdbcClient jdbc, SecretBox secrets) {
		Assert.hasText(table, "table cannot be empty");
		Assert.notNull(jdbc, "jdbc cannot be null");
		Assert.notNull(secrets, "secrets cannot be null");
		this.table = table;
		this.jdbc = jdbc;
		this.secrets = secrets;
	}

	@Transactional(readOnly = true)
	public Optional<C> find(UUID companyId) {
		return this.jdbc.sql("select * from " + this.table + " where company_id = :company")
			.param("company", companyId)
			.query((rs, n) -> connection(rs))
			.optional();
	}

	/** Every company's connection, set up or not. */
	@Transactional(readOnly = true)
	public List<C> all() {
		return list(null);
	}

	/** The connections whose rows meet {@code condition} (null: all). */
	protected final List<C> list(String condition) {
		return this.jdbc.sql("select * from " + this.table + (condition == null ? "" : " where " + condition))
			.query((rs, n) -> connection(rs))
			.list();
	}

	/** Claims today's daily run for the company; false when it was already claimed (by this node or another). */
	@Override
	@Transactional
	public boolean claimDailyRun(UUID companyId, LocalDate today) {
		return update(companyId, "last_full_sync_on = :today",
				"last_full_sync_on is null or last_full_sync_on < :today")
			.param("today", today)
			.update() == 1;
	}

	/**
	 * An update of the company's row, for the caller to bind the parameters of and run.
	 *
	 * @param assignments the update's set clause
	 */
	protected final JdbcClient.StatementSpec update(UUID companyId, String assignments) {
		return update(companyId, assignments, null);
	}

	/** An update of the company's row when it meets {@code condition} (null: always). */
	protected final JdbcClient.StatementSpec update(UUID companyId, String assignments, String condition) {
		return this.jdbc.sql("update " + this.table + " set " + assignments + " where company_id = :company"
				+ (condition == null ? "" : " and (" + condition + ")"))
			.param("company", companyId);
	}

	/** The connection a {@code select *} row holds. */
	protected abstract C connection(ResultSet row) throws SQLException;

}
