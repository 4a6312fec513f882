package io.rollcall.scim;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.rollcall.audit.AuditLog;
import io.rollcall.audit.FieldChange;
import io.rollcall.platform.Actor;
import io.rollcall.platform.ClusterNotices;
import io.rollcall.platform.RequestRejectedException;
import io.rollcall.platform.SecretTokens;
import io.rollcall.platform.ShortMemory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * SCIM credentials of a company: secret tokens (pasted into the identity provider), OAuth client credentials and
 * the short-lived access tokens they buy. Only SHA-256 hashes are stored; a token is checked by one indexed lookup
 * that also names its company, so a token works for its own company's SCIM server and nothing else.
 */
@Component
class ScimTokens {

	static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofHours(1);

	private final JdbcClient jdbc;

	private final AuditLog audit;

	ScimTokens(JdbcClient jdbc, AuditLog audit, ClusterNotices notices) {
		this.validTokens = new ShortMemory<>("valid SCIM tokens", Duration.ofSeconds(1), notices);
		this.jdbc = jdbc;
		this.audit = audit;
	}

	/** Who a valid token belongs to; {@code expiresAt} null for a token that lives until revoked. */
	record Holder(UUID tokenId, UUID companyId, String name, Instant expiresAt) {
	}

	/**
	 * Valid tokens by their hash, for a second: a provider sends hundreds of requests a second with one token, and
	 * the check was half of a lookup's statements. Revoking or rotating forgets it on this node at once and on
	 * the others as it commits (a cluster notice). Only valid tokens are remembered, so unknown ones cannot fill the memory.
	 */
	private final ShortMemory<ByteBuffer, Holder> validTokens;

	/** When this node last recorded each token's use, so a busy token costs one write a minute, not one a request. */
	private final java.util.Map<UUID, Long> lastRecorded = new java.util.concurrent.ConcurrentHashMap<>();

	Optional<Holder> authenticate(UUID companyId, String token) {
		if (token == null || token.isBlank() || token.length() > 200) {
			return Optional.empty();
		}
		Instant now = Instant.now();
		Optional<Holder> holder = Optional
			.ofNullable(this.validTokens.get(ByteBuffer.wrap(SecretTokens.hash(token)), this::valid))
			// A token works for its own company only, and not past its end (a rotated token's overlap).
			.filter(h -> h.companyId().equals(companyId) && (h.expiresAt() == null || h.expiresAt().isAfter(now)));
		// At most one write a minute per token: the console shows when a token was last used.
		long millis = now.toEpochMilli();
		holder.filter(h -> millis - this.lastRecorded.getOrDefault(h.tokenId(), 0L) > 60_000).ifPresent(h -> {
			this.lastRecorded.put(h.tokenId(), millis);
			this.jdbc.sql("""
					update scim_token set last_used_at = now()
					where id = :id and (last_used_at is null or last_used_at < now() - interval '1 minute')
					""").param("id", h.tokenId()).update();
		});
		return holder;
	}

	private Holder valid(ByteBuffer hash) {
		return this.jdbc.sql("""
				select id, company_id, name, expires_at from scim_token
				where token_hash = :hash and revoked_at is null and (expires_at is null or expires_at > now())
				""")
			.param("hash", hash.array())
			.query((rs, n) -> new Holder(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
					instant(rs, "expires_at")))
			.optional()
			.orElse(null);
	}

	@Transactional
	ScimAdministration.NewToken create(UUID companyId, String name, Actor actor) {
		String label = name == null || name.isBlank() ? "SCIM token" : name.strip();
		if (label.length() > 100) {
			throw RequestRejectedException.invalid("name", "A token name is at most 100 characters");
		}
		String secret = SecretTokens.generate("rcs_");
		UUID id = UUID.randomUUID();
		this.jdbc.sql("""
				insert into scim_token (id, company_id, kind, name, prefix, token_hash, created_by)
				values (:id, :company, 'secret', :name, :prefix, :hash, :by)
				""")
			.param("id", id)
			.param("company", companyId)
			.param("name", label)
			.param("prefix", secret.substring(0, 10))
			.param("hash", SecretTokens.hash(secret))
			.param("by", actor.label())
			.update();
		this.audit.record(companyId, actor, "scim_token", id, "created", Map.of("name", new FieldChange(null, label)));
		return new ScimAdministration.NewToken(find(companyId, id), secret);
	}

	/** A new token with the same name; the old one keeps working for {@code overlap}, so the provider can be updated. */
	@Transactional
	ScimAdministration.NewToken rotate(UUID companyId, UUID id, Duration overlap, Actor actor) {
		ScimAdministration.Token old = find(companyId, id);
		if (old.revokedAt() != null) {
			throw RequestRejectedException.conflict(null, "This token is revoked; create a new one instead");
		}
		if (overlap.isNegative() || overlap.compareTo(Duration.ofDays(30)) > 0) {
			throw RequestRejectedException.invalid("overlapHours", "The overlap is between 0 hours and 30 days");
		}
		this.validTokens.forgetWhere(h -> h.tokenId().equals(id));
		this.jdbc
			.sql("""
					update scim_token set expires_at = least(coalesce(expires_at, 'infinity'), now() + cast(:overlap as interval))
					where id = :id and company_id = :company
					""")
			.param("overlap", overlap.toSeconds() + " seconds")
			.param("id", id)
			.param("company", companyId)
			.update();
		this.audit.record(companyId, actor, "scim_token", id, "rotated",
				Map.of("expiresAt", new FieldChange(null, Instant.now().plus(overlap).toString())));
		return create(companyId, old.name(), actor);
	}

	/** Effective at once: the next request with it is refused. */
	@Transactional
	void revoke(UUID companyId, UUID id, Actor actor) {
		find(companyId, id);
		this.validTokens.forgetWhere(h -> h.tokenId().equals(id));
		this.jdbc.sql(
				"update scim_token set revoked_at = coalesce(revoked_at, now()) where id = :id and company_id = :company")
			.param("id", id)
			.param("company", companyId)
			.update();
		this.audit.record(companyId, actor, "scim_token", id, "revoked", Map.of());
	}

	@Transactional(readOnly = true)
	List<ScimAdministration.Token> list(UUID companyId) {
		return this.jdbc.sql("""
				select * from scim_token where company_id = :company and kind = 'secret' order by created_at desc
				""").param("company", companyId).query((rs, n) -> token(rs)).list();
	}

	private ScimAdministration.Token find(UUID companyId, UUID id) {
		return this.jdbc.sql("select * from scim_token where company_id = :company and id = :id and kind = 'secret'")
			.param("company", companyId)
			.param("id", id)
			.query((rs, n) -> token(rs))
			.optional()
			.orElseThrow(() -> RequestRejectedException.notFound("SCIM token " + id));
	}

	private static ScimAdministration.Token token(java.sql.ResultSet rs) throws java.sql.SQLException {
		return new ScimAdministration.Token(rs.getObject("id", UUID.class), rs.getString("name"),
				rs.getString("prefix"),
				instant(rs, "created_at"), rs.getString("created_by"), instant(rs, "expires_at"),
				instant(rs, "revoked_at"),
				instant(rs, "last_used_at"));
	}

	private static Instant instant(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
		var value = rs.getTimestamp(column);
		return value == null ? null : value.toInstant();
	}

	@Transactional
	ScimAdministration.NewClient createClient(UUID companyId, Actor actor) {
		UUID id = UUID.randomUUID();
		String clientId = "rcc_" + id.toString().replace("-", "");
		String secret = SecretTokens.generate("rccs_");
		this.jdbc.sql("""
				insert into scim_client (id, company_id, client_id, secret_hash, created_by)
				values (:id, :company, :client, :hash, :by)
				""")
			.param("id", id)
			.param("company", companyId)
			.param("client", clientId)
			.param("hash", SecretTokens.hash(secret))
			.param("by", actor.label())
			.update();
		this.audit.record(companyId, actor, "scim_client", id, "created",
				Map.of("clientId", new FieldChange(null, clientId)));
		return new ScimAdministration.NewClient(id, clientId, secret);
	}

	@Transactional
	void revokeClient(UUID companyId, UUID id, Actor actor) {
		int changed = this.jdbc.sql("""
				update scim_client set revoked_at = coalesce(revoked_at, now()) where id = :id and company_id = :company
				""").param("id", id).param("company", companyId).update();
		if (changed == 0) {
			throw RequestRejectedException.notFound("SCIM client " + id);
		}
		// Tokens it already bought stop too.
		this.validTokens.forgetWhere(h -> h.companyId().equals(companyId));
		this.jdbc.sql("update scim_token set revoked_at = now() where client_id = :id and revoked_at is null")
			.param("id", id)
			.update();
		this.audit.record(companyId, actor, "scim_client", id, "revoked", Map.of());
	}

	/** Client credentials grant: a short-lived access token, or empty when the credentials are not this company's. */
	@Transactional
	Optional<String> issueAccessToken(UUID companyId, String clientId, String clientSecret) {
		if (clientId == null || clientSecret == null || clientSecret.length() > 200) {
			return Optional.empty();
		}
		Optional<UUID> client = this.jdbc.sql("""
				select id from scim_client
				where company_id = :company and client_id = :client and secret_hash = :hash and revoked_at is null
				""")
			.param("company", companyId)
			.param("client", clientId)
			.param("hash", SecretTokens.hash(clientSecret))
			.query(UUID.class)
			.optional();
		if (client.isEmpty()) {
			return Optional.empty();
		}
		String token = SecretTokens.generate("rca_");
		this.jdbc
			.sql("""
					insert into scim_token (id, company_id, kind, name, prefix, token_hash, client_id, created_by, expires_at)
					values (:id, :company, 'access', :name, :prefix, :hash, :client, :name, now() + cast(:life as interval))
					""")
			.param("id", UUID.randomUUID())
			.param("company", companyId)
			.param("name", "OAuth client " + clientId)
			.param("prefix", token.substring(0, 10))
			.param("hash", SecretTokens.hash(token))
			.param("client", client.get())
			.param("life", ACCESS_TOKEN_LIFETIME.toSeconds() + " seconds")
			.update();
		// Expired access tokens are of no use to anyone.
		this.jdbc.sql("delete from scim_token where kind = 'access' and expires_at < now() - interval '1 day'")
			.update();
		return Optional.of(token);
	}

	@Transactional(readOnly = true)
	List<ScimAdministration.Client> clients(UUID companyId) {
		return this.jdbc.sql("select * from scim_client where company_id = :company order by created_at desc")
			.param("company", companyId)
			.query((rs, n) -> new ScimAdministration.Client(rs.getObject("id", UUID.class), rs.getString("client_id"),
					instant(rs, "created_at"), rs.getString("created_by"), instant(rs, "revoked_at")))
			.list();
	}

}
