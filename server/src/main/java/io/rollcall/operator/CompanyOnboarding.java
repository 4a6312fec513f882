package io.rollcall.operator;

import io.rollcall.company.ApiKeys;
import io.rollcall.company.Companies;
import io.rollcall.company.Company;
import io.rollcall.company.NewApiKey;
import io.rollcall.directory.Invitations;
import io.rollcall.directory.People;
import io.rollcall.directory.Person;
import io.rollcall.directory.PersonChanges;
import io.rollcall.directory.PersonField;
import io.rollcall.directory.Role;
import io.rollcall.directory.SentInvitation;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates a company, its first API key and its owner in one transaction, then invites the owner. The invitation
 * goes out after the commit, so a mail server that is down leaves a complete company whose owner can be invited
 * again.
 */
@Service
class CompanyOnboarding {

	private final Companies companies;

	private final ApiKeys apiKeys;

	private final People people;

	private final Invitations invitations;

	private final TransactionTemplate transaction;

	CompanyOnboarding(Companies companies, ApiKeys apiKeys, People people, Invitations invitations,
			TransactionTemplate transaction) {
		this.companies = companies;
		this.apiKeys = apiKeys;
		this.people = people;
		this.invitations = invitations;
		this.transaction = transaction;
	}

	record Onboarded(Company company, NewApiKey apiKey, Person owner, SentInvitation invitation) {
	}

	Onboarded onboard(String slug, String name, String ownerEmail) {
		if (ownerEmail == null || ownerEmail.isBlank()) {
			throw RequestRejectedException.invalid("ownerEmail", "'ownerEmail' is required");
		}
		Actor operator = Actor.operator();
		Onboarded created = this.transaction.execute(status -> {
			Company company = this.companies.create(slug, name, operator);
			NewApiKey key = this.apiKeys.create(company.id(), "First key", operator);
			PersonChanges owner = new PersonChanges().role(Role.OWNER);
			try {
				owner.set(PersonField.EMAIL, ownerEmail);
			}
			catch (RequestRejectedException ex) {
				throw RequestRejectedException.invalid("ownerEmail",
						ex.getMessage().replace("'email'", "'ownerEmail'"));
			}
			Person person = this.people.create(company.id(), owner, operator);
			return new Onboarded(company, key, person, null);
		});
		SentInvitation invitation = this.invitations.send(created.company().id(), created.owner().id(), operator);
		return new Onboarded(created.company(), created.apiKey(),
				this.people.get(created.company().id(), created.owner().id()), invitation);
	}

}
