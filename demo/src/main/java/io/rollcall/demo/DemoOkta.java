package io.rollcall.demo;

import io.rollcall.company.Companies;
import io.rollcall.company.Company;
import io.rollcall.company.CompanyHosts;
import io.rollcall.directory.People;
import io.rollcall.directory.Person;
import io.rollcall.directory.PersonChanges;
import io.rollcall.directory.PersonField;
import io.rollcall.directory.Role;
import io.rollcall.emulators.okta.OktaEmulator;
import io.rollcall.emulators.okta.OktaOrg;
import io.rollcall.emulators.okta.OrgSpec;
import io.rollcall.okta.OktaIntegration;
import io.rollcall.okta.OktaSetup;
import io.rollcall.platform.Actor;
import io.rollcall.sso.Passwords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The demo's Okta: the emulator started in this process with a sample org (a couple of hundred people with
 * departments, managers and pictures, most assigned to the Rollcall app), wired to a second company
 * {@code demo-okta} with its event hook registered, so "Sync users" on Integrations → Okta brings them in and
 * changes made through the emulator's admin API arrive within seconds. The org is the same at every start.
 */
@Component
@ConditionalOnExpression("#{environment.containsProperty('demo') or environment.matchesProfiles('demo')}")
class DemoOkta implements DisposableBean {

	static final String SLUG = "demo-okta";

	static final int PEOPLE = 200;

	private static final Logger log = LoggerFactory.getLogger(DemoOkta.class);

	private final Companies companies;

	private final People people;

	private final Passwords passwords;

	private final CompanyHosts hosts;

	private final OktaIntegration integration;

	private final TransactionTemplate transaction;

	private volatile OktaEmulator emulator;

	DemoOkta(Companies companies, People people, Passwords passwords, CompanyHosts hosts, OktaIntegration integration,
			TransactionTemplate transaction) {
		this.companies = companies;
		this.people = people;
		this.passwords = passwords;
		this.hosts = hosts;
		this.integration = integration;
		this.transaction = transaction;
	}

	@EventListener(ApplicationReadyEvent.class)
	void ensure() {
		try {
			Company company = this.companies.findBySlug(SLUG).orElseGet(this::create);
			wire(company);
			log.info("Demo: open {} and sign in as {} for the Okta demo company", this.hosts.baseUrl(company),
					DemoCompany.OWNER_EMAIL);
		}
		catch (RuntimeException ex) {
			log.warn("Demo: the Okta emulator could not be wired to the demo company: {}", ex.getMessage(), ex);
		}
	}

	private Company create() {
		Actor actor = new Actor(Actor.Type.SYSTEM, null, "Demo set-up");
		return this.transaction.execute(status -> {
			Company company = this.companies.create(SLUG, "Demo Okta Company", actor);
			Person owner = this.people.create(company.id(),
					new PersonChanges().set(PersonField.EMAIL, DemoCompany.OWNER_EMAIL)
						.set(PersonField.FIRST_NAME, "Olivia")
						.set(PersonField.LAST_NAME, "Owner")
						.role(Role.OWNER),
					actor);
			this.passwords.set(company.id(), owner.id(), DemoCompany.OWNER_PASSWORD, actor);
			return company;
		});
	}

	private void wire(Company company) {
		this.emulator = OktaEmulator.start(OktaEmulator.Options.defaults());
		OktaOrg org = this.emulator.org();
		org.generate(OrgSpec.people(PEOPLE).withDomain("demo-okta.example"));
		Actor actor = new Actor(Actor.Type.SYSTEM, null, "Demo set-up");
		OktaSetup current = this.integration.setup(company.id());
		this.integration.save(company.id(),
				new OktaSetup.Form(org.orgUrl(), "default", "token", org.apiToken(), null, null,
						org.appId(), current.configured() ? current.invitationPolicy() : "never",
						current.configured() ? current.assignManagers() : Boolean.TRUE, null,
						// The emulator serves the pictures on this machine's loopback address.
						Boolean.TRUE, null),
				actor);
		// A new emulator each start: a fresh secret for its event hook.
		OktaSetup setup = this.integration.rotateHookSecret(company.id(), actor);
		org.registerEventHook(setup.eventHookUrl(), setup.eventHookSecret());
		log.info("Demo: Okta emulator at {} (admin API {}) with {} people; press Sync users on Integrations → Okta",
				this.emulator.baseUrl(), this.emulator.adminUrl(), PEOPLE);
	}

	@Override
	public void destroy() {
		if (this.emulator != null) {
			this.emulator.close();
		}
	}

}
