package io.rollcall.okta;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.rollcall.emulators.okta.GeneratedOrg;
import io.rollcall.emulators.okta.OktaEmulator;
import io.rollcall.emulators.okta.OktaOrg;
import io.rollcall.emulators.okta.OktaUser;
import io.rollcall.emulators.okta.OrgSpec;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.Mails;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.Syncs;
import io.rollcall.support.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.rollcall.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The company's Okta preferences (seed 003): with managers switched off, Okta's manager is never applied and a manager
 * set by hand in Rollcall stays; the invitation policy decides whether people Okta brings are mailed (real SMTP), and
 * with invitations withheld they can still be invited later from Individuals.
 */
class OktaSettingsTests extends IntegrationTest {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TestClock clock;

	private OktaEmulator okta;

	private OktaOrg org;

	private TestCompany company;

	private Syncs syncs;

	private String hookSecret;

	@BeforeEach
	void connect() {
		this.okta = OktaEmulator.start(OktaEmulator.Options.defaults()
			.rateLimitWindow(Duration.ofSeconds(2))
			.hookBatchWindow(Duration.ofMillis(5)));
		this.org = this.okta.org();
		this.company = this.client.createCompany();
		this.syncs = new Syncs(this.client, this.port);
	}

	@AfterEach
	void stop() {
		this.okta.faults().reset();
		this.syncs.discardRetrying(this.company, "okta");
		this.okta.close();
		this.clock.reset();
		// The org is gone with its emulator: a later test's daily sync must not spend the run threads retrying it.
		this.jdbc.sql("delete from okta_connection where company_id = :c").param("c", this.company.id()).update();
	}

	// ---- managers switched off ----

	@Test
	void syncWhenManagersSwitchedOffThenNoManagerFromOktaIsApplied() {
		GeneratedOrg generated = generate(10);
		long managed = generated.assignedUserIds()
			.stream()
			.filter(id -> this.org.user(id).orElseThrow().profile("managerId") != null)
			.count();
		assertThat(managed).as("Okta has managers to offer").isPositive();
		setUp(false, "never");

		JsonNode run = sync();

		assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("succeeded");
		assertThat(run.path("counts").path("create").asInt()).isEqualTo(generated.assignedUserIds().size());
		assertThat(run.path("counts").path("manager").asInt()).isZero();
		for (String id : generated.assignedUserIds()) {
			assertThat(row(id).get("override_manager_id")).as("manager of " + id).isNull();
		}
	}

	@Test
	void syncWhenManagersSwitchedOffThenManagerSetByHandIsKeptWhateverOktaSays() {
		GeneratedOrg generated = generate(10);
		setUp(false, "never");
		sync();
		OktaUser report = managedUser(generated);
		OktaUser chosenByHand = otherThan(generated, report.id(), report.profile("managerId"));
		Response patched = this.client.api(this.company, "PATCH", "/api/v1/people/" + row(report.id()).get("id"),
				Map.of("overrideManagerId", row(chosenByHand.id()).get("id")));
		assertThat(patched.status()).as(patched.body()).isEqualTo(200);

		// Okta names another manager, and clears it after: neither reaches Rollcall.
		this.org.setManager(report.id(), otherThan(generated, report.id(), chosenByHand.id()).id());
		JsonNode run = sync();
		assertThat(run.path("counts").path("manager").asInt()).isZero();
		assertThat(row(report.id()).get("override_manager_id")).isEqualTo(row(chosenByHand.id()).get("id"));

		this.org.setManager(report.id(), null);
		sync();
		assertThat(row(report.id()).get("override_manager_id")).isEqualTo(row(chosenByHand.id()).get("id"));
	}

	@Test
	void syncWhenManagersSwitchedOffAfterBeingOnThenOktasLaterManagerChangesAreNotApplied() {
		GeneratedOrg generated = generate(10);
		setUp(true, "never");
		sync();
		OktaUser report = managedUser(generated);
		String managerBefore = row(report.id()).get("override_manager_id");
		assertThat(managerBefore).as("with managers on, Okta's manager is applied")
			.isEqualTo(row(report.profile("managerId")).get("id"));

		setUp(false, "never");
		this.org.setManager(report.id(), otherThan(generated, report.id(), report.profile("managerId")).id());
		JsonNode run = sync();

		assertThat(run.path("counts").path("manager").asInt()).isZero();
		assertThat(row(report.id()).get("override_manager_id")).isEqualTo(managerBefore);
		JsonNode setup = this.client.api(this.company, "GET", "/api/v1/integrations/okta").json();
		assertThat(setup.path("assignManagers").asBoolean()).isFalse();
	}

	@Test
	void syncWhenManagersSwitchedOffThenThePrimaryTeamsManagerIsThePersonsManager() {
		GeneratedOrg generated = generate(10);
		setUp(false, "never");
		sync();
		OktaUser report = managedUser(generated);
		JsonNode person = person(report.email());
		String teamId = person.path("primaryTeamId").asString();
		assertThat(teamId).as("Okta's department is the primary team").isNotBlank();
		OktaUser lead = otherThan(generated, report.id(), report.profile("managerId"));
		String leadId = row(lead.id()).get("id");
		Response team = this.client.api(this.company, "PATCH", "/api/v1/teams/" + teamId,
				Map.of("managerIds", List.of(leadId)));
		assertThat(team.status()).as(team.body()).isEqualTo(200);

		JsonNode run = sync();

		assertThat(run.path("counts").path("manager").asInt()).isZero();
		JsonNode after = person(report.email());
		assertThat(after.path("overrideManagerId").isNull() || after.path("overrideManagerId").isMissingNode())
			.isTrue();
		assertThat(after.path("managerId").asString()).as("the team's manager, not Okta's").isEqualTo(leadId);
		assertThat(after.path("managerSource").asString()).isEqualTo("team");
	}

	@Test
	void eventHookWhenManagersSwitchedOffThenManagerChangeInOktaIsNotApplied() {
		GeneratedOrg generated = generate(10);
		setUp(false, "never");
		registerHook();
		sync();
		OktaUser report = managedUser(generated);
		OktaUser newManager = otherThan(generated, report.id(), report.profile("managerId"));

		// The manager and a title change in one profile update: the title arrives, the manager does not.
		this.org.updateProfile(report.id(), Map.of("managerId", newManager.id(), "manager", "Someone Else",
				"title", "Quartermaster"));

		await(() -> "Quartermaster".equals(row(report.id()).get("job_title")));
		assertThat(row(report.id()).get("override_manager_id")).isNull();
	}

	// ---- invitation policy ----

	@Test
	void syncWhenInvitationsImmediatelyThenEveryNewActivePersonIsMailedOnce() throws Exception {
		GeneratedOrg generated = generate(6);
		setUp(true, "immediately");

		JsonNode run = sync();

		assertThat(run.path("counts").path("invite").asInt()).isEqualTo(generated.assignedUserIds().size());
		for (String id : generated.assignedUserIds()) {
			OktaUser user = this.org.user(id).orElseThrow();
			assertThat(Mails.awaitTo(MAIL, user.email())).as("invitation to " + user.email()).isNotNull();
			assertThat(person(user.email()).path("invitationState").asString()).isEqualTo("invited");
		}
		OktaUser someone = this.org.user(generated.assignedUserIds().get(0)).orElseThrow();
		assertThat(Mails.invitationLink(Mails.awaitTo(MAIL, someone.email()))).contains("/invitations/");

		JsonNode again = sync();
		assertThat(again.path("counts").path("invite").asInt()).as("nobody is invited twice").isZero();
		Thread.sleep(300);
		assertThat(Mails.countTo(MAIL, someone.email())).isEqualTo(1);
	}

	@Test
	void syncWhenInvitationsNeverThenNobodyIsMailedAndIndividualsCanInviteLater() throws Exception {
		GeneratedOrg generated = generate(6);
		setUp(true, "never");

		JsonNode run = sync();

		assertThat(run.path("counts").path("invite").asInt()).isZero();
		Thread.sleep(500); // mail would have been sent within the run; give SMTP a moment before looking
		for (String id : generated.assignedUserIds()) {
			OktaUser user = this.org.user(id).orElseThrow();
			assertThat(Mails.countTo(MAIL, user.email())).as("mail to " + user.email()).isZero();
			assertThat(person(user.email()).path("invitationState").asString()).isEqualTo("not_invited");
		}

		OktaUser later = this.org.user(generated.assignedUserIds().get(1)).orElseThrow();
		Response invited = this.client.api(this.company, "POST",
				"/api/v1/people/" + person(later.email()).path("id").asString() + "/invitation");
		assertThat(invited.status()).as(invited.body()).isEqualTo(201);
		assertThat(Mails.invitationLink(Mails.awaitTo(MAIL, later.email()))).contains("/invitations/");
		assertThat(person(later.email()).path("invitationState").asString()).isEqualTo("invited");
	}

	@Test
	void syncWhenInvitationsTurnedOnLaterThenOnlyPeopleCreatedAfterwardAreMailed() throws Exception {
		GeneratedOrg generated = generate(5);
		setUp(true, "never");
		sync();
		setUp(true, "immediately");
		String email = "late@" + this.company.slug() + ".example";
		OktaUser newcomer = this.org.createUser(Map.of("email", email, "firstName", "Lou", "lastName", "Late"), true);
		this.org.assign(newcomer.id());

		JsonNode run = sync();

		assertThat(run.path("counts").path("create").asInt()).isEqualTo(1);
		assertThat(run.path("counts").path("invite").asInt()).isEqualTo(1);
		assertThat(Mails.invitationLink(Mails.awaitTo(MAIL, email))).contains("/invitations/");
		Thread.sleep(300);
		for (String id : generated.assignedUserIds()) {
			OktaUser user = this.org.user(id).orElseThrow();
			assertThat(Mails.countTo(MAIL, user.email())).as("already here: " + user.email()).isZero();
			assertThat(person(user.email()).path("invitationState").asString()).isEqualTo("not_invited");
		}
	}

	@Test
	void eventHookWhenInvitationsImmediatelyThenNewcomerAssignedInOktaIsMailed() throws Exception {
		generate(4);
		setUp(true, "immediately");
		registerHook();
		sync();
		String email = "nia@" + this.company.slug() + ".example";
		OktaUser newcomer = this.org.createUser(Map.of("email", email, "firstName", "Nia", "lastName", "Okoro"), true);

		this.org.assign(newcomer.id());

		assertThat(Mails.invitationLink(Mails.awaitTo(MAIL, email))).contains("/invitations/");
		await(() -> "invited".equals(person(email).path("invitationState").asString()));
	}

	@Test
	void eventHookWhenInvitationsNeverThenNewcomerAssignedInOktaIsNotMailed() throws Exception {
		generate(4);
		setUp(true, "never");
		registerHook();
		sync();
		String email = "noa@" + this.company.slug() + ".example";
		OktaUser newcomer = this.org.createUser(Map.of("email", email, "firstName", "Noa", "lastName", "Quiet"), true);

		this.org.assign(newcomer.id());

		await(() -> row(newcomer.id()) != null && "active".equals(row(newcomer.id()).get("status")));
		Thread.sleep(500);
		assertThat(Mails.countTo(MAIL, email)).isZero();
		assertThat(person(email).path("invitationState").asString()).isEqualTo("not_invited");
	}

	@Test
	void syncWhenSuspendedInOktaAndInvitationsImmediatelyThenTheSuspendedAreNotMailed() throws Exception {
		GeneratedOrg generated = generate(12);
		List<String> suspended = generated.assignedUserIds().subList(8, 11);
		suspended.forEach(this.org::suspend);
		setUp(true, "immediately");

		JsonNode run = sync();

		assertThat(run.path("counts").path("invite").asInt())
			.isEqualTo(generated.assignedUserIds().size() - suspended.size());
		OktaUser active = this.org.user(generated.assignedUserIds()
			.stream()
			.filter(id -> !suspended.contains(id))
			.findFirst()
			.orElseThrow()).orElseThrow();
		Mails.awaitTo(MAIL, active.email());
		Thread.sleep(300);
		for (String id : suspended) {
			assertThat(Mails.countTo(MAIL, this.org.user(id).orElseThrow().email())).as("suspended " + id).isZero();
		}
	}

	// ---- helpers ----

	private GeneratedOrg generate(int people) {
		return this.org.generate(OrgSpec.people(people)
			.withAssignedShare(1.0)
			.withSuspendedShare(0)
			.withPictureShare(0)
			.withDomain(this.company.slug() + ".example"));
	}

	/** An assigned user whose manager is assigned too. */
	private OktaUser managedUser(GeneratedOrg generated) {
		return generated.assignedUserIds()
			.stream()
			.map(id -> this.org.user(id).orElseThrow())
			.filter(u -> u.profile("managerId") != null && generated.assignedUserIds().contains(u.profile("managerId")))
			.findFirst()
			.orElseThrow();
	}

	private OktaUser otherThan(GeneratedOrg generated, String... ids) {
		List<String> excluded = java.util.Arrays.asList(ids);
		return generated.assignedUserIds()
			.stream()
			.filter(id -> !excluded.contains(id))
			.map(id -> this.org.user(id).orElseThrow())
			.findFirst()
			.orElseThrow();
	}

	private void setUp(boolean managers, String invitations) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("orgUrl", this.org.orgUrl());
		body.put("apiToken", this.org.apiToken());
		body.put("appId", this.org.appId());
		body.put("assignManagers", managers);
		body.put("invitationPolicy", invitations);
		Response saved = this.client.api(this.company, "PUT", "/api/v1/integrations/okta", body);
		assertThat(saved.status()).as(saved.body()).isEqualTo(200);
		assertThat(saved.json().path("assignManagers").asBoolean()).isEqualTo(managers);
		assertThat(saved.json().path("invitationPolicy").asString()).isEqualTo(invitations);
		if (saved.json().hasNonNull("eventHookSecret")) {
			this.hookSecret = saved.json().path("eventHookSecret").asString();
		}
	}

	private void registerHook() {
		String url = this.client.api(this.company, "GET", "/api/v1/integrations/okta")
			.json()
			.path("eventHookUrl")
			.asString();
		this.org.registerEventHook(url, this.hookSecret);
	}

	private JsonNode sync() {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
		Response started = this.client.api(this.company, "POST", "/api/v1/integrations/okta/sync-runs", Map.of());
		while (started.status() == 409 && Instant.now().isBefore(deadline)) {
			pause(100);
			started = this.client.api(this.company, "POST", "/api/v1/integrations/okta/sync-runs", Map.of());
		}
		assertThat(started.status()).as(started.body()).isEqualTo(202);
		return this.syncs.await(this.company, started.json().path("id").asString());
	}

	private JsonNode person(String email) {
		return this.client.personByEmail(this.company, email);
	}

	private Map<String, String> row(String oktaId) {
		return this.jdbc.sql("""
				select p.id, p.email, p.job_title, p.status, p.override_manager_id
				from person_identity i join person p on p.id = i.person_id
				where i.company_id = :c and i.source = 'okta' and i.external_id = :id
				""")
			.param("c", this.company.id())
			.param("id", oktaId)
			.query((rs, n) -> {
				Map<String, String> row = new HashMap<>();
				for (String column : List.of("id", "email", "job_title", "status", "override_manager_id")) {
					row.put(column, rs.getString(column));
				}
				return row;
			})
			.optional()
			.orElse(null);
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
