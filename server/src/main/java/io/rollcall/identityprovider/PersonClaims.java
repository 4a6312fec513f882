package io.rollcall.identityprovider;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.rollcall.company.Company;
import io.rollcall.company.CurrentCompany;
import io.rollcall.directory.People;
import io.rollcall.directory.Person;
import io.rollcall.directory.Teams;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContext;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcUserInfoAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.util.Assert;

/**
 * The person's profile as OpenID Connect claims, read from the directory when the token is made (so an ID token and
 * userinfo show the profile as it is now, whichever provider the person signed in through). {@code sub} is the
 * person's Rollcall id. The {@code rollcall} scope adds their place in the company.
 */
@Component
final class PersonClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

	private final People people;

	private final Teams teams;

	PersonClaims(People people, Teams teams) {
		Assert.notNull(people, "people cannot be null");
		Assert.notNull(teams, "teams cannot be null");
		this.people = people;
		this.teams = teams;
	}

	@Override
	public void customize(JwtEncodingContext context) {
		OAuth2Authorization authorization = context.getAuthorization();
		if (authorization == null) {
			return;
		}
		Person person = activePerson(authorization);
		boolean idToken = OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue());
		if (idToken) {
			claims(person, authorization, context.getAuthorizedScopes()).forEach(context.getClaims()::claim);
		}
		else {
			// Access tokens name the company, so a resource server that accepts several issuers can tell them apart.
			context.getClaims().claim("company_id", authorization.<String>getAttribute(CompanyAuthorizations.COMPANY));
			// ES256, not RSA: read by Rollcall's userinfo and by resource servers through the JWKS, never by an
			// application configured for one algorithm, and a tenth of an RSA signature's cost (SigningKeys).
			context.getJwsHeader().algorithm(SignatureAlgorithm.ES256);
		}
	}

	/** The userinfo endpoint's answer: the same claims as the ID token. */
	OidcUserInfo userInfo(OidcUserInfoAuthenticationContext context) {
		OAuth2Authorization authorization = context.getAuthorization();
		Person person = activePerson(authorization);
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("sub", person.id().toString());
		claims.putAll(claims(person, authorization, context.getAccessToken().getScopes()));
		return new OidcUserInfo(claims);
	}

	/**
	 * The person must still be active: a person deactivated since sign-in gets no new ID token or profile, which the
	 * application sees as {@code invalid_grant} (refresh) or {@code invalid_token} (userinfo).
	 */
	private Person activePerson(OAuth2Authorization authorization) {
		UUID company = UUID.fromString(authorization.getAttribute(CompanyAuthorizations.COMPANY));
		UUID personId = UUID.fromString(authorization.getAttribute(CompanyAuthorizations.PERSON));
		// A token request makes two tokens (access, then ID) from one read of the person: kept for the request.
		RequestAttributes request = RequestContextHolder.getRequestAttributes();
		String key = PersonClaims.class.getName() + "." + personId;
		if (request != null && request.getAttribute(key, RequestAttributes.SCOPE_REQUEST) instanceof Person kept) {
			return kept;
		}
		// The person's profile is one statement; their teams, tags and manager four more, for the rollcall scope only.
		Optional<Person> read = authorization.getAuthorizedScopes().contains(Applications.ROLLCALL_SCOPE)
				? this.people.find(company, personId)
				: this.people.loadProfiles(company, List.of(personId)).stream().findFirst();
		Person person = read
			.filter(Person::active)
			.orElseThrow(() -> new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_GRANT));
		if (request != null) {
			request.setAttribute(key, person, RequestAttributes.SCOPE_REQUEST);
		}
		return person;
	}

	private Map<String, Object> claims(Person person, OAuth2Authorization authorization, Set<String> scopes) {
		Map<String, Object> claims = new LinkedHashMap<>();
		if (scopes.contains(OidcScopes.PROFILE)) {
			put(claims, "name", person.displayName());
			put(claims, "given_name", person.firstName());
			put(claims, "family_name", person.lastName());
			put(claims, "picture", absolute(person.avatarUrl()));
			put(claims, "locale", person.language());
			put(claims, "zoneinfo", person.timeZone());
			claims.put("updated_at", person.updatedAt().getEpochSecond());
		}
		if (scopes.contains(OidcScopes.EMAIL)) {
			put(claims, "email", person.email());
			// The company's directory gives every address; nobody chooses their own, so the company vouches for it.
			claims.put("email_verified", person.email() != null);
		}
		if (scopes.contains(Applications.ROLLCALL_SCOPE)) {
			claims.put("rollcall",
					plain(place(person, UUID.fromString(authorization.getAttribute(CompanyAuthorizations.COMPANY)))));
		}
		return claims;
	}

	private Map<String, Object> place(Person person, UUID companyId) {
		Map<String, Object> place = new LinkedHashMap<>();
		// Tokens are made on the issuing company's host only (CompanyAuthorizations finds them nowhere else).
		Optional<Company> company = CurrentCompany.get().filter(c -> c.id().equals(companyId));
		place.put("company", Map.of("id", companyId.toString(), "slug", company.map(Company::slug).orElse("")));
		place.put("role", person.role().name().toLowerCase(java.util.Locale.ROOT));
		List<UUID> teamIds = new ArrayList<>();
		if (person.primaryTeamId() != null) {
			teamIds.add(person.primaryTeamId());
		}
		teamIds.addAll(person.secondaryTeamIds() == null ? List.of() : person.secondaryTeamIds());
		Map<UUID, String> names = teamIds.isEmpty() ? Map.of() : this.teams.names(companyId, teamIds);
		if (person.primaryTeamId() != null) {
			place.put("primary_team", team(person.primaryTeamId(), names));
		}
		place.put("secondary_teams", (person.secondaryTeamIds() == null ? List.<UUID>of() : person.secondaryTeamIds())
			.stream()
			.map(id -> team(id, names))
			.toList());
		place.put("tags", person.tags() == null ? List.of() : person.tags());
		if (person.managerId() != null) {
			place.put("manager", person.managerId().toString());
		}
		place.put("custom_fields", person.customFields() == null ? Map.of() : person.customFields());
		return place;
	}

	/**
	 * The claim as ArrayLists and LinkedHashMaps of plain values: the authorization store keeps the claims as typed
	 * JSON and reads back only such types (see IdentityProviderStores).
	 */
	private static Object plain(Object value) {
		if (value instanceof Map<?, ?> map) {
			Map<String, Object> copy = new LinkedHashMap<>();
			map.forEach((k, v) -> {
				if (v != null) {
					copy.put(String.valueOf(k), plain(v));
				}
			});
			return copy;
		}
		if (value instanceof java.util.Collection<?> list) {
			List<Object> copy = new ArrayList<>();
			list.forEach(v -> copy.add(plain(v)));
			return copy;
		}
		if (value instanceof String || value instanceof Number || value instanceof Boolean) {
			return value;
		}
		return String.valueOf(value);
	}

	/** Synced photos are served by Rollcall under {@code /avatars/...}: the claim must be a URL, so on the issuer's host. */
	private static String absolute(String url) {
		if (url == null || !url.startsWith("/")) {
			return url;
		}
		AuthorizationServerContext context = AuthorizationServerContextHolder.getContext();
		return context == null ? null : context.getIssuer() + url;
	}

	private static Map<String, String> team(UUID id, Map<UUID, String> names) {
		return Map.of("id", id.toString(), "name", names.getOrDefault(id, ""));
	}

	private static void put(Map<String, Object> claims, String name, String value) {
		if (value != null && !value.isBlank()) {
			claims.put(name, value);
		}
	}

}
