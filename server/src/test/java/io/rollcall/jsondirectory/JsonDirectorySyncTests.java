package io.rollcall.jsondirectory;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.rollcall.emulators.jsondirectory.DirectoryPerson;
import io.rollcall.emulators.jsondirectory.JsonDirectoryEmulator;
import io.rollcall.support.CodeFlow;
import io.rollcall.support.Eventually;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.SourcePeople;
import io.rollcall.support.Syncs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON directory end to end, over HTTP against its emulator: full syncs page by page, changes and departures,
 * a wrong token, and a throttling and failing directory that recovers.
 */
class JsonDirectorySyncTests extends IntegrationTest {

	private static final String KIND = "jsondirectory";

	@Autowired
	JdbcClient jdbc;

	private JsonDirectoryEmulator hr;

	private TestCompany company;

	private Syncs syncs;

	private SourcePeople people;

	@BeforeEach
	void connect() {
		this.hr = JsonDirectoryEmulator.start();
		this.company = this.client.createCompany();
		this.syncs = new Syncs(this.client, this.port);
		this.people = new SourcePeople(this.jdbc, this.company, KIND);
	}

	@AfterEach
	void stop() {
		this.hr.faults().reset();
		this.syncs.discardRetrying(this.company, KIND);
		this.hr.close();
		// The directory is gone with its emulator: a later test's daily sync must not spend the run threads on it.
		this.jdbc.sql("delete from jsondirectory_connection where company_id = :c")
			.param("c", this.company.id())
			.update();
	}

	@Test
	void syncWhenDirectoryListsPeopleOverPagesThenTheyArriveWithTeamsFromDepartmentsAndManagers() {
		List<DirectoryPerson> people = this.hr.people().generate(230, 4, this.company.slug() + ".example", 7);
		setUp();

		JsonNode run = sync();

		assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("succeeded");
		assertThat(this.hr.counters().requests("GET", "/people")).as("two pages of 200").isEqualTo(2);
		Map<String, String> personById = new HashMap<>();
		for (DirectoryPerson person : people) {
			Map<String, String> row = row(person.id());
			assertThat(row).as(person.id()).isNotNull();
			personById.put(person.id(), row.get("id"));
			assertThat(row.get("email")).isEqualTo(person.email());
			assertThat(row.get("first_name")).isEqualTo(person.givenName());
			assertThat(row.get("last_name")).isEqualTo(person.familyName());
			assertThat(row.get("job_title")).isEqualTo(person.jobTitle());
			assertThat(row.get("team")).isEqualTo(person.department());
			assertThat(row.get("status")).isEqualTo("active");
		}
		for (DirectoryPerson person : people) {
			assertThat(row(person.id()).get("override_manager_id")).as("manager of " + person.id())
				.isEqualTo(person.managerId() == null ? null : personById.get(person.managerId()));
		}
		assertThat(activeCount()).isEqualTo(230);
	}

	@Test
	void syncWhenSomeoneChangesLeavesOrIsInactiveThenUpdatedAndDeactivated() {
		this.hr.people().generate(10, 2, this.company.slug() + ".example", 7);
		setUp();
		sync();
		this.hr.people().update("e-0003", person -> person.withJobTitle("Harbour Master").withDepartment("Harbour"));
		this.hr.people().remove("e-0004");
		this.hr.people().update("e-0005", person -> person.withActive(false));

		JsonNode run = sync();

		assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("succeeded");
		assertThat(row("e-0003").get("job_title")).isEqualTo("Harbour Master");
		assertThat(row("e-0003").get("team")).isEqualTo("Harbour");
		assertThat(row("e-0004").get("status")).isEqualTo("deactivated");
		assertThat(row("e-0005").get("status")).isEqualTo("deactivated");
		assertThat(activeCount()).isEqualTo(8);
	}

	@Test
	void syncWhenTokenIsWrongThenTheRunSaysSoAndNobodyIsDeactivated() {
		this.hr.people().generate(6, 2, this.company.slug() + ".example", 7);
		setUp();
		sync();
		this.hr.token("a-token-Rollcall-does-not-have");

		JsonNode run = start();
		run = this.syncs.await(this.company, run.path("id").asString(), Set.of("retrying", "failed"),
				Duration.ofSeconds(30));

		assertThat(run.path("error").asString()).as(run.toString())
			.contains("The JSON directory answered 401 invalid_token")
			.contains("GET /people")
			.contains("check the bearer token")
			.doesNotContain("hr-token");
		assertThat(run.path("counts").path("deactivate").asInt()).isZero();
		JsonNode history = this.client.api(this.company, "GET", "/api/v1/integrations/" + KIND + "/sync-runs?limit=1")
			.json();
		assertThat(history.get(0).path("error").asString()).contains("401 invalid_token");
		assertThat(activeCount()).isEqualTo(6);
	}

	@Test
	void syncWhenThrottledAndFailingLongerThanTheRetriesThenRetryingNothingLostAndConvergesOnceRecovered() {
		this.hr.people().generate(8, 2, this.company.slug() + ".example", 7);
		setUp();
		sync();
		this.hr.people().update("e-0002", person -> person.withJobTitle("Lighthouse Keeper"));
		this.hr.people().remove("e-0003");
		this.hr.faults().throttleShare(0.5).serverErrorShare(0.5); // every call answered 429 or 503

		String runId = start().path("id").asString();

		JsonNode retrying = this.syncs.awaitRetrying(this.company, runId, 1, Duration.ofSeconds(60));
		assertThat(retrying.path("error").asString()).as(retrying.toString())
			.contains("The JSON directory did not answer GET /people");
		JsonNode health = this.client.api(this.company, "GET", "/api/v1/integrations/" + KIND + "/health").json();
		assertThat(health.path("problem").path("message").asString()).contains("JSON directory");
		assertThat(this.hr.counters().get("throttled")).isPositive();
		assertThat(this.hr.counters().get("serverErrors")).isPositive();
		assertThat(row("e-0002").get("job_title")).isNotEqualTo("Lighthouse Keeper");
		assertThat(row("e-0003").get("status")).isEqualTo("active");

		this.hr.faults().reset(); // the directory is back

		JsonNode done = this.syncs.await(this.company, runId, Set.of("succeeded", "failed", "held"),
				Duration.ofSeconds(60));
		assertThat(done.path("status").asString()).as(done.toString()).isEqualTo("succeeded");
		assertThat(row("e-0002").get("job_title")).isEqualTo("Lighthouse Keeper");
		assertThat(row("e-0003").get("status")).isEqualTo("deactivated");
		assertThat(activeCount()).isEqualTo(7);
		Eventually.await(() -> this.client.api(this.company, "GET", "/api/v1/integrations/" + KIND + "/health")
			.json()
			.path("problem")
			.isNull());
	}

	@Test
	void mappingsWhenNoneSavedThenEachSourcesOwnTableAndAnUnknownKindIsNotFound() {
		JsonNode mappings = this.client.api(this.company, "GET", "/api/v1/integrations/" + KIND + "/mappings").json();
		assertThat(mappings.path("saved").asBoolean()).isFalse();
		assertThat(mappings.path("mappings")).hasSize(7);
		assertThat(mappings.path("mappings").get(1).path("source").asString()).isEqualTo("givenName");
		assertThat(mappings.path("mappings").get(1).path("target").asString()).isEqualTo("firstName");
		JsonNode scim = this.client.api(this.company, "GET", "/api/v1/integrations/scim/mappings").json();
		assertThat(scim.path("mappings").get(0).path("source").asString()).isEqualTo("emails.value");
		// A file's table comes from its header, so it has none before an upload.
		assertThat(this.client.api(this.company, "GET", "/api/v1/integrations/csv/mappings").json().path("mappings"))
			.isEmpty();
		assertThat(this.client.api(this.company, "GET", "/api/v1/integrations/hr/mappings").status()).isEqualTo(404);
		assertThat(this.client.api(this.company, "GET", "/api/v1/integrations/hr/health").status()).isEqualTo(404);
	}

	@Test
	void setUpWhenInvalidThenClearErrorAndTheTokenNeverShown() {
		Response plainHttp = this.client.api(this.company, "PUT", "/api/v1/integrations/" + KIND,
				Map.of("peopleUrl", "http://hr.acme.example/people", "token", "t"));
		assertThat(plainHttp.status()).isEqualTo(400);
		assertThat(plainHttp.json().path("field").asString()).isEqualTo("peopleUrl");
		Response noToken = this.client.api(this.company, "PUT", "/api/v1/integrations/" + KIND,
				Map.of("peopleUrl", "https://hr.acme.example/people"));
		assertThat(noToken.status()).isEqualTo(400);
		assertThat(noToken.json().path("field").asString()).isEqualTo("token");
		Response notSetUp = this.client.api(this.company, "POST", "/api/v1/integrations/" + KIND + "/sync-runs",
				Map.of());
		assertThat(notSetUp.status()).isEqualTo(409);
		// The provider's one sentence (ProviderKind), which a run with no connection fails with too.
		assertThat(notSetUp.json().path("detail").asString())
			.isEqualTo(JsonDirectoryKind.PROVIDER.notSetUp())
			.startsWith("The JSON directory is not set up for this company: save its people endpoint and token");

		JsonNode saved = setUp().json();

		assertThat(saved.path("configured").asBoolean()).isTrue();
		assertThat(saved.path("token").asString()).isEqualTo("set");
		assertThat(saved.toString()).doesNotContain(this.hr.token());
		assertThat(this.client.api(this.company, "GET", "/api/v1/integrations/" + KIND).body())
			.doesNotContain(this.hr.token());
	}

	@Test
	void consoleWhenSetUpAndSyncedThroughItsPageThenThePageShowsTheIntegrationAndItsRun() {
		this.hr.people().generate(4, 1, this.company.slug() + ".example", 7);
		RollcallClient browser = signInOwner();
		String host = this.company.slug() + ".localhost";
		Response empty = browser.page(host, "/console/integrations/" + KIND);
		assertThat(empty.status()).isEqualTo(200);
		assertThat(empty.body()).contains("JSON directory")
			.contains("Not set up")
			.contains("jsondirectory-url")
			.doesNotContain("jsondirectory-sync");
		assertThat(browser.page(host, "/console/integrations").body()).contains("/console/integrations/" + KIND);

		Response saved = browser.form(host, "/console/integrations/" + KIND + "/setup", Map.of("peopleUrl",
				this.hr.peopleUrl(), "token", this.hr.token(), "invitationPolicy", "never", "fullSyncAt", "04:30",
				"_csrf", CodeFlow.csrf(empty.body())));
		assertThat(saved.status()).isEqualTo(302);
		Response page = browser.page(host, "/console/integrations/" + KIND);
		assertThat(page.body()).contains("Saved the JSON directory settings.")
			.contains("jsondirectory-sync")
			.contains("04:30")
			.doesNotContain(this.hr.token());

		Response synced = browser.form(host, "/console/integrations/" + KIND + "/sync",
				Map.of("_csrf", CodeFlow.csrf(page.body())));
		assertThat(synced.header("Location")).contains("/console/sync-runs/");
		String runId = synced.header("Location").substring(synced.header("Location").lastIndexOf('/') + 1);
		assertThat(this.syncs.await(this.company, runId).path("status").asString()).isEqualTo("succeeded");
		assertThat(activeCount()).isEqualTo(4);
		assertThat(browser.page(host, "/console/integrations/" + KIND).body()).contains(runId);
		// Integrations lists every source as it describes itself, in order, the run by the source's name.
		String integrations = browser.page(host, "/console/integrations").body();
		assertThat(List.of("csv", "entra", "okta", KIND, "scim"))
			.map(kind -> integrations.indexOf("data-source=\"" + kind + "\""))
			.allMatch(index -> index >= 0)
			.isSorted();
		assertThat(integrations)
			.contains("An HR system or in-house directory that lists its people as JSON over HTTPS.")
			.contains("Any identity provider that provisions over SCIM 2.0.")
			.contains("<td class=\"source\"><span>JSON directory</span>");
	}

	private RollcallClient signInOwner() {
		CodeFlow.acceptInvitation(this.port, this.company, this.company.ownerInvitationUrl(),
				"correct horse battery 9");
		RollcallClient browser = new RollcallClient(this.port);
		String host = this.company.slug() + ".localhost";
		Response signIn = browser.form(host, "/login", Map.of("email", this.company.ownerEmail(), "password",
				"correct horse battery 9", "_csrf", CodeFlow.csrf(browser.page(host, "/login").body())));
		assertThat(signIn.header("Location")).doesNotContain("error");
		return browser;
	}

	private Response setUp() {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("peopleUrl", this.hr.peopleUrl());
		body.put("token", this.hr.token());
		body.put("assignManagers", true);
		body.put("invitationPolicy", "never");
		Response saved = this.client.api(this.company, "PUT", "/api/v1/integrations/" + KIND, body);
		assertThat(saved.status()).as(saved.body()).isEqualTo(200);
		return saved;
	}

	private JsonNode start() {
		Response started = this.client.api(this.company, "POST", "/api/v1/integrations/" + KIND + "/sync-runs",
				Map.of());
		assertThat(started.status()).as(started.body()).isEqualTo(202);
		return started.json();
	}

	private JsonNode sync() {
		return this.syncs.await(this.company, start().path("id").asString());
	}

	private Map<String, String> row(String externalId) {
		return this.people.row(externalId);
	}

	private int activeCount() {
		return this.people.activeCount();
	}

}
