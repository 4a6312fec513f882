package io.rollcall.identityprovider;

import java.security.Principal;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.rollcall.company.Company;
import io.rollcall.company.CurrentCompany;
import io.rollcall.sso.SignedInPerson;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Spring Authorization Server's authorization store, seen from one company's issuer. Every authorization records the
 * company whose host issued it, and is found only from that company's host: a code, access token or refresh token
 * issued at company A is unknown at company B (the one registration of the host application serves every company,
 * so client authentication alone would not tell them apart). A refresh token replaced by rotation and presented
 * again revokes the whole authorization: someone holds a copy.
 */
final class CompanyAuthorizations implements OAuth2AuthorizationService {

	private static final Logger log = LoggerFactory.getLogger(CompanyAuthorizations.class);

	/** The issuing company's id, kept with the authorization. */
	static final String COMPANY = "io.rollcall.company";

	/** Who signed in, by id, kept with the authorization. */
	static final String PERSON = "io.rollcall.person";

	/**
	 * The request attribute holding the authorizations this request found, by token type and token: one attribute,
	 * so that forgetting them is one removal, not a walk through every attribute of the request on each save.
	 */
	private static final String FOUND = CompanyAuthorizations.class.getName() + ".found";

	private final OAuth2AuthorizationService store;

	private final RotatedRefreshTokens rotated;

	private final ApplicationSignIns signIns;

	private final TransactionTemplate transactions;

	CompanyAuthorizations(OAuth2AuthorizationService store, RotatedRefreshTokens rotated, ApplicationSignIns signIns,
			TransactionTemplate transactions) {
		Assert.notNull(store, "store cannot be null");
		Assert.notNull(rotated, "rotated cannot be null");
		Assert.notNull(signIns, "signIns cannot be null");
		Assert.notNull(transactions, "transactions cannot be null");
		this.store = store;
		this.rotated = rotated;
		this.signIns = signIns;
		this.transactions = transactions;
	}

	/**
	 * A new authorization (the authorize endpoint issuing a code to a signed-in person) is one sign-in to the
	 * application: recorded with the way the person signed in to Rollcall, for the console's recent sign-ins, in one
	 * transaction with the authorization. Any other save is one statement: a refresh token it replaces is kept as replaced by
	 * that statement itself (V26).
	 */
	@Override
	public void save(OAuth2Authorization authorization) {
		forgetFound();
		boolean signIn = authorization.getAttribute(COMPANY) == null;
		String signedInWith = signIn ? signedInWith(authorization) : null;
		OAuth2Authorization scoped = scoped(authorization);
		if (!signIn || !scoped.getAuthorizationGrantType().equals(AuthorizationGrantType.AUTHORIZATION_CODE)) {
			this.store.save(scoped); // one statement: no transaction to open
			return;
		}
		this.transactions.executeWithoutResult(status -> {
			this.store.save(scoped);
			this.signIns.record(UUID.fromString(scoped.getAttribute(COMPANY)), scoped.getRegisteredClientId(),
					UUID.fromString(scoped.getAttribute(PERSON)), signedInWith);
		});
	}

	private static String signedInWith(OAuth2Authorization authorization) {
		Authentication principal = authorization.getAttribute(Principal.class.getName());
		return principal != null && principal.getPrincipal() instanceof SignedInPerson person ? person.signedInWith()
				: null;
	}

	@Override
	public void remove(OAuth2Authorization authorization) {
		forgetFound();
		if (ofThisCompany(authorization) != null) {
			this.store.remove(authorization);
		}
	}

	@Override
	public OAuth2Authorization findById(String id) {
		return ofThisCompany(this.store.findById(id));
	}

	@Override
	public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
		// A code is looked up twice by the token endpoint (its PKCE check, then its redemption): read once a request.
		RequestAttributes request = RequestContextHolder.getRequestAttributes();
		String key = (tokenType == null ? "" : tokenType.getValue()) + ":" + token;
		@SuppressWarnings("unchecked")
		Map<String, OAuth2Authorization> kept = request == null ? null
				: (Map<String, OAuth2Authorization>) request.getAttribute(FOUND, RequestAttributes.SCOPE_REQUEST);
		if (kept != null && kept.get(key) instanceof OAuth2Authorization found) {
			return found;
		}
		OAuth2Authorization found = ofThisCompany(this.store.findByToken(token, tokenType));
		if (found == null && OAuth2TokenType.REFRESH_TOKEN.equals(tokenType)) {
			revokeIfReused(token);
		}
		if (found != null && request != null) {
			if (kept == null) {
				kept = new HashMap<>(4);
				request.setAttribute(FOUND, kept, RequestAttributes.SCOPE_REQUEST);
			}
			kept.put(key, found);
		}
		return found;
	}

	/** Once the request changes an authorization, what it found before is read again. */
	private static void forgetFound() {
		RequestAttributes request = RequestContextHolder.getRequestAttributes();
		if (request != null) {
			request.removeAttribute(FOUND, RequestAttributes.SCOPE_REQUEST);
		}
	}

	private void revokeIfReused(String refreshToken) {
		this.rotated.authorizationOf(refreshToken)
			.map(this.store::findById)
			.map(CompanyAuthorizations::ofThisCompany)
			.ifPresent(reused -> {
				log.warn("A refresh token replaced by rotation was presented again: revoked every token of "
						+ "authorization {} (client {}, person {})", reused.getId(), reused.getRegisteredClientId(),
						reused.getPrincipalName());
				this.store.remove(reused);
			});
	}

	/**
	 * Marks a new authorization with the company and person, and keeps the person by id: the session's principal
	 * (a {@link SignedInPerson}) is not something the store's JSON may hold, and the principal name becomes the
	 * person's id, which is also the {@code sub} of their tokens.
	 */
	private static OAuth2Authorization scoped(OAuth2Authorization authorization) {
		if (authorization.getAttribute(COMPANY) != null) {
			return authorization;
		}
		Company company = CurrentCompany.get()
			.orElseThrow(() -> new IllegalStateException("Authorizations are made on a company's host only"));
		Authentication principal = authorization.getAttribute(Principal.class.getName());
		if (principal == null || !(principal.getPrincipal() instanceof SignedInPerson person)
				|| !person.companyId().equals(company.id())) {
			throw new IllegalStateException("An authorization for someone not signed in to " + company.slug());
		}
		String personId = person.personId().toString();
		Authentication kept = UsernamePasswordAuthenticationToken.authenticated(personId, null,
				principal.getAuthorities());
		return OAuth2Authorization.from(authorization)
			.principalName(personId)
			.attribute(Principal.class.getName(), kept)
			.attribute(COMPANY, company.id().toString())
			.attribute(PERSON, personId)
			.build();
	}

	private static OAuth2Authorization ofThisCompany(OAuth2Authorization authorization) {
		if (authorization == null) {
			return null;
		}
		Optional<UUID> company = CurrentCompany.get().map(Company::id);
		Object issuedBy = authorization.getAttribute(COMPANY);
		return company.isPresent() && company.get().toString().equals(issuedBy) ? authorization : null;
	}

}
