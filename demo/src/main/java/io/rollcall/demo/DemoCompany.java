package io.rollcall.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.rollcall.company.ApiKeys;
import io.rollcall.company.Companies;
import io.rollcall.company.Company;
import io.rollcall.company.CompanyHosts;
import io.rollcall.directory.People;
import io.rollcall.directory.Person;
import io.rollcall.directory.PersonChanges;
import io.rollcall.directory.PersonField;
import io.rollcall.directory.Role;
import io.rollcall.directory.Team;
import io.rollcall.directory.TeamChanges;
import io.rollcall.directory.Teams;
import io.rollcall.platform.Actor;
import io.rollcall.sso.Passwords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * With {@code --demo} (or the {@code demo} profile), makes the company {@code demo} once: an owner who can sign
 * in straight away, and a few dozen people in teams with managers. A later start finds it and leaves it alone.
 */
@Component
@ConditionalOnExpression("#{environment.containsProperty('demo') or environment.matchesProfiles('demo')}")
class DemoCompany {

	static final String OWNER_EMAIL = "owner@demo.test";

	/** Given in the README: it guards nothing but sample data on the user's own machine. */
	static final String OWNER_PASSWORD = "rollcall-demo";

	private static final Logger log = LoggerFactory.getLogger(DemoCompany.class);

	private static final String[] FIRST = { "Ada", "Ben", "Chloe", "Dev", "Elif", "Farah", "Gus", "Hana", "Ivan",
			"Jia", "Kofi", "Lena", "Mateo", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Viktor",
			"Wen", "Yusuf", "Zoe" };

	private static final String[] LAST = { "Adams", "Berg", "Costa", "Dubois", "Eze", "Fischer", "Garcia", "Haddad",
			"Ito", "Jensen", "Khan", "Lopez", "Moreau", "Novak", "Okafor", "Patel", "Quist", "Rossi", "Silva",
			"Tanaka" };

	private static final String[][] DEPARTMENTS = { { "Engineering", "Software engineer" },
			{ "Sales", "Account executive" },
			{ "Support", "Support specialist" }, { "Finance", "Analyst" }, { "People", "HR partner" } };

	private final Companies companies;

	private final ApiKeys apiKeys;

	private final People people;

	private final Teams teams;

	private final Passwords passwords;

	private final CompanyHosts hosts;

	private final TransactionTemplate transaction;

	private final DemoEntra entra;

	DemoCompany(Companies companies, ApiKeys apiKeys, People people, Teams teams, Passwords passwords,
			CompanyHosts hosts, TransactionTemplate transaction, DemoEntra entra) {
		this.entra = entra;
		this.companies = companies;
		this.apiKeys = apiKeys;
		this.people = people;
		this.teams = teams;
		this.passwords = passwords;
		this.hosts = hosts;
		this.transaction = transaction;
	}

	@EventListener(ApplicationReadyEvent.class)
	void ensure() {
		Company company = this.companies.findBySlug("demo").orElseGet(this::create);
		try {
			this.entra.wire(company);
		}
		catch (RuntimeException ex) {
			log.warn("Demo: the Entra ID emulator could not be wired to the demo company: {}", ex.getMessage(), ex);
		}
		log.info("Demo: open {} and sign in as {} (the demo password is in the README)", this.hosts.baseUrl(company),
				OWNER_EMAIL);
	}

	private Company create() {
		Actor actor = new Actor(Actor.Type.SYSTEM, null, "Demo set-up");
		return this.transaction.execute(status -> {
			Company company = this.companies.create("demo", "Demo Company", actor);
			UUID companyId = company.id();
			Person owner = this.people.create(companyId, new PersonChanges().set(PersonField.EMAIL, OWNER_EMAIL)
				.set(PersonField.FIRST_NAME, "Olivia")
				.set(PersonField.LAST_NAME, "Owner")
				.set(PersonField.JOB_TITLE, "Head of Learning")
				.role(Role.OWNER), actor);
			this.passwords.set(companyId, owner.id(), OWNER_PASSWORD, actor);
			this.apiKeys.create(companyId, "Demo key", actor);
			Team all = this.teams.create(companyId, "Demo Company", null, actor);
			List<Team> departments = new ArrayList<>();
			for (String[] department : DEPARTMENTS) {
				departments.add(this.teams.create(companyId, department[0], all.id(), actor));
			}
			int n = 0;
			for (int d = 0; d < DEPARTMENTS.length; d++) {
				UUID lead = null;
				for (int i = 0; i < 8; i++, n++) {
					String first = FIRST[n % FIRST.length];
					String last = LAST[(n * 7) % LAST.length];
					PersonChanges person = new PersonChanges()
						.set(PersonField.EMAIL, (first + "." + last + n).toLowerCase() + "@demo.test")
						.set(PersonField.FIRST_NAME, first)
						.set(PersonField.LAST_NAME, last)
						.set(PersonField.JOB_TITLE, i == 0 ? "Head of " + DEPARTMENTS[d][0] : DEPARTMENTS[d][1])
						.set(PersonField.DEPARTMENT, DEPARTMENTS[d][0])
						.set(PersonField.LOCATION, n % 3 == 0 ? "London" : (n % 3 == 1 ? "Lisbon" : "Remote"))
						.set(PersonField.PRIMARY_TEAM, departments.get(d).id());
					UUID id = this.people.create(companyId, person, actor).id();
					if (i == 0) {
						lead = id;
						this.teams.update(companyId, departments.get(d).id(), TeamChanges.managers(List.of(id)), actor);
					}
				}
				if (lead != null) {
					this.people.update(companyId, lead,
							new PersonChanges().set(PersonField.OVERRIDE_MANAGER, owner.id()),
							actor);
				}
			}
			log.info("Demo: created company 'demo' with {} people in {} teams", n + 1, departments.size() + 1);
			return company;
		});
	}

}
