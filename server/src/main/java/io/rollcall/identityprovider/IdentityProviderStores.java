package io.rollcall.identityprovider;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;

import io.rollcall.platform.ClusterNotices;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.jackson.SecurityJacksonModules;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Spring Authorization Server's PostgreSQL stores (tables in V17; rotated refresh tokens in V18; sign-ins in V19;
 * token values kept as digests since V20), and the company-scoped views the authorization server uses. Kept out of
 * the bean factory on purpose: as beans of their types they would also be picked up by
 * auto-configuration and by any other security chain.
 */
@Component
final class IdentityProviderStores {

	private final CachedRegisteredClients registeredClients;

	private final CompanyClients companyClients;

	private final CompanyAuthorizations companyAuthorizations;

	private final OAuth2AuthorizationConsentService consents;

	private final ApplicationSignIns signIns;

	private final AuthorizationColumns columns;

	IdentityProviderStores(JdbcTemplate jdbc, JdbcClient jdbcClient, TransactionTemplate transactions,
			ClusterNotices notices) {
		this.registeredClients = new CachedRegisteredClients(new JdbcRegisteredClientRepository(jdbc), notices);
		this.companyClients = new CompanyClients(this.registeredClients);
		JdbcOAuth2AuthorizationService authorizations = new AuthorizationRows(jdbc, this.registeredClients);
		JsonMapper json = storeJson();
		this.columns = new AuthorizationColumns(this.registeredClients,
				new JdbcOAuth2AuthorizationService.JsonMapperOAuth2AuthorizationRowMapper(this.registeredClients, json),
				new JdbcOAuth2AuthorizationService.JsonMapperOAuth2AuthorizationParametersMapper(json));
		authorizations.setAuthorizationRowMapper(this.columns.rows());
		authorizations.setAuthorizationParametersMapper(this.columns.parameters());
		this.signIns = new ApplicationSignIns(jdbcClient);
		this.companyAuthorizations = new CompanyAuthorizations(new HashedTokenAuthorizations(authorizations),
				new RotatedRefreshTokens(jdbcClient), this.signIns, transactions);
		this.consents = new JdbcOAuth2AuthorizationConsentService(jdbc, this.registeredClients);
	}

	/**
	 * For the authorizations {@link AuthorizationColumns} leaves in the store's own JSON (and rows saved before it):
	 * that JSON keeps each token's claims typed and reads back only allow-listed types; the person's claims add
	 * numbers ({@code updated_at}) and the plain lists and maps of the {@code rollcall} claim.
	 */
	static JsonMapper storeJson() {
		BasicPolymorphicTypeValidator.Builder types = BasicPolymorphicTypeValidator.builder()
			.allowIfSubType(Long.class)
			.allowIfSubType(Integer.class)
			.allowIfSubType(Double.class)
			.allowIfSubType(BigDecimal.class)
			.allowIfSubType(Boolean.class)
			.allowIfSubType(ArrayList.class)
			.allowIfSubType(LinkedHashMap.class);
		return JsonMapper.builder()
			.addModules(SecurityJacksonModules.getModules(IdentityProviderStores.class.getClassLoader(), types))
			.build();
	}

	/** Every registration as stored, with its {@code {slug}} placeholders: for the operator's API. */
	RegisteredClientRepository registeredClients() {
		return this.registeredClients;
	}

	/** After a registration was changed or deleted in the table directly: every node reads the registrations again. */
	void forgetClients() {
		this.registeredClients.forget();
	}

	/** The registrations as the current company's issuer sees them. */
	RegisteredClientRepository companyClients() {
		return this.companyClients;
	}

	/** Authorizations made at, and found only at, the current company's issuer. */
	OAuth2AuthorizationService companyAuthorizations() {
		return this.companyAuthorizations;
	}

	OAuth2AuthorizationConsentService consents() {
		return this.consents;
	}

	/** How an authorization is kept in its row. */
	AuthorizationColumns columns() {
		return this.columns;
	}

	/** Who signed in to which application (V19). */
	ApplicationSignIns signIns() {
		return this.signIns;
	}

}
