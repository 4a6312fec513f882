package io.rollcall.apidocs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollcall.apidocs.client.ApiClient;
import io.rollcall.apidocs.client.ApiException;
import io.rollcall.apidocs.client.api.CsvApi;
import io.rollcall.apidocs.client.api.PeopleApi;
import io.rollcall.apidocs.client.api.SyncRunsApi;
import io.rollcall.apidocs.client.model.PagePerson;
import io.rollcall.apidocs.client.model.Person;
import io.rollcall.apidocs.client.model.PersonFields;
import io.rollcall.apidocs.client.model.PlanItem;
import io.rollcall.apidocs.client.model.Problem;
import io.rollcall.apidocs.client.model.SyncRun;
import io.rollcall.apidocs.client.model.SyncRunRequest;
import io.rollcall.apidocs.client.model.Upload;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.TestCompany;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The Java client that the build generates from the committed API document (server/pom.xml), used as a host
 * application's developer would, against the running service: what the document says is what the service does.
 */
class GeneratedClientTests extends IntegrationTest {

	private static final List<String> SETTLED = List.of("succeeded", "failed", "previewed", "held", "discarded");

	private TestCompany company;

	private ApiClient api;

	@BeforeEach
	void clientOfCompany() {
		this.company = this.client.createCompany();
		this.api = new ApiClient();
		this.api.updateBaseUri("http://127.0.0.1:" + this.port);
		// The company is named by the host; the generated client's native library leaves credentials to the caller.
		this.api.setRequestInterceptor(request -> request.header("Host", this.company.slug() + ".localhost")
			.header("Authorization", "Bearer " + this.company.apiKey()));
	}

	@Test
	void createPersonWhenSentByGeneratedClientThenReadBackWithItsFields() throws Exception {
		PeopleApi people = new PeopleApi(this.api);

		Person created = people.createPerson(new PersonFields().email("ann.lee@example.com")
			.firstName("Ann")
			.lastName("Lee")
			.jobTitle("Sales lead")
			.hireDate(java.time.LocalDate.of(2024, 3, 31)));

		Person read = people.getPerson(created.getId());
		assertThat(read.getEmail()).isEqualTo("ann.lee@example.com");
		assertThat(read.getFirstName()).isEqualTo("Ann");
		assertThat(read.getJobTitle()).isEqualTo("Sales lead");
		assertThat(read.getHireDate()).isEqualTo(java.time.LocalDate.of(2024, 3, 31));
		assertThat(read.getStatus()).hasToString("active");
	}

	@Test
	void updatePersonWhenOneFieldSentThenTheOthersKept() throws Exception {
		PeopleApi people = new PeopleApi(this.api);
		Person created = people
			.createPerson(new PersonFields().email("bo@example.com").firstName("Bo").lastName("Berg"));

		Person updated = people.updatePerson(created.getId(), new PersonFields().jobTitle("Engineer"));

		assertThat(updated.getJobTitle()).isEqualTo("Engineer");
		assertThat(updated.getFirstName()).isEqualTo("Bo");
		assertThat(updated.getLastName()).isEqualTo("Berg");
	}

	@Test
	void startSyncRunWhenCsvDryRunThenPlanPreviewsAndNothingChanges() throws Exception {
		Upload upload = new CsvApi(this.api).uploadCsv("""
				email,first name,last name,team
				cleo@example.com,Cleo,Clerk,Support
				dan@example.com,Dan,Dale,Support
				""", "people.csv");
		assertThat(upload.getRows()).isEqualTo(2);

		SyncRunsApi runs = new SyncRunsApi(this.api);
		SyncRun run = runs.startSyncRun("csv", new SyncRunRequest().uploadId(upload.getId()).dryRun(true));
		run = settled(runs, run.getId());

		assertThat(run.getStatus()).isEqualTo("previewed");
		List<PlanItem> plan = runs.getSyncRunPlan(run.getId(), "create", 0, 100);
		assertThat(plan).extracting(PlanItem::getExternalId)
			.containsExactlyInAnyOrder("cleo@example.com", "dan@example.com");
		assertThat(new PeopleApi(this.api).listPeople(null, null, "example.com", null, 50).getItems()).isEmpty();
	}

	@Test
	void listPeopleWhenPagedByCursorThenEveryoneOnceInOrder() throws Exception {
		PeopleApi people = new PeopleApi(this.api);
		for (String name : List.of("Avery", "Blake", "Casey", "Drew", "Emery")) {
			people.createPerson(new PersonFields().email(name.toLowerCase() + "@example.com")
				.firstName(name)
				.lastName("Paged"));
		}

		List<String> seen = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			PagePerson page = people.listPeople("active", null, "Paged", cursor, 2);
			page.getItems().forEach(p -> seen.add(p.getFirstName()));
			cursor = page.getNextCursor();
			pages++;
		}
		while (cursor != null && pages < 10);

		assertThat(seen).containsExactly("Avery", "Blake", "Casey", "Drew", "Emery");
		assertThat(pages).isEqualTo(3);
	}

	@Test
	void createPersonWhenFieldInvalidThenProblemNamesTheField() throws Exception {
		ApiException failure = catchThrowableOfType(ApiException.class,
				() -> new PeopleApi(this.api).createPerson(new PersonFields().email("not an address")));

		assertThat(failure.getCode()).isEqualTo(400);
		Problem problem = new ObjectMapper().readValue(failure.getResponseBody(), Problem.class);
		assertThat(problem.getStatus()).isEqualTo(400);
		assertThat(problem.getField()).isEqualTo("email");
		assertThat(problem.getDetail()).isNotBlank();
	}

	private static SyncRun settled(SyncRunsApi runs, UUID id) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		SyncRun run = runs.getSyncRun(id);
		while (!SETTLED.contains(run.getStatus()) && System.nanoTime() < deadline) {
			Thread.sleep(100);
			run = runs.getSyncRun(id);
		}
		return run;
	}

}
