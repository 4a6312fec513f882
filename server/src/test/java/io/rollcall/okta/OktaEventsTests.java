package io.rollcall.okta;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.rollcall.emulators.okta.GeneratedOrg;
import io.rollcall.emulators.okta.OktaEmulator;
import io.rollcall.emulators.okta.OktaOrg;
import io.rollcall.emulators.okta.OktaUser;
import io.rollcall.emulators.okta.OrgSpec;
import io.rollcall.events.EventTestSupport;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.Syncs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.rollcall.events.EventTestSupport.assertActor;
import static io.rollcall.events.EventTestSupport.change;
import static io.rollcall.events.EventTestSupport.runIds;
import static io.rollcall.events.EventTestSupport.subjects;
import static io.rollcall.events.EventTestSupport.types;
import static org.assertj.core.api.Assertions.assertThat;

/** The Okta writer (a full sync against the emulator, no event hook so that only the test's runs write), read back through the event feed. */
class OktaEventsTests extends IntegrationTest {

	@Autowired
	JdbcClient jdbc;

	private OktaEmulator okta;

	private OktaOrg org;

	private TestCompany company;

	private Syncs syncs;

	@BeforeEach
	void connect() {
		this.okta = OktaEmulator.start(OktaEmulator.Options.defaults());
		this.org = this.okta.org();
		this.company = this.client.createCompany();
		this.syncs = new Syncs(this.client, this.port);
	}

	@AfterEach
	void stop() {
		this.syncs.discardRetrying(this.company, "okta");
		this.okta.close();
		this.jdbc.sql("delete from okta_connection where company_id = :c").param("c", this.company.id()).update();
	}

	@Test
	void oktaWhenProfileChangedAndUserUnassignedThenTheRunUpdatesAndDeactivatesThemAndSucceeds() throws Exception {
		GeneratedOrg generated = this.org.generate(OrgSpec.people(5)
			.withAssignedShare(1.0)
			.withSuspendedShare(0)
			.withPictureShare(0)
			.withDomain(this.company.slug() + ".example"));
		setUp();
		String firstRun = sync().path("id").asString();
		OktaUser changed = this.org.user(generated.assignedUserIds().get(1)).orElseThrow();
		OktaUser leaver = this.org.user(generated.assignedUserIds().get(2)).orElseThrow();
		String changedId = personId(changed);
		String leaverId = personId(leaver);
		String start = EventTestSupport.cursorAfterEverything(this.jdbc);

		this.org.updateProfile(changed.id(), Map.of("title", "Chief Cartographer"));
		this.org.unassign(leaver.id());
		String runId = sync().path("id").asString();

		List<JsonNode> events = EventTestSupport.eventsAfter(this.client, this.jdbc, this.company, start);
		assertThat(runId).isNotEqualTo(firstRun);
		assertThat(types(events)).containsExactlyInAnyOrder("person.updated", "person.deactivated",
				"sync_run.succeeded");
		assertThat(types(events).getLast()).isEqualTo("sync_run.succeeded");
		assertThat(runIds(events)).containsOnly(runId);
		assertThat(subjects(events)).containsExactlyInAnyOrder(changedId, leaverId, runId);
		events.forEach(e -> assertActor(e, "source", "okta sync, run " + runId.substring(0, 8)));
		JsonNode updated = events.stream()
			.filter(e -> e.path("type").asString().equals("person.updated"))
			.findFirst()
			.orElseThrow();
		assertThat(updated.path("subjectId").asString()).isEqualTo(changedId);
		assertThat(updated.path("changes").propertyNames()).containsExactly("jobTitle");
		assertThat(change(updated, "jobTitle")).containsExactly(changed.profile("title"), "Chief Cartographer");
		JsonNode deactivated = events.stream()
			.filter(e -> e.path("type").asString().equals("person.deactivated"))
			.findFirst()
			.orElseThrow();
		assertThat(deactivated.path("subjectId").asString()).isEqualTo(leaverId);
		EventTestSupport.assertSubjectIsAsApiShows(this.client, this.company, updated, "/api/v1/people/");
		EventTestSupport.assertSubjectIsAsApiShows(this.client, this.company, deactivated, "/api/v1/people/");
		EventTestSupport.assertSubjectIsAsApiShows(this.client, this.company, events.getLast(), "/api/v1/sync-runs/");
	}

	private void setUp() {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("orgUrl", this.org.orgUrl());
		body.put("apiToken", this.org.apiToken());
		body.put("appId", this.org.appId());
		body.put("assignManagers", true);
		body.put("invitationPolicy", "never");
		body.put("allowPrivatePictures", true);
		Response saved = this.client.api(this.company, "PUT", "/api/v1/integrations/okta", body);
		assertThat(saved.status()).as(saved.body()).isEqualTo(200);
	}

	private String personId(OktaUser user) {
		return this.jdbc
			.sql("""
					select cast(person_id as text) from person_identity where company_id = :c and source = 'okta' and external_id = :id
					""")
			.param("c", this.company.id())
			.param("id", user.id())
			.query(String.class)
			.single();
	}

	private JsonNode sync() {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
		Response started = this.client.api(this.company, "POST", "/api/v1/integrations/okta/sync-runs", Map.of());
		while (started.status() == 409 && Instant.now().isBefore(deadline)) {
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			started = this.client.api(this.company, "POST", "/api/v1/integrations/okta/sync-runs", Map.of());
		}
		assertThat(started.status()).as(started.body()).isEqualTo(202);
		JsonNode run = this.syncs.await(this.company, started.json().path("id").asString());
		assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("succeeded");
		return run;
	}

}
