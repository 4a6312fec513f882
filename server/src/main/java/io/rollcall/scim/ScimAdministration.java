package io.rollcall.scim;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.rollcall.company.Company;
import io.rollcall.company.CompanyHosts;
import io.rollcall.platform.Actor;

import org.springframework.stereotype.Service;

/**
 * What an admin sets up for a company's SCIM server, from the console or the API: on/off, what DELETE does, the
 * Tenant URL to paste into the identity provider, secret tokens, OAuth clients, and the log of recent requests.
 */
@Service
public class ScimAdministration {

	private final ScimSettingsStore settings;

	private final ScimTokens tokens;

	private final ScimRequestLog log;

	private final CompanyHosts hosts;

	ScimAdministration(ScimSettingsStore settings, ScimTokens tokens, ScimRequestLog log, CompanyHosts hosts) {
		this.settings = settings;
		this.tokens = tokens;
		this.log = log;
		this.hosts = hosts;
	}

	/**
	 * @param deleteMode what a SCIM DELETE of a user does
	 * @param tenantUrl the base URL of the company's SCIM server
	 */
	public record Setup(boolean enabled, DeleteMode deleteMode, String tenantUrl) {
	}

	/** A secret token as listed; its secret is never shown again after creation. */
	public record Token(UUID id, String name, String prefix, Instant createdAt, String createdBy, Instant expiresAt,
			Instant revokedAt, Instant lastUsedAt) {

		public boolean usable() {
			return this.revokedAt == null && (this.expiresAt == null || this.expiresAt.isAfter(Instant.now()));
		}

	}

	/** A token just made: {@code secret} is shown this once. */
	public record NewToken(Token token, String secret) {
	}

	public record Client(UUID id, String clientId, Instant createdAt, String createdBy, Instant revokedAt) {
	}

	/** Client credentials just made: {@code clientSecret} is shown this once. */
	public record NewClient(UUID id, String clientId, String clientSecret) {
	}

	/** One request of a SCIM client, with personal data and secrets of its body masked. */
	public record Request(long id, Instant at, String method, String path, int status, int millis, String detail,
			String body) {
	}

	public Setup setup(Company company) {
		ScimSettingsStore.Settings current = this.settings.get(company.id());
		return new Setup(current.enabled(), current.deleteMode(), tenantUrl(company));
	}

	/** @param deleteMode null to keep the company's */
	public Setup save(Company company, Boolean enabled, DeleteMode deleteMode, Actor actor) {
		this.settings.save(company.id(), enabled, deleteMode, actor);
		return setup(company);
	}

	public String tenantUrl(Company company) {
		return this.hosts.baseUrl(company) + "/scim/v2";
	}

	public List<Token> tokens(UUID companyId) {
		return this.tokens.list(companyId);
	}

	public NewToken createToken(UUID companyId, String name, Actor actor) {
		return this.tokens.create(companyId, name, actor);
	}

	public NewToken rotateToken(UUID companyId, UUID tokenId, Duration overlap, Actor actor) {
		return this.tokens.rotate(companyId, tokenId, overlap, actor);
	}

	public void revokeToken(UUID companyId, UUID tokenId, Actor actor) {
		this.tokens.revoke(companyId, tokenId, actor);
	}

	public List<Client> clients(UUID companyId) {
		return this.tokens.clients(companyId);
	}

	public NewClient createClient(UUID companyId, Actor actor) {
		return this.tokens.createClient(companyId, actor);
	}

	public void revokeClient(UUID companyId, UUID id, Actor actor) {
		this.tokens.revokeClient(companyId, id, actor);
	}

	public List<Request> requests(UUID companyId, int limit) {
		return this.log.list(companyId, Math.clamp(limit, 1, ScimRequestLog.KEPT));
	}

}
