package io.rollcall.sso;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.rollcall.directory.Identities;
import io.rollcall.directory.LinkedBy;
import io.rollcall.directory.People;
import io.rollcall.directory.Person;
import io.rollcall.directory.PersonChanges;
import io.rollcall.directory.PersonField;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.util.Assert;

/**
 * Who is signing in: the person the provider's stable id is linked to, otherwise the person with the provider's
 * e-mail (Entra: the UPN in {@code preferred_username}; generic OIDC: only a verified {@code email}), who is then
 * linked to that id for next time; else the person whose sign-in name (a SCIM userName such as {@code jdoe}, which
 * need not be their e-mail) is the token's {@code preferred_username} or {@code upn}. The link is a
 * {@link LinkedBy#SIGN_IN}: signing in never makes the person the provider's syncs' to deactivate. Only people of the
 * company whose host the sign-in came to are ever considered.
 */
@Service
class SsoAccounts {

	enum Outcome {
		/** Found by the stored identity. */
		BY_IDENTITY,
		/** Found by e-mail; the identity is (or would be) linked. */
		BY_EMAIL,
		/** Found by sign-in name, no e-mail matching; the identity is (or would be) linked. */
		BY_SIGN_IN_NAME,
		/** Unknown; the company creates people at first sign-in. */
		CREATE,
		/** Unknown, and the company does not create people at first sign-in. */
		UNKNOWN,
		DEACTIVATED,
		/** The claims lack the id or the e-mail this provider is matched by. */
		MISSING_CLAIMS,
		/** The person found by e-mail is already linked to another account of this provider. */
		LINKED_ELSEWHERE;

		boolean signsIn() {
			return this == BY_IDENTITY || this == BY_EMAIL || this == BY_SIGN_IN_NAME || this == CREATE;
		}
	}

	/** What the claims match, decided without writing anything. */
	record Match(Outcome outcome, Person person, String source, String externalId, String email) {
	}

	private final People people;

	private final Identities identities;

	SsoAccounts(People people, Identities identities) {
		Assert.notNull(people, "people cannot be null");
		Assert.notNull(identities, "identities cannot be null");
		this.people = people;
		this.identities = identities;
	}

	@Transactional(readOnly = true)
	Match match(UUID companyId, SsoSettings settings, Map<String, Object> claims) {
		String source = settings.provider().source();
		String externalId = string(claims, settings.provider() == SsoProvider.ENTRA ? "oid" : "sub");
		String email = email(settings.provider(), claims);
		if (externalId == null) {
			return new Match(Outcome.MISSING_CLAIMS, null, source, null, email);
		}
		Optional<Person> linked = this.identities.findPerson(companyId, source, externalId);
		if (linked.isPresent()) {
			return new Match(linked.get().active() ? Outcome.BY_IDENTITY : Outcome.DEACTIVATED, linked.get(), source,
					externalId, email);
		}
		Optional<Person> byEmail = email == null ? Optional.empty() : this.people.findByEmail(companyId, email);
		Outcome found = Outcome.BY_EMAIL;
		if (byEmail.isEmpty()) {
			byEmail = findBySignInName(companyId, claims);
			found = Outcome.BY_SIGN_IN_NAME;
		}
		if (byEmail.isPresent()) {
			Person person = byEmail.get();
			if (!person.active()) {
				return new Match(Outcome.DEACTIVATED, person, source, externalId, email);
			}
			String current = person.externalIds() == null ? null : person.externalIds().get(source);
			return new Match(current != null && !current.equals(externalId) ? Outcome.LINKED_ELSEWHERE : found,
					person, source, externalId, email == null ? person.email() : email);
		}
		if (email == null) {
			return new Match(Outcome.MISSING_CLAIMS, null, source, externalId, null);
		}
		return new Match(settings.createOnFirstSignIn() ? Outcome.CREATE : Outcome.UNKNOWN, null, source, externalId,
				email);
	}

	/** Matches and does what the match says: links the identity or creates the person, each audited. */
	@Transactional
	Match signIn(UUID companyId, SsoSettings settings, Map<String, Object> claims) {
		Match match = match(companyId, settings, claims);
		Actor actor = new Actor(Actor.Type.SOURCE, match.source(), "Single sign-on (" + match.source() + ")");
		switch (match.outcome()) {
			case BY_EMAIL, BY_SIGN_IN_NAME -> this.identities.link(companyId, match.person().id(), match.source(),
					match.externalId(), LinkedBy.SIGN_IN, actor);
			case CREATE -> {
				Person created;
				try {
					PersonChanges changes = new PersonChanges().set(PersonField.EMAIL, match.email());
					setIfPresent(changes, PersonField.FIRST_NAME, string(claims, "given_name"));
					setIfPresent(changes, PersonField.LAST_NAME, string(claims, "family_name"));
					created = this.people.create(companyId, changes, actor);
				}
				catch (RequestRejectedException ex) {
					// The claims could not make a valid person (e.g. a malformed e-mail): refused like an unknown one.
					return new Match(Outcome.UNKNOWN, null, match.source(), match.externalId(), match.email());
				}
				// Created by the sign-in, not provisioned: the provider's syncs adopt them only once they list them.
				this.identities.link(companyId, created.id(), match.source(), match.externalId(), LinkedBy.SIGN_IN,
						actor);
				return new Match(Outcome.CREATE, created, match.source(), match.externalId(), match.email());
			}
			default -> {
			}
		}
		return match;
	}

	/**
	 * The person whose sign-in name is the token's preferred_username or upn, compared without case (seed 004: the
	 * SCIM userName is the SSO identifier, also where it is not the e-mail).
	 */
	private Optional<Person> findBySignInName(UUID companyId, Map<String, Object> claims) {
		for (String claim : java.util.List.of("preferred_username", "upn")) {
			String name = string(claims, claim);
			if (name == null) {
				continue;
			}
			Optional<Person> found = this.people.findBySignInName(companyId, name);
			if (found.isPresent()) {
				return found;
			}
		}
		return Optional.empty();
	}

	private static void setIfPresent(PersonChanges changes, PersonField field, String value) {
		if (value != null) {
			changes.set(field, value);
		}
	}

	private static String email(SsoProvider provider, Map<String, Object> claims) {
		String email = switch (provider) {
			// Entra's email claim is optional and unverified; the UPN is what the directory keys on.
			case ENTRA -> string(claims, "preferred_username");
			case OKTA -> string(claims, "email");
			case OIDC -> Boolean.TRUE.equals(claims.get("email_verified"))
					|| "true".equals(String.valueOf(claims.get("email_verified")))
							? string(claims, "email") : null;
		};
		return email == null || !email.contains("@") ? null : email.toLowerCase(Locale.ROOT);
	}

	private static String string(Map<String, Object> claims, String name) {
		Object value = claims.get(name);
		if (value == null) {
			return null;
		}
		String text = value.toString().strip();
		return text.isEmpty() ? null : text;
	}

}
