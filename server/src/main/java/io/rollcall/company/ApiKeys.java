package io.rollcall.company;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.rollcall.audit.AuditLog;
import io.rollcall.audit.FieldChange;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import io.rollcall.platform.SecretTokens;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Company API keys. Only a key's hash is stored ({@link SecretTokens}); the key itself is shown once.
 */
@Service
public class ApiKeys {

	private static final String KEY_PREFIX = "rk_";

	private final JdbcClient jdbc;

	private final AuditLog audit;

	ApiKeys(JdbcClient jdbc, AuditLog audit) {
		this.jdbc = jdbc;
		this.audit = audit;
	}

	@Transactional
	public NewApiKey create(UUID companyId, String name, Actor actor) {
		if (name == null || name.isBlank()) {
			throw RequestRejectedException.invalid("name", "'name' is required: say what the key is for");
		}
		if (name.length() > 100) {
			throw RequestRejectedException.invalid("name", "'name' is longer than 100 characters");
		}
		String secret = SecretTokens.generate(KEY_PREFIX);
		UUID id = UUID.randomUUID();
		this.jdbc.sql("""
				insert into api_key (id, company_id, name, prefix, key_hash, created_by)
				values (:id, :company, :name, :prefix, :hash, :createdBy)
				""")
			.param("id", id)
			.param("company", companyId)
			.param("name", name.strip())
			.param("prefix", secret.substring(0, KEY_PREFIX.length() + 6))
			.param("hash", SecretTokens.hash(secret))
			.param("createdBy", actor.label())
			.update();
		this.audit.record(companyId, actor, "api_key", id, "created",
				Map.of("name", new FieldChange(null, name.strip())));
		return new NewApiKey(get(companyId, id), secret);
	}

	@Transactional(readOnly = true)
	public List<ApiKey> list(UUID companyId) {
		return this.jdbc.sql("select * from api_key where company_id = :company order by created_at desc")
			.param("company", companyId)
			.query(ApiKeys::key)
			.list();
	}

	@Transactional(readOnly = true)
	public ApiKey get(UUID companyId, UUID id) {
		return this.jdbc.sql("select * from api_key where company_id = :company and id = :id")
			.param("company", companyId)
			.param("id", id)
			.query(ApiKeys::key)
			.optional()
			.orElseThrow(() -> RequestRejectedException.notFound("API key " + id));
	}

	/** Revoking takes effect on the very next request: every request looks the key up. */
	@Transactional
	public ApiKey revoke(UUID companyId, UUID id, Actor actor) {
		ApiKey key = get(companyId, id);
		if (key.active()) {
			this.jdbc.sql("update api_key set revoked_at = now() where id = :id").param("id", id).update();
			this.audit.record(companyId, actor, "api_key", id, "revoked", Map.of());
		}
		return get(companyId, id);
	}

	/** The active key of this company that {@code secret} is, if any. A key of another company is no key here. */
	@Transactional
	public Optional<ApiKey> authenticate(UUID companyId, String secret) {
		if (secret == null || !secret.startsWith(KEY_PREFIX)) {
			return Optional.empty();
		}
		Optional<ApiKey> key = this.jdbc.sql("""
				select * from api_key where key_hash = :hash and company_id = :company and revoked_at is null
				""")
			.param("hash", SecretTokens.hash(secret))
			.param("company", companyId)
			.query(ApiKeys::key)
			.optional();
		// "Last used" to the minute is enough, and spares a write on every request.
		key.filter(k -> k.lastUsedAt() == null || k.lastUsedAt().isBefore(java.time.Instant.now().minusSeconds(60)))
			.ifPresent(k -> this.jdbc.sql("update api_key set last_used_at = now() where id = :id")
				.param("id", k.id())
				.update());
		return key;
	}

	private static ApiKey key(ResultSet rs, int row) throws SQLException {
		return new ApiKey(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("prefix"),
				instant(rs, "created_at"), rs.getString("created_by"), instant(rs, "last_used_at"),
				instant(rs, "revoked_at"));
	}

	private static java.time.Instant instant(ResultSet rs, String column) throws SQLException {
		java.sql.Timestamp value = rs.getTimestamp(column);
		return value == null ? null : value.toInstant();
	}

}
