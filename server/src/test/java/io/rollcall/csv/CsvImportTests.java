package io.rollcall.csv;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.rollcall.support.IntegrationTest;
import io.rollcall.support.Mails;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.RowTrigger;
import io.rollcall.support.Syncs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** CSV import through the API, and with it the engine's rules: matching, plan, teams, managers, errors. */
class CsvImportTests extends IntegrationTest {

	@org.springframework.beans.factory.annotation.Autowired
	org.springframework.jdbc.core.simple.JdbcClient jdbc;

	private TestCompany company;

	private Syncs syncs;

	@BeforeEach
	void company() {
		this.company = this.client.createCompany();
		this.syncs = new Syncs(this.client, this.port);
	}

	@Test
	void importWhenNewPeopleThenCreatedWithTeamsAndAManagerChainInOneRun() {
		// The chain is listed bottom-up: managers are resolved once everyone of the run exists.
		JsonNode run = this.syncs.importCsv(this.company, """
				Email,First name,Last name,Team,Job title,Manager email
				cleo@example.com,Cleo,Clerk,Support,Agent,bea@example.com
				bea@example.com,Bea,Boss,Support,Team lead,al@example.com
				al@example.com,Al,Top,Board,Chief,
				""");

		assertThat(run.path("status").asString()).isEqualTo("succeeded");
		assertThat(run.path("counts").path("create").asInt()).isEqualTo(3);
		assertThat(run.path("counts").path("team").asInt()).isEqualTo(2);
		assertThat(run.path("counts").path("manager").asInt()).isEqualTo(2);
		assertThat(run.path("done").asInt()).isEqualTo(run.path("total").asInt());
		JsonNode cleo = person("cleo@example.com");
		JsonNode bea = person("bea@example.com");
		JsonNode al = person("al@example.com");
		assertThat(cleo.path("overrideManagerId").asString()).isEqualTo(bea.path("id").asString());
		assertThat(bea.path("overrideManagerId").asString()).isEqualTo(al.path("id").asString());
		assertThat(al.path("overrideManagerId").isNull()).isTrue();
		assertThat(cleo.path("jobTitle").asString()).isEqualTo("Agent");
		assertThat(cleo.path("externalIds").path("csv").asString()).isEqualTo("cleo@example.com");
		assertThat(teamNamed("Support").path("memberCount").asInt()).isEqualTo(2);
		assertThat(teamNamed("Support").path("parentId").isNull()).isTrue();
	}

	@Test
	void importWhenAManagerIsListedBeforeTheirReportThenTheReportIsCreatedWithTheManagerInOneChangeAndTheSameEvents() {
		// Dee is listed after Cleo, her report: Cleo is created first and gets her manager in the manager phase.
		JsonNode run = this.syncs.importCsv(this.company, """
				Email,First name,Manager email
				al@example.com,Al,
				bea@example.com,Bea,al@example.com
				cleo@example.com,Cleo,dee@example.com
				dee@example.com,Dee,al@example.com
				""");

		assertThat(run.path("status").asString()).isEqualTo("succeeded");
		assertThat(run.path("counts").path("manager").asInt()).as("the plan still counts every link").isEqualTo(3);
		assertThat(run.path("done").asInt()).isEqualTo(run.path("total").asInt());
		String al = person("al@example.com").path("id").asString();
		String dee = person("dee@example.com").path("id").asString();
		JsonNode bea = person("bea@example.com");
		JsonNode cleo = person("cleo@example.com");
		assertThat(bea.path("overrideManagerId").asString()).isEqualTo(al);
		assertThat(person("dee@example.com").path("overrideManagerId").asString()).isEqualTo(al);
		assertThat(cleo.path("overrideManagerId").asString()).isEqualTo(dee);

		JsonNode beaHistory = history(bea);
		assertThat(beaHistory).as(beaHistory.toString()).hasSize(1);
		assertThat(beaHistory.get(0).path("action").asString()).isEqualTo("created");
		assertThat(beaHistory.get(0).path("changes").path("overrideManagerId").path("to").asString()).isEqualTo(al);
		// A consumer sees the same either way: the person, then their manager.
		assertThat(events(run, bea)).containsExactly("person.created", "manager.changed");
		JsonNode cleoHistory = history(cleo);
		assertThat(cleoHistory).as(cleoHistory.toString()).hasSize(2);
		assertThat(events(run, cleo)).containsExactly("person.created", "manager.changed");
		JsonNode items = this.client.api(this.company, "GET",
				"/api/v1/sync-runs/" + run.path("id").asString() + "/plan?kind=manager")
			.json();
		assertThat(items).as(items.toString()).hasSize(3);
		items.forEach(item -> assertThat(item.path("applied").asBoolean()).as(item.toString()).isTrue());
	}

	/**
	 * A large run applies two chunks at once; here the second of the first two fails (a person the database refuses),
	 * and is applied again item by item beside the first: only that person is missing, and everyone else is created
	 * once, with their manager, and one creation event each.
	 */
	@Test
	void importWhenAChunkAppliedAlongsideAnotherFailsThenOnlyItsRefusedPersonIsMissingAndEveryoneElseCreatedOnce() {
		int people = 1_200;
		String refused = "p700@example.com";
		StringBuilder csv = new StringBuilder("Email,First name,Manager email\n");
		for (int i = 0; i < people; i++) {
			// Each of ten chains: everyone's manager is listed 10 rows before them; p700 manages nobody (p710 has p0).
			String manager = i < 10 || i == 710 ? (i == 710 ? "p0@example.com" : "") : "p" + (i - 10) + "@example.com";
			csv.append("p").append(i).append("@example.com,P").append(i).append(',').append(manager).append('\n');
		}
		JsonNode run;
		try (RowTrigger trigger = RowTrigger.refusing(this.jdbc, "test_refused_person", "insert", "person",
				"new.email = '%s'".formatted(refused), "this person is refused")) {
			run = this.syncs.importCsv(this.company, csv.toString());
		}

		assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("succeeded");
		assertThat(run.path("counts").path("create").asInt()).isEqualTo(people);
		// The refused person's creation, and then their manager link, which has no one to link.
		assertThat(run.path("counts").path("failed").asInt()).as(run.toString()).isEqualTo(2);
		assertThat(run.path("done").asInt()).isEqualTo(run.path("total").asInt());
		java.util.UUID runId = java.util.UUID.fromString(run.path("id").asString());
		Map<String, Object> created = this.jdbc.sql("""
				select count(*) as events, count(distinct subject_id) as subjects from domain_event
				where run_id = :run and type = 'person.created'
				""").param("run", runId).query().singleRow();
		assertThat(created).containsEntry("events", (long) people - 1).containsEntry("subjects", (long) people - 1);
		Map<String, Object> directory = this.jdbc.sql("""
				select count(*) as people, count(override_manager_id) as managed,
				       count(*) filter (where email = :refused) as refused
				from person where company_id = :company and email like 'p%@example.com'
				""").param("company", this.company.id()).param("refused", refused).query().singleRow();
		assertThat(directory).containsEntry("people", (long) people - 1)
			.containsEntry("managed", (long) people - 1 - 10)
			.containsEntry("refused", 0L);
		List<Map<String, Object>> failed = this.jdbc.sql("""
				select kind, label, apply_error from sync_plan_item
				where run_id = :run and apply_error is not null order by seq
				""").param("run", runId).query().listOfRows();
		assertThat(failed).as(failed.toString()).hasSize(2);
		assertThat(failed).extracting(row -> row.get("kind")).containsExactly("create", "manager");
		assertThat(failed).allSatisfy(row -> assertThat(row.get("label")).isEqualTo(refused));
		assertThat(failed.get(1).get("apply_error").toString()).contains("not in the directory");
		Integer phantom = this.jdbc.sql("""
				select count(*) from audit_entry a
				where a.company_id = :company and a.subject_type = 'person'
				  and not exists (select 1 from person p where p.id = a.subject_id)
				""").param("company", this.company.id()).query(Integer.class).single();
		assertThat(phantom).as("no history for a person who is not there").isZero();
	}

	@Test
	void importWhenOneChunkIsHeldUpThenTheChunksAfterItAreAppliedMeanwhileAndEveryoneIsCreatedOnce() throws Exception {
		int people = 2_500;
		String slow = "p0@example.com";
		StringBuilder csv = new StringBuilder("Email,First name,Manager email\n");
		for (int i = 0; i < people; i++) {
			// Managers listed before their reports, so that creations carry them, across the chunks.
			csv.append("p")
				.append(i)
				.append("@example.com,P")
				.append(i)
				.append(',')
				.append(i == 0 ? "" : "p" + (i / 2) + "@example.com")
				.append('\n');
		}
		// The first chunk's first person is held up in PostgreSQL, as a lock or a slow disk would hold a chunk.
		ExecutorService background = Executors.newSingleThreadExecutor();
		long createdWhileHeld = 0;
		JsonNode run;
		try (RowTrigger trigger = RowTrigger.holding(this.jdbc, "test_slow_person", "insert", "person",
				"new.email = '%s'".formatted(slow), Duration.ofSeconds(5))) {
			Future<JsonNode> imported = background.submit(() -> this.syncs.importCsv(this.company, csv.toString()));
			while (!imported.isDone()) {
				Map<String, Object> now = this.jdbc.sql("""
						select count(*) as people, count(*) filter (where email = :slow) as slow
						from person where company_id = :company and email like 'p%@example.com'
						""").param("company", this.company.id()).param("slow", slow).query().singleRow();
				if ((Long) now.get("slow") == 0) {
					createdWhileHeld = Math.max(createdWhileHeld, (Long) now.get("people"));
				}
				Thread.sleep(50);
			}
			run = imported.get();
		}
		finally {
			background.shutdownNow();
		}

		assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("succeeded");
		// Chunks of 500: while the first is held, the other slot goes on to the second chunk, then the third, ...
		// Applied in pairs, only the second could end before the first (500 people).
		assertThat(createdWhileHeld).as("people created while the first chunk was held up")
			.isGreaterThanOrEqualTo(1_000);
		assertThat(run.path("counts").path("failed").asInt()).as(run.toString()).isZero();
		assertThat(run.path("done").asInt()).isEqualTo(run.path("total").asInt());
		java.util.UUID runId = java.util.UUID.fromString(run.path("id").asString());
		Map<String, Object> created = this.jdbc.sql("""
				select count(*) as events, count(distinct subject_id) as subjects from domain_event
				where run_id = :run and type = 'person.created'
				""").param("run", runId).query().singleRow();
		assertThat(created).containsEntry("events", (long) people).containsEntry("subjects", (long) people);
		Map<String, Object> directory = this.jdbc.sql("""
				select count(*) as people, count(override_manager_id) as managed
				from person where company_id = :company and email like 'p%@example.com'
				""").param("company", this.company.id()).query().singleRow();
		assertThat(directory).containsEntry("people", (long) people).containsEntry("managed", (long) people - 1);
	}

	private JsonNode history(JsonNode person) {
		return this.client.api(this.company, "GET", "/api/v1/audit?subject=" + person.path("id").asString())
			.json()
			.path("items");
	}

	private List<String> events(JsonNode run, JsonNode person) {
		return this.jdbc.sql("select type from domain_event where run_id = :run and subject_id = :person order by id")
			.param("run", java.util.UUID.fromString(run.path("id").asString()))
			.param("person", java.util.UUID.fromString(person.path("id").asString()))
			.query(String.class)
			.list();
	}

	@Test
	void importWhenAppliedThenAuditNamesSourceAndRunAndEventsAreKept() {
		JsonNode run = this.syncs.importCsv(this.company, "email,first name\nann@example.com,Ann\n");

		JsonNode ann = person("ann@example.com");
		JsonNode entry = this.client.api(this.company, "GET", "/api/v1/audit?subject=" + ann.path("id").asString())
			.json()
			.path("items")
			.get(0);
		assertThat(entry.path("action").asString()).isEqualTo("created");
		assertThat(entry.path("actor").path("type").asString()).isEqualTo("source");
		assertThat(entry.path("actor").path("id").asString()).isEqualTo(run.path("id").asString());
		assertThat(entry.path("actor").path("label").asString()).contains("csv")
			.contains(run.path("id").asString().substring(0, 8));
		assertThat(entry.path("changes").path("firstName").path("to").asString()).isEqualTo("Ann");
		Integer events = this.jdbc.sql(
				"select count(*) from domain_event where run_id = :run and type = 'person.created' and subject_id = :person")
			.param("run", java.util.UUID.fromString(run.path("id").asString()))
			.param("person", java.util.UUID.fromString(ann.path("id").asString()))
			.query(Integer.class)
			.single();
		assertThat(events).isEqualTo(1);
	}

	@Test
	void importWhenCompanySavedItsOwnMappingsThenTransformsAndCustomFieldsApply() {
		this.client.api(this.company, "POST", "/api/v1/custom-fields", Map.of("key", "badge", "label", "Badge"));
		Response saved = this.client.api(this.company, "PUT", "/api/v1/integrations/csv/mappings", List.of(
				Map.of("source", "Mail", "target", "email", "transforms", List.of(Map.of("type", "lowerCase"))),
				Map.of("target", "firstName", "transforms",
						List.of(Map.of("type", "concat", "attributes", List.of("Given", "Middle"), "separator", " "))),
				Map.of("source", "Dept", "target", "primaryTeam", "transforms",
						List.of(Map.of("type", "valueMap", "values", Map.of("ENG", "Engineering")))),
				Map.of("source", "Start", "target", "hireDate", "transforms",
						List.of(Map.of("type", "dateParse", "format", "dd.MM.yyyy"))),
				Map.of("source", "Badge no", "target", "customFields.badge", "transforms",
						List.of(Map.of("type", "regexReplace", "pattern", "^B-", "replacement", "")))));
		assertThat(saved.status()).as(saved.body()).isEqualTo(200);

		JsonNode run = this.syncs.importCsv(this.company, """
				Mail,Given,Middle,Dept,Start,Badge no
				Zed.Zulu@Example.com,Zed,Q,eng,31.03.2024,B-4711
				""");

		assertThat(run.path("status").asString()).isEqualTo("succeeded");
		JsonNode zed = person("zed.zulu@example.com");
		assertThat(zed.path("firstName").asString()).isEqualTo("Zed Q");
		assertThat(zed.path("hireDate").asString()).isEqualTo("2024-03-31");
		assertThat(zed.path("customFields").path("badge").asString()).isEqualTo("4711");
		assertThat(zed.path("primaryTeamId").asString()).isEqualTo(teamNamed("Engineering").path("id").asString());
	}

	@Test
	void mappingsWhenInvalidThenRefusedNamingTheProblemAndOldOnesKept() {
		Response badRegex = this.client.api(this.company, "PUT", "/api/v1/integrations/csv/mappings", List.of(
				Map.of("source", "Mail", "target", "email"),
				Map.of("source", "x", "target", "jobTitle", "transforms",
						List.of(Map.of("type", "regexReplace", "pattern", "(", "replacement", "")))));
		Response badTarget = this.client.api(this.company, "PUT", "/api/v1/integrations/csv/mappings",
				List.of(Map.of("source", "Mail", "target", "email"), Map.of("source", "x", "target", "shoeSize")));
		Response undefinedField = this.client.api(this.company, "PUT", "/api/v1/integrations/csv/mappings",
				List.of(Map.of("source", "Mail", "target", "email"),
						Map.of("source", "x", "target", "customFields.nope")));
		Response noEmail = this.client.api(this.company, "PUT", "/api/v1/integrations/csv/mappings",
				List.of(Map.of("source", "x", "target", "jobTitle")));

		assertThat(badRegex.status()).isEqualTo(400);
		assertThat(badRegex.json().path("detail").asString()).contains("(");
		assertThat(badTarget.status()).isEqualTo(400);
		assertThat(badTarget.json().path("detail").asString()).contains("shoeSize");
		assertThat(undefinedField.status()).isEqualTo(400);
		assertThat(undefinedField.json().path("detail").asString()).contains("nope");
		assertThat(noEmail.status()).isEqualTo(400);
		assertThat(noEmail.json().path("detail").asString()).contains("email");
		assertThat(this.client.api(this.company, "GET", "/api/v1/integrations/csv/mappings")
			.json()
			.path("saved")
			.asBoolean()).isFalse();
	}

	@Test
	void previewWhenDryRunThenPlanWithDiffsIsStoredAndNothingChanges() {
		this.syncs.importCsv(this.company, "email,job title\ndee@example.com,Clerk\n");

		JsonNode preview = this.syncs.importCsv(this.company,
				"email,job title\ndee@example.com,Manager\nnew@example.com,Intern\n",
				true, Map.of());

		assertThat(preview.path("status").asString()).isEqualTo("previewed");
		assertThat(preview.path("counts").path("update").asInt()).isEqualTo(1);
		assertThat(preview.path("counts").path("create").asInt()).isEqualTo(1);
		JsonNode plan = this.syncs.plan(this.company, preview.path("id").asString());
		JsonNode update = find(plan, "update");
		assertThat(update.path("label").asString()).isEqualTo("dee@example.com");
		assertThat(update.path("changes").path("jobTitle").path("from").asString()).isEqualTo("Clerk");
		assertThat(update.path("changes").path("jobTitle").path("to").asString()).isEqualTo("Manager");
		assertThat(person("dee@example.com").path("jobTitle").asString()).isEqualTo("Clerk");
		assertThat(this.client.api(this.company, "GET", "/api/v1/people?q=new@example.com").json().path("items"))
			.isEmpty();
	}

	@Test
	void importWhenPersonExistsWithSameEmailThenLinkedNotDuplicated() {
		String id = this.client
			.api(this.company, "POST", "/api/v1/people", Map.of("email", "Eve@Example.com", "office", "HQ"))
			.json()
			.path("id")
			.asString();

		JsonNode run = this.syncs.importCsv(this.company, "email,first name\neve@example.com,Eve\n");

		assertThat(run.path("counts").path("link").asInt()).isEqualTo(1);
		assertThat(run.path("counts").path("create").asInt()).isZero();
		JsonNode eve = this.client.api(this.company, "GET", "/api/v1/people/" + id).json();
		assertThat(eve.path("firstName").asString()).isEqualTo("Eve");
		assertThat(eve.path("office").asString()).isEqualTo("HQ");
		assertThat(eve.path("externalIds").path("csv").asString()).isEqualTo("eve@example.com");
		assertThat(this.client.api(this.company, "GET", "/api/v1/people?q=eve@example.com").json().path("items"))
			.hasSize(1);
	}

	@Test
	void syncWhenPrimaryTeamChangedByHandThenSourceWinsAndSecondaryTeamsAndHierarchyStay() {
		this.syncs.importCsv(this.company, "email,team\nfay@example.com,Sales\ngus@example.com,Finance\n");
		String sales = teamNamed("Sales").path("id").asString();
		String finance = teamNamed("Finance").path("id").asString();
		String parent = this.client.api(this.company, "POST", "/api/v1/teams", Map.of("name", "Company"))
			.json()
			.path("id")
			.asString();
		this.client.api(this.company, "PATCH", "/api/v1/teams/" + sales, Map.of("parentId", parent));
		String fay = person("fay@example.com").path("id").asString();
		this.client.api(this.company, "PATCH", "/api/v1/people/" + fay,
				Map.of("primaryTeamId", finance, "secondaryTeamIds", List.of(parent)));

		JsonNode run = this.syncs.importCsv(this.company, "email,team\nfay@example.com,Sales\n");

		assertThat(run.path("status").asString()).isEqualTo("succeeded");
		JsonNode after = person("fay@example.com");
		assertThat(after.path("primaryTeamId").asString()).isEqualTo(sales);
		assertThat(after.path("secondaryTeamIds").get(0).asString()).isEqualTo(parent);
		assertThat(teamNamed("Sales").path("parentId").asString()).isEqualTo(parent);
		// Finance is in no file any more, and stays: syncs never delete teams.
		assertThat(teamNamed("Finance").path("id").asString()).isEqualTo(finance);
	}

	@Test
	void importWhenSomeRowsAreBadThenTheyAreReportedAndTheRestApplied() {
		JsonNode run = this.syncs.importCsv(this.company, """
				email,phone,hire date
				good@example.com,+44 20 7946 0958,2024-01-31
				not-an-email,,
				badphone@example.com,call me,
				GOOD@example.com,,
				baddate@example.com,,31/01/2024
				,,
				""");

		assertThat(run.path("status").asString()).isEqualTo("succeeded");
		assertThat(run.path("counts").path("create").asInt()).isEqualTo(1);
		assertThat(run.path("counts").path("error").asInt()).isEqualTo(5);
		List<String> messages = new ArrayList<>();
		this.syncs.plan(this.company, run.path("id").asString()).forEach(i -> {
			if (i.path("kind").asString().equals("error")) {
				messages.add(i.path("message").asString());
			}
		});
		assertThat(messages).anySatisfy(m -> assertThat(m).startsWith("line 3:").contains("not-an-email"));
		assertThat(messages).anySatisfy(m -> assertThat(m).startsWith("line 4:").contains("phone"));
		// The file has no id column, so the e-mail is the row's id: a second row for it is a conflict, not merged.
		assertThat(messages).anySatisfy(m -> assertThat(m).startsWith("line 5:").contains("twice"));
		assertThat(messages).anySatisfy(m -> assertThat(m).startsWith("line 6:").contains("31/01/2024"));
		assertThat(messages).anySatisfy(m -> assertThat(m).startsWith("line 7:").contains("no e-mail"));
		assertThat(person("good@example.com").path("phone").asString()).isEqualTo("+442079460958");
	}

	@Test
	void importWhenTimeZoneFullNameAndSecondaryEmailColumnsThenStoredAndBadZoneReportedForItsRowOnly() {
		JsonNode run = this.syncs.importCsv(this.company, """
				Email,First name,Last name,Full name,Secondary e-mail,Time zone
				tz@example.com,Tomas,Zeit,Tomás de la Zeit,tomas.home@example.org,America/Sao_Paulo
				nozone@example.com,Nora,Zone,,,
				mars@example.com,Mark,Mars,,,Mars/Olympus
				""");

		assertThat(run.path("counts").path("create").asInt()).isEqualTo(2);
		assertThat(run.path("counts").path("error").asInt()).isEqualTo(1);
		JsonNode tomas = person("tz@example.com");
		assertThat(tomas.path("timeZone").asString()).isEqualTo("America/Sao_Paulo");
		assertThat(tomas.path("fullName").asString()).isEqualTo("Tomás de la Zeit");
		assertThat(tomas.path("secondaryEmail").asString()).isEqualTo("tomas.home@example.org");
		// No zone of their own: they follow the company's default.
		assertThat(person("nozone@example.com").path("timeZone").isNull()).isTrue();
		List<String> messages = new ArrayList<>();
		this.syncs.plan(this.company, run.path("id").asString()).forEach(i -> {
			if (i.path("kind").asString().equals("error")) {
				messages.add(i.path("message").asString());
			}
		});
		assertThat(messages).singleElement()
			.satisfies(m -> assertThat(m).startsWith("line 4:").contains("Mars/Olympus"));
	}

	@Test
	void uploadWhenFileIsStructurallyBrokenThenRefusedWithLineAndColumn() {
		Response response = this.syncs.upload(this.company,
				"email,first name\nann@example.com,\"Ann\nbob@example.com,Bob\n");
		Response ragged = this.syncs.upload(this.company, "email,first name\nann@example.com,Ann,extra\n");

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().path("detail").asString()).contains("line 2");
		assertThat(ragged.status()).isEqualTo(400);
		assertThat(ragged.json().path("detail").asString()).contains("line 2").contains("column 3");
	}

	@Test
	void importWhenAccountMarkedInactiveThenDeactivatedAndLaterReactivated() {
		this.syncs.importCsv(this.company, "email,status\nhal@example.com,active\n");

		this.syncs.importCsv(this.company, "email,status\nhal@example.com,inactive\n");
		String afterDisable = person("hal@example.com").path("status").asString();
		this.syncs.importCsv(this.company, "email,status\nhal@example.com,active\n");

		assertThat(afterDisable).isEqualTo("deactivated");
		assertThat(person("hal@example.com").path("status").asString()).isEqualTo("active");
	}

	@Test
	void importWhenUnchangedThenPlanIsEmptyAndNothingIsWritten() {
		String csv = "email,first name,team\nivy@example.com,Ivy,Ops\n";
		this.syncs.importCsv(this.company, csv);
		int auditBefore = this.client.api(this.company, "GET", "/api/v1/audit?limit=200").json().path("items").size();

		JsonNode run = this.syncs.importCsv(this.company, csv);

		assertThat(run.path("total").asInt()).isZero();
		assertThat(run.path("counts").path("unchanged").asInt()).isEqualTo(1);
		JsonNode audit = this.client.api(this.company, "GET", "/api/v1/audit?limit=200").json().path("items");
		// Only the request of the run itself is recorded.
		assertThat(audit.size()).isEqualTo(auditBefore + 1);
		assertThat(audit.get(0).path("action").asString()).isEqualTo("sync_requested");
	}

	@Test
	void importWhenInvitationPolicyImmediatelyThenNewPeopleAreInvited() throws Exception {
		this.client.api(this.company, "PUT", "/api/v1/integrations/csv",
				Map.of("invitationPolicy", "immediately", "assignManagers", true, "deactivateMissing", false));

		JsonNode run = this.syncs.importCsv(this.company, "email\njay@example.com\n");

		assertThat(run.path("counts").path("invite").asInt()).isEqualTo(1);
		assertThat(Mails.awaitTo(MAIL, "jay@example.com")).isNotNull();
		assertThat(person("jay@example.com").path("invitationState").asString()).isEqualTo("invited");
	}

	@Test
	void importWhenInvitationPolicyNeverThenNobodyIsInvited() throws Exception {
		JsonNode run = this.syncs.importCsv(this.company, "email\nkay@example.com\n");

		assertThat(run.path("counts").path("invite").asInt()).isZero();
		assertThat(Mails.countTo(MAIL, "kay@example.com")).isZero();
		assertThat(person("kay@example.com").path("invitationState").asString()).isEqualTo("not_invited");
	}

	@Test
	void importWhenManagerWouldLoopOrIsUnknownThenReportedAndTheRestApplied() {
		JsonNode run = this.syncs.importCsv(this.company, """
				email,manager
				lu@example.com,mo@example.com
				mo@example.com,lu@example.com
				ned@example.com,nobody@example.com
				""");

		assertThat(run.path("status").asString()).isEqualTo("succeeded");
		assertThat(run.path("counts").path("create").asInt()).isEqualTo(3);
		assertThat(run.path("counts").path("manager").asInt()).isEqualTo(1);
		assertThat(run.path("counts").path("error").asInt()).isEqualTo(2);
		assertThat(person("lu@example.com").path("overrideManagerId").asString())
			.isEqualTo(person("mo@example.com").path("id").asString());
		assertThat(person("mo@example.com").path("overrideManagerId").isNull()).isTrue();
	}

	@Test
	void runWhenAnotherOfTheSameSourceIsHeldThenRefused() {
		this.syncs.importCsv(this.company, "email\n" + people(0, 20));
		JsonNode held = this.syncs.importCsv(this.company, "email\n" + people(0, 2), false,
				Map.of("deactivateMissing", true));
		assertThat(held.path("status").asString()).isEqualTo("held");

		Response upload = this.syncs.upload(this.company, "email\nx@example.com\n");
		Response refused = this.client.api(this.company, "POST", "/api/v1/integrations/csv/sync-runs",
				Map.of("uploadId", upload.json().path("id").asString()));

		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.json().path("detail").asString()).contains("waiting for approval");
	}

	@Test
	void importWhenDeparturesComeInRunsEachUnderTheHoldThenTheOneThatAddsUpOverItIsHeld() {
		// 40 people and the owner; the hold: more than 10 %, and at least 10.
		this.syncs.importCsv(this.company, "email\n" + people(0, 40));
		JsonNode first = this.syncs.importCsv(this.company, "email\n" + people(0, 34), false,
				Map.of("deactivateMissing", true));
		assertThat(first.path("status").asString()).as("6 of 41").isEqualTo("succeeded");

		JsonNode second = this.syncs.importCsv(this.company, "email\n" + people(0, 29), false,
				Map.of("deactivateMissing", true));

		assertThat(second.path("status").asString()).as("5 of 35, 11 of 41 with the first").isEqualTo("held");
		assertThat(second.path("holdReason").asString()).contains("after 6 deactivated by syncs in the last 24 hours")
			.contains("11 of 41 together");
		assertThat(person("p30@example.com").path("status").asString()).as("nobody deactivated while held")
			.isEqualTo("active");

		// Approved, the burst is the admin's decision: the next departure counts from there.
		this.client.api(this.company, "POST", "/api/v1/sync-runs/" + second.path("id").asString() + "/approval",
				Map.of("decision", "approve"));
		assertThat(this.syncs.await(this.company, second.path("id").asString(), java.time.Duration.ofSeconds(30))
			.path("status")
			.asString()).isEqualTo("succeeded");
		JsonNode third = this.syncs.importCsv(this.company, "email\n" + people(0, 27), false,
				Map.of("deactivateMissing", true));
		assertThat(third.path("status").asString()).as("2 after the approval").isEqualTo("succeeded");
	}

	static String people(int from, int to) {
		StringBuilder csv = new StringBuilder();
		for (int i = from; i < to; i++) {
			csv.append("p").append(i).append("@example.com\n");
		}
		return csv.toString();
	}

	private JsonNode person(String email) {
		JsonNode items = this.client.api(this.company, "GET", "/api/v1/people?q=" + email).json().path("items");
		for (JsonNode item : items) {
			if (item.path("email").asString().equalsIgnoreCase(email)) {
				return item;
			}
		}
		throw new AssertionError("No person " + email);
	}

	private JsonNode teamNamed(String name) {
		for (JsonNode team : this.client.api(this.company, "GET", "/api/v1/teams").json()) {
			if (team.path("name").asString().equals(name)) {
				return team;
			}
		}
		throw new AssertionError("No team " + name);
	}

	private static JsonNode find(JsonNode plan, String kind) {
		for (JsonNode item : plan) {
			if (item.path("kind").asString().equals(kind)) {
				return item;
			}
		}
		throw new AssertionError("No " + kind + " in " + plan);
	}

}
