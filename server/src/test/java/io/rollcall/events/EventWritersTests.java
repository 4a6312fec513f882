package io.rollcall.events;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rollcall.mapping.SourceRecord;
import io.rollcall.platform.Actor;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.ScriptedSource;
import io.rollcall.support.Syncs;
import io.rollcall.sync.SyncRun;
import io.rollcall.sync.SyncRuns;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.rollcall.support.ScriptedSource.person;
import static io.rollcall.events.EventTestSupport.assertActor;
import static io.rollcall.events.EventTestSupport.change;
import static io.rollcall.events.EventTestSupport.runIds;
import static io.rollcall.events.EventTestSupport.subjects;
import static io.rollcall.events.EventTestSupport.types;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each writer of people, teams and tags, read back through the feed ({@code GET /api/v1/events}): exactly the events
 * of its changes, in order, by whom, from which run, with the subject as the API shows it after the change and the
 * fields old → new; nothing for a change that rolled back. The feed's retention too. Writers that need an identity
 * provider's emulator have their own classes (Entra, Okta, SCIM, single sign-on).
 */
class EventWritersTests extends IntegrationTest {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private static final Actor ADMIN = new Actor(Actor.Type.PERSON, null, "admin@example.com");

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private ScriptedSource source;

	@Autowired
	private SyncRuns runs;

	@Autowired
	private EventRetention retention;

	@Test
	void operatorWhenCompanyCreatedThenOwnersCreationAndInvitationByTheOperator() throws Exception {
		String start = EventTestSupport.cursorAfterEverything(this.jdbc);
		TestCompany company = this.client.createCompany();

		List<JsonNode> events = EventTestSupport.eventsAfter(this.client, this.jdbc, company, start);

		assertThat(types(events)).containsExactly("person.created", "person.updated");
		events.forEach(e -> {
			assertThat(e.path("subjectId").asString()).isEqualTo(company.ownerId().toString());
			assertActor(e, "operator", "Operator");
			assertThat(e.path("runId").isNull()).isTrue();
		});
		assertThat(change(events.get(0), "email")).containsExactly(null, company.ownerEmail());
		assertThat(change(events.get(0), "role")).containsExactly(null, "owner");
		assertThat(change(events.get(1), "invitationState")).containsExactly("not_invited", "invited");
		assertSubjectIsAsApiShows(company, events.getLast(), "/api/v1/people/");
	}

	@Test
	void apiWhenPersonCreatedChangedMovedManagedDeactivatedAndReactivatedThenOneEventPerChangeInOrder()
			throws Exception {
		TestCompany company = this.client.createCompany();
		String sales = createTeam(company, "Sales");
		String ops = createTeam(company, "Ops");
		String manager = created(
				this.client.api(company, "POST", "/api/v1/people", Map.of("email", "boss@example.com")));
		String start = EventTestSupport.cursorAfterEverything(this.jdbc);

		String id = created(this.client.api(company, "POST", "/api/v1/people",
				Map.of("email", "ana@example.com", "firstName", "Ana", "primaryTeamId", sales)));
		patch(company, id, Map.of("firstName", "Anna", "jobTitle", "Buyer"));
		patch(company, id, Map.of("secondaryTeamIds", List.of(ops)));
		// Ops was a secondary team: made primary, the person leaves Sales and joins nothing.
		patch(company, id, Map.of("primaryTeamId", ops));
		patch(company, id, Map.of("overrideManagerId", manager));
		assertThat(this.client.api(company, "POST", "/api/v1/people/" + id + "/deactivate").status()).isEqualTo(200);
		assertThat(this.client.api(company, "POST", "/api/v1/people/" + id + "/reactivate").status()).isEqualTo(200);

		List<JsonNode> events = EventTestSupport.eventsAfter(this.client, this.jdbc, company, start);

		assertThat(types(events)).containsExactly("person.created", "membership.added", "person.updated",
				"membership.added", "membership.removed", "manager.changed", "person.deactivated",
				"person.reactivated");
		events.forEach(e -> {
			assertThat(e.path("subjectType").asString()).isEqualTo("person");
			assertThat(e.path("subjectId").asString()).isEqualTo(id);
			assertActor(e, "api_key", "API key First key");
			assertThat(e.path("runId").isNull()).isTrue();
		});
		assertThat(change(events.get(0), "firstName")).containsExactly(null, "Ana");
		assertThat(change(events.get(1), "team")).containsExactly(null, sales);
		assertThat(events.get(2).path("changes").propertyNames()).containsExactlyInAnyOrder("firstName", "jobTitle");
		assertThat(change(events.get(2), "firstName")).containsExactly("Ana", "Anna");
		assertThat(change(events.get(2), "jobTitle")).containsExactly(null, "Buyer");
		assertThat(change(events.get(3), "team")).containsExactly(null, ops);
		assertThat(change(events.get(4), "team")).containsExactly(sales, null);
		assertThat(change(events.get(5), "overrideManagerId")).containsExactly(null, manager);
		assertThat(change(events.get(6), "status")).containsExactly("active", "deactivated");
		assertThat(events.get(6).path("subject").path("status").asString()).isEqualTo("deactivated");
		assertThat(change(events.get(7), "status")).containsExactly("deactivated", "active");
		assertSubjectIsAsApiShows(company, events.getLast(), "/api/v1/people/");
	}

	@Test
	void apiWhenTagsGivenAndTakenThenTagCreatedAndOneMembershipEventPerTag() throws Exception {
		TestCompany company = this.client.createCompany();
		String id = created(this.client.api(company, "POST", "/api/v1/people", Map.of("email", "ben@example.com")));
		String start = EventTestSupport.cursorAfterEverything(this.jdbc);

		patch(company, id, Map.of("tags", List.of("Mentors", "First aid")));
		patch(company, id, Map.of("tags", List.of("first AID")));

		List<JsonNode> events = EventTestSupport.eventsAfter(this.client, this.jdbc, company, start);

		assertThat(types(events)).containsExactly("tag.created", "tag.created", "membership.added", "membership.added",
				"membership.removed");
		assertThat(change(events.get(0), "name")).containsExactly(null, "Mentors");
		assertThat(events.get(0).path("subject").path("name").asString()).isEqualTo("Mentors");
		assertThat(change(events.get(1), "name")).containsExactly(null, "First aid");
		assertThat(change(events.get(2), "tag")).containsExactly(null, "Mentors");
		assertThat(change(events.get(3), "tag")).containsExactly(null, "First aid");
		assertThat(change(events.get(4), "tag")).containsExactly("Mentors", null);
		events.subList(2, 5).forEach(e -> assertThat(e.path("subjectId").asString()).isEqualTo(id));
		assertSubjectIsAsApiShows(company, events.getLast(), "/api/v1/people/");
		assertThat(events.getLast().path("subject").path("tags").get(0).asString()).isEqualTo("First aid");
	}

	@Test
	void apiWhenTeamCreatedRenamedManagedAndDeletedThenItsMembersLeaveItAndChildrenMoveUp() throws Exception {
		TestCompany company = this.client.createCompany();
		String member = created(this.client.api(company, "POST", "/api/v1/people", Map.of("email", "cy@example.com")));
		String start = EventTestSupport.cursorAfterEverything(this.jdbc);

		String team = createTeam(company, "Support");
		String child = created(
				this.client.api(company, "POST", "/api/v1/teams", Map.of("name", "Tier 2", "parentId", team)));
		Response renamed = this.client.api(company, "PATCH", "/api/v1/teams/" + team,
				Map.of("name", "Customer support", "managerIds", List.of(member)));
		assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
		JsonNode teamAsItWas = this.client.api(company, "GET", "/api/v1/teams/" + team).json();
		patch(company, member, Map.of("primaryTeamId", team));
		assertThat(this.client.api(company, "DELETE", "/api/v1/teams/" + team).status()).isEqualTo(204);

		List<JsonNode> events = EventTestSupport.eventsAfter(this.client, this.jdbc, company, start);

		assertThat(types(events)).containsExactly("team.created", "team.created", "team.updated", "membership.added",
				"membership.removed", "team.updated", "team.deleted");
		assertThat(subjects(events)).containsExactly(team, child, team, member, member, child, team);
		events.forEach(e -> assertActor(e, "api_key", "API key First key"));
		assertThat(change(events.get(1), "parentId")).containsExactly(null, team);
		assertThat(change(events.get(2), "name")).containsExactly("Support", "Customer support");
		assertThat(events.get(2).path("changes").path("managerIds").path("to").get(0).asString()).isEqualTo(member);
		assertThat(change(events.get(4), "team")).containsExactly(team, null);
		assertThat(events.get(4).path("subject").path("primaryTeamId").isNull()).isTrue();
		assertThat(change(events.get(5), "parentId")).containsExactly(team, null);
		assertThat(change(events.get(6), "name")).containsExactly("Customer support", null);
		// A deleted subject is carried as it was last.
		assertThat(events.get(6).path("subject").path("name").asString()).isEqualTo("Customer support");
		assertThat(events.get(6).path("subject").path("managerIds")).isEqualTo(teamAsItWas.path("managerIds"));
		assertSubjectIsAsApiShows(company, events.get(4), "/api/v1/people/");
		assertSubjectIsAsApiShows(company, events.get(5), "/api/v1/teams/");
	}

	@Test
	void apiWhenRequestRefusedAfterAWriteInItsTransactionThenNoEvent() throws Exception {
		TestCompany company = this.client.createCompany();
		String id = created(this.client.api(company, "POST", "/api/v1/people",
				Map.of("email", "dee@example.com", "firstName", "Dee")));
		String team = createTeam(company, "Finance");
		String start = EventTestSupport.cursorAfterEverything(this.jdbc);

		// The first name is written, then the unknown secondary team refuses the request: all of it rolls back.
		Response person = this.client.api(company, "PATCH", "/api/v1/people/" + id,
				Map.of("firstName", "Changed", "secondaryTeamIds", List.of(UUID.randomUUID().toString())));
		// The name is written, then the unknown manager refuses the request.
		Response renamed = this.client.api(company, "PATCH", "/api/v1/teams/" + team,
				Map.of("name", "Renamed", "managerIds", List.of(UUID.randomUUID().toString())));

		assertThat(person.status()).as(person.body()).isEqualTo(400);
		assertThat(renamed.status()).as(renamed.body()).isEqualTo(400);
		assertThat(EventTestSupport.eventsAfter(this.client, this.jdbc, company, start)).isEmpty();
		assertThat(this.client.api(company, "GET", "/api/v1/people/" + id).json().path("firstName").asString())
			.isEqualTo("Dee");
		assertThat(this.client.api(company, "GET", "/api/v1/teams/" + team).json().path("name").asString())
			.isEqualTo("Finance");
	}

	@Test
	void consoleWhenAdminAddsEditsAndDeactivatesThenEventsBySignedInAdmin() throws Exception {
		TestCompany company = this.client.createCompany();
		String host = company.slug() + ".localhost";
		RollcallClient browser = signedInOwner(company);
		String start = EventTestSupport.cursorAfterEverything(this.jdbc);

		Response added = browser.form(host, "/console/people", Map.of("email", "eve@example.com", "firstName", "Eve",
				"lastName", "Lind", "_csrf", csrf(browser, host, "/console/people")));
		assertThat(added.status()).isEqualTo(302);
		String id = this.client.personByEmail(company, "eve@example.com").path("id").asString();
		Map<String, String> form = new HashMap<>(Map.of("firstName", "Evelyn", "lastName", "Lind", "jobTitle", "Nurse",
				"role", "learner"));
		form.put("_csrf", csrf(browser, host, "/console/people/" + id));
		assertThat(browser.form(host, "/console/people/" + id, form).status()).isEqualTo(302);
		assertThat(browser.form(host, "/console/people/" + id + "/deactivate",
				Map.of("_csrf", csrf(browser, host, "/console/people/" + id)))
			.status()).isEqualTo(302);

		List<JsonNode> events = EventTestSupport.eventsAfter(this.client, this.jdbc, company, start);

		assertThat(types(events)).containsExactly("person.created", "person.updated", "person.deactivated");
		events.forEach(e -> {
			assertThat(e.path("subjectId").asString()).isEqualTo(id);
			assertActor(e, "person", company.ownerEmail());
			assertThat(e.path("actor").path("id").asString()).isEqualTo(company.ownerId().toString());
		});
		assertThat(change(events.get(0), "lastName")).containsExactly(null, "Lind");
		assertThat(events.get(1).path("changes").propertyNames()).containsExactlyInAnyOrder("firstName", "jobTitle");
		assertThat(change(events.get(1), "firstName")).containsExactly("Eve", "Evelyn");
		assertSubjectIsAsApiShows(company, events.getLast(), "/api/v1/people/");
	}

	@Test
	void csvImportWhenPeopleCreatedThenChangedThenEventsOfItsRunBySource() throws Exception {
		TestCompany company = this.client.createCompany();
		Syncs syncs = new Syncs(this.client, this.port);
		String start = EventTestSupport.cursorAfterEverything(this.jdbc);

		JsonNode first = syncs.importCsv(company, """
				email,first name,last name
				fay@example.com,Fay,Moss
				gus@example.com,Gus,Hale
				""");
		JsonNode second = syncs.importCsv(company, """
				email,first name,last name
				fay@example.com,Faye,Moss
				gus@example.com,Gus,Hale
				""");

		List<JsonNode> events = EventTestSupport.eventsAfter(this.client, this.jdbc, company, start);

		String fay = this.client.personByEmail(company, "fay@example.com").path("id").asString();
		String gus = this.client.personByEmail(company, "gus@example.com").path("id").asString();
		String firstRun = first.path("id").asString();
		String secondRun = second.path("id").asString();
		assertThat(types(events)).containsExactly("person.created", "person.created", "sync_run.succeeded",
				"person.updated", "sync_run.succeeded");
		assertThat(subjects(events)).containsExactly(fay, gus, firstRun, fay, secondRun);
		assertThat(runIds(events)).containsExactly(firstRun, firstRun, firstRun, secondRun, secondRun);
		assertActor(events.get(0), "source", "csv sync, run " + firstRun.substring(0, 8));
		assertActor(events.get(3), "source", "csv sync, run " + secondRun.substring(0, 8));
		assertThat(change(events.get(0), "lastName")).containsExactly(null, "Moss");
		assertThat(events.get(3).path("changes").propertyNames()).containsExactly("firstName");
		assertThat(change(events.get(3), "firstName")).containsExactly("Fay", "Faye");
		assertSubjectIsAsApiShows(company, events.get(3), "/api/v1/people/");
		assertSubjectIsAsApiShows(company, events.get(1), "/api/v1/people/");
		assertSubjectIsAsApiShows(company, events.get(4), "/api/v1/sync-runs/");
		assertThat(events.get(4).path("subject").path("status").asString()).isEqualTo("succeeded");
		assertThat(change(events.get(4), "status")).containsExactly("applying", "succeeded");
		assertThat(events.get(4).path("changes").path("counts").path("to").path("update").asInt()).isEqualTo(1);
	}

	@Test
	void syncWhenTeamsOfPeopleChangeThenMembershipEventsNameTheTeamsById() throws Exception {
		TestCompany company = this.client.createCompany();
		sync(company, List.of(person("a", "hal@example.com", "Hal", "Ito", "Sales", null)));
		String start = EventTestSupport.cursorAfterEverything(this.jdbc);

		JsonNode run = sync(company, List.of(person("a", "hal@example.com", "Hal", "Ito", "Ops", null)));

		List<JsonNode> events = EventTestSupport.eventsAfter(this.client, this.jdbc, company, start);
		String hal = this.client.personByEmail(company, "hal@example.com").path("id").asString();
		String ops = teamId(company, "Ops");
		assertThat(types(events)).containsExactly("team.created", "person.updated", "membership.removed",
				"membership.added", "sync_run.succeeded");
		assertThat(subjects(events)).containsExactly(ops, hal, hal, hal, run.path("id").asString());
		assertThat(change(events.get(1), "department")).containsExactly("Sales", "Ops");
		assertThat(events.get(1).path("changes").has("primaryTeam")).isFalse();
		assertThat(change(events.get(2), "team")).containsExactly(teamId(company, "Sales"), null);
		assertThat(change(events.get(3), "team")).containsExactly(null, ops);
		assertSubjectIsAsApiShows(company, events.get(3), "/api/v1/people/");
	}

	@Test
	void syncWhenRunHeldForTooManyDeparturesThenSyncRunHeldWithTheRunAsItWaits() throws Exception {
		TestCompany company = this.client.createCompany();
		List<SourceRecord> everyone = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			everyone.add(person("id-" + i, "u" + i + "@example.com", "First" + i, "Last" + i, null, null));
		}
		sync(company, everyone);
		String start = EventTestSupport.cursorAfterEverything(this.jdbc);

		JsonNode held = sync(company, everyone.subList(0, 5));

		List<JsonNode> events = EventTestSupport.eventsAfter(this.client, this.jdbc, company, start);
		assertThat(held.path("status").asString()).isEqualTo("held");
		assertThat(types(events)).containsExactly("sync_run.held");
		JsonNode event = events.getFirst();
		assertThat(event.path("subjectType").asString()).isEqualTo("sync_run");
		assertThat(event.path("runId").asString()).isEqualTo(held.path("id").asString());
		assertActor(event, "source", "scripted sync, run " + held.path("id").asString().substring(0, 8));
		assertThat(change(event, "status")).containsExactly("planning", "held");
		assertThat(event.path("changes").path("counts").path("to").path("deactivate").asInt()).isEqualTo(15);
		assertSubjectIsAsApiShows(company, event, "/api/v1/sync-runs/");
		this.runs.discard(company.id(), UUID.fromString(held.path("id").asString()), ADMIN);
	}

	@Test
	void syncWhenRunFailsForGoodThenSyncRunFailedWithItsErrorAndNothingElse() throws Exception {
		TestCompany company = this.client.createCompany();
		String start = EventTestSupport.cursorAfterEverything(this.jdbc);
		this.source.scriptBug(company.id(), List.of(person("a", "ida@example.com", "Ida", "Berg", null, null)));

		// A dry run is not retried: it fails at once.
		SyncRun started = this.runs.start(company.id(), ScriptedSource.KIND, true, null, Map.of(), ADMIN);
		JsonNode failed = new Syncs(this.client, this.port).await(company, started.id().toString());

		List<JsonNode> events = EventTestSupport.eventsAfter(this.client, this.jdbc, company, start);
		assertThat(failed.path("status").asString()).isEqualTo("failed");
		assertThat(types(events)).containsExactly("sync_run.failed");
		assertThat(change(events.getFirst(), "status")).containsExactly("planning", "failed");
		assertThat(change(events.getFirst(), "error")).containsExactly(null, failed.path("error").asString());
		assertThat(events.getFirst().path("runId").asString()).isEqualTo(started.id().toString());
		assertSubjectIsAsApiShows(company, events.getFirst(), "/api/v1/sync-runs/");
	}

	/**
	 * The chunk's transaction writes the people, then fails as it marks them applied: nothing it wrote is an event.
	 * Applied again one by one, each person's creation is one event, and the one whose transaction fails again has none.
	 */
	@Test
	void syncWhenAChunkRollsBackThenNoneOfItsEventsAndItsItemsAppliedOneByOneEmitOnceEach() throws Exception {
		TestCompany company = this.client.createCompany();
		String start = EventTestSupport.cursorAfterEverything(this.jdbc);
		this.source.script(company.id(), List.of(person("a", "ivy@example.com", "Ivy", "One", null, null),
				person("b", "jon@example.com", "Jon", "Two", null, null),
				person("c", "kim@example.com", "Kim", "Three", null, null)));
		this.jdbc.sql("create table if not exists test_chunk_fault (company_id uuid primary key)").update();
		this.jdbc.sql("create sequence if not exists test_chunk_fault_marks").update();
		// Sequences do not roll back: the chunk's first mark (1) and the second item's (3) fail, nothing else.
		this.jdbc.sql("""
				create or replace function test_chunk_fault() returns trigger language plpgsql as $$
				begin
				  if exists (select 1 from test_chunk_fault f join sync_run r on r.company_id = f.company_id
				             where r.id = new.run_id)
				     and nextval('test_chunk_fault_marks') in (1, 3) then
				    raise exception 'injected by the test: the chunk fails after its writes';
				  end if;
				  return new;
				end $$
				""").update();
		this.jdbc.sql("""
				create or replace trigger test_chunk_fault before update on sync_plan_item
				for each row when (new.applied and new.apply_error is null) execute function test_chunk_fault()
				""").update();
		this.jdbc.sql("insert into test_chunk_fault values (:company)").param("company", company.id()).update();
		JsonNode run;
		try {
			SyncRun started = this.runs.start(company.id(), ScriptedSource.KIND, false, null, Map.of(), ADMIN);
			run = new Syncs(this.client, this.port).await(company, started.id().toString());
		}
		finally {
			this.jdbc.sql("drop trigger if exists test_chunk_fault on sync_plan_item").update();
		}

		List<JsonNode> events = EventTestSupport.eventsAfter(this.client, this.jdbc, company, start);
		JsonNode failedItem = null;
		for (JsonNode item : new Syncs(this.client, this.port).plan(company, run.path("id").asString())) {
			if (item.path("kind").asString().equals("create") && item.path("message").isString()) {
				failedItem = item;
			}
		}
		assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("succeeded");
		assertThat(run.path("counts").path("failed").asInt()).isEqualTo(1);
		assertThat(failedItem).as("the item whose own transaction failed").isNotNull();
		List<String> people = new ArrayList<>();
		for (JsonNode person : this.client.api(company, "GET", "/api/v1/people?limit=100").json().path("items")) {
			if (!person.path("id").asString().equals(company.ownerId().toString())) {
				people.add(person.path("id").asString());
			}
		}
		assertThat(people).hasSize(2);
		assertThat(types(events)).containsExactly("person.created", "person.created", "sync_run.succeeded");
		assertThat(subjects(events).subList(0, 2)).containsExactlyInAnyOrderElementsOf(people);
		assertThat(events.stream().map(e -> e.path("subject").path("email").asString()))
			.doesNotContain(failedItem.path("label").asString());
	}

	@Test
	void retentionWhenEventsOlderThanKeptThenDeletedAndAnOldCursorReadsOnFromTheOldestKept() throws Exception {
		TestCompany company = this.client.createCompany();
		String start = EventTestSupport.cursorAfterEverything(this.jdbc);
		List<String> ids = new ArrayList<>();
		for (String email : List.of("old1@example.com", "old2@example.com", "new@example.com")) {
			ids.add(created(this.client.api(company, "POST", "/api/v1/people", Map.of("email", email))));
		}
		List<JsonNode> all = EventTestSupport.eventsAfter(this.client, this.jdbc, company, start);
		assertThat(all).hasSize(3);
		// Every event of the company but the last person's is 31 days old (the owner's creation too).
		this.jdbc.sql("update domain_event set at = :at where company_id = :company and subject_id <> :kept")
			.param("at", Timestamp.from(Instant.now().minus(Duration.ofDays(31))))
			.param("company", company.id())
			.param("kept", UUID.fromString(ids.get(2)))
			.update();
		this.jdbc.sql("update domain_event set at = :at where company_id = :company and subject_id = :kept")
			.param("at", Timestamp.from(Instant.now().minus(Duration.ofDays(29))))
			.param("company", company.id())
			.param("kept", UUID.fromString(ids.get(2)))
			.update();

		long deleted = this.retention.forgetOld();

		assertThat(deleted).isGreaterThanOrEqualTo(4);
		// From the start, and from a cursor inside what was deleted: the oldest event kept comes first.
		JsonNode fromStart = this.client.api(company, "GET", "/api/v1/events").json();
		assertThat(fromStart.path("items")).hasSize(1);
		assertThat(fromStart.path("items").get(0).path("subjectId").asString()).isEqualTo(ids.get(2));
		List<JsonNode> fromDeleted = EventTestSupport.eventsAfter(this.client, this.jdbc, company, start);
		assertThat(subjects(fromDeleted)).containsExactly(ids.get(2));
		assertThat(fromDeleted.getFirst().path("id").asString()).isEqualTo(all.get(2).path("id").asString());
	}

	private JsonNode sync(TestCompany company, List<SourceRecord> records) {
		this.source.script(company.id(), records);
		SyncRun run = this.runs.start(company.id(), ScriptedSource.KIND, false, null, Map.of(), ADMIN);
		return new Syncs(this.client, this.port).await(company, run.id().toString());
	}

	private String createTeam(TestCompany company, String name) {
		return created(this.client.api(company, "POST", "/api/v1/teams", Map.of("name", name)));
	}

	private String teamId(TestCompany company, String name) {
		for (JsonNode team : this.client.api(company, "GET", "/api/v1/teams").json()) {
			if (team.path("name").asString().equals(name)) {
				return team.path("id").asString();
			}
		}
		throw new AssertionError("No team " + name);
	}

	private void patch(TestCompany company, String id, Map<String, Object> body) {
		Response response = this.client.api(company, "PATCH", "/api/v1/people/" + id, body);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
	}

	private static String created(Response response) {
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		return response.json().path("id").asString();
	}

	/** The owner accepts the invitation with a password and signs in, as a browser posts the forms. */
	private RollcallClient signedInOwner(TestCompany company) {
		RollcallClient browser = new RollcallClient(this.port);
		String host = company.slug() + ".localhost";
		String invitation = URI.create(company.ownerInvitationUrl()).getPath();
		String password = "a long enough password";
		Response accepted = browser.form(host, invitation,
				Map.of("password", password, "confirmation", password, "_csrf",
						csrf(browser, host, invitation)));
		assertThat(accepted.header("Location")).endsWith("/login?welcome");
		Response signedIn = browser.form(host, "/login",
				Map.of("email", company.ownerEmail(), "password", password, "_csrf", csrf(browser, host, "/login")));
		assertThat(signedIn.status()).isEqualTo(302);
		assertThat(browser.page(host, "/console/people").status()).isEqualTo(200);
		return browser;
	}

	private static String csrf(RollcallClient browser, String host, String path) {
		Matcher matcher = CSRF.matcher(browser.page(host, path).body());
		assertThat(matcher.find()).as("a CSRF token on " + path).isTrue();
		return matcher.group(1);
	}

	private void assertSubjectIsAsApiShows(TestCompany company, JsonNode event, String path) {
		EventTestSupport.assertSubjectIsAsApiShows(this.client, company, event, path);
	}

}
