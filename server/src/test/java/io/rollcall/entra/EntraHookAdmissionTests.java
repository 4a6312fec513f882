package io.rollcall.entra;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.rollcall.connector.HookAdmission;
import io.rollcall.emulators.entra.DirectorySpec;
import io.rollcall.emulators.entra.EntraEmulator;
import io.rollcall.emulators.entra.EntraTenant;
import io.rollcall.emulators.entra.EntraUser;
import io.rollcall.emulators.entra.GeneratedDirectory;
import io.rollcall.support.BusyHooks;
import io.rollcall.support.EntraSettings;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.SourcePeople;
import io.rollcall.support.Syncs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.rollcall.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Graph's change notifications on a node whose webhook turns are all taken: refused 503 with Retry-After within
 * Graph's 3 s, the URL check still answered, and a change whose notification Graph gave up on still arrives, by the
 * delta run the refusals scheduled.
 */
class EntraHookAdmissionTests extends IntegrationTest {

	/** Graph tries a notification for 4 hours; this one gives up after two attempts, as if those hours had gone. */
	private static final EntraEmulator ENTRA = EntraEmulator.start(EntraEmulator.Options.defaults()
		.notificationBatchWindow(Duration.ofMillis(10))
		.notificationRetryBackoff(Duration.ofMillis(200))
		.notificationMaxAttempts(2));

	@Autowired
	JdbcClient jdbc;

	@Autowired
	EntraIntegration integration;

	@Autowired
	HookAdmission admission;

	@Autowired
	MeterRegistry meters;

	private TestCompany company;

	private SourcePeople people;

	private Syncs syncs;

	private EntraTenant tenant;

	private GeneratedDirectory directory;

	@BeforeEach
	void connect() {
		this.company = this.client.createCompany();
		this.people = new SourcePeople(this.jdbc, this.company, "entra");
		this.syncs = new Syncs(this.client, this.port);
		this.tenant = ENTRA.createTenant(this.company.slug() + ".example");
		this.directory = this.tenant.generate(DirectorySpec.people(12)
			.withDepartments(2)
			.withPhotoShare(0)
			.withDisabledShare(0)
			.withDomain(this.company.slug() + ".example"));
		Response saved = this.client.api(this.company, "PUT", "/api/v1/integrations/entra",
				EntraSettings.of(ENTRA, this.tenant, this.directory.topGroupId(), this.tenant.clientSecret(), true,
						"never"));
		assertThat(saved.status()).as(saved.body()).isEqualTo(200);
		this.integration.authorised(this.company.id());
	}

	@AfterEach
	void discard() {
		this.syncs.discardRetrying(this.company, "entra");
		// Its emulator stops with the class: left connected, the company's upkeep would wait on it in later classes
		// (EntraSyncTests' subscription upkeep took 470 s).
		EntraDeletedUserTests.forget(this.jdbc, this.company);
	}

	@AfterAll
	static void stop() {
		ENTRA.close();
	}

	@Test
	void receiveWhenEveryTurnTakenThenRefused503WithRetryAfterWithinGraphsThreeSecondsButUrlCheckAnswered()
			throws Exception {
		double refusedBefore = this.meters.get("rollcall.hooks.refused").tag("provider", "entra").counter().count();
		Map<String, Object> body = Map.of("value",
				java.util.List.of(Map.of("subscriptionId", "not-a-subscription", "clientState", "nope", "changeType",
						"updated", "resource", "users/x", "resourceData", Map.of("id", "x"))));

		Response answer;
		Duration took;
		Response check;
		try (BusyHooks busy = BusyHooks.take(this.admission)) {
			Instant sent = Instant.now();
			answer = this.client.send("POST", "127.0.0.1", "/hooks/entra", null, body);
			took = Duration.between(sent, Instant.now());
			check = this.client.send("POST", "127.0.0.1", "/hooks/entra?validationToken=abc", null, "");
		}

		assertThat(answer.status()).isEqualTo(503);
		assertThat(answer.header("Retry-After")).isEqualTo("2");
		assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(900)).isLessThan(Duration.ofMillis(2500));
		assertThat(this.meters.get("rollcall.hooks.refused").tag("provider", "entra").counter().count())
			.isEqualTo(refusedBefore + 1);
		assertThat(check.status()).as("the URL check takes no turn").isEqualTo(200);
		assertThat(check.body()).isEqualTo("abc");
	}

	@Test
	void notificationWhenRefusedUntilGraphGivesUpThenTheCatchUpDeltaRunBringsTheChange() throws Exception {
		sync();
		EntraUser user = this.directory.memberUserIds()
			.stream()
			.map(id -> this.tenant.user(id).orElseThrow())
			.filter(EntraUser::accountEnabled)
			.findFirst()
			.orElseThrow();
		long givenUp = ENTRA.counters().get("notificationsGivenUp");

		try (BusyHooks busy = BusyHooks.take(this.admission)) {
			this.tenant.updateUser(user.id(), Map.of("jobTitle", "Harbour Master"));
			await(() -> ENTRA.counters().get("notificationsGivenUp") > givenUp);
		}

		// Graph sends nothing more and the daily sync is a day away: only the catch-up can bring it (the catch-up runs
		// on the scheduler, so it may well have while the turns were still held).
		await(() -> "Harbour Master".equals(this.people.row(user.id()).get("job_title")));
		assertThat(runsBy(EntraChanges.ACTOR.label())).as("no notification got in").isZero();
		assertThat(runsBy("Entra ID catch-up after refused webhook deliveries")).isPositive();
		JsonNode catchUp = this.client.api(this.company, "GET", "/api/v1/integrations/entra/sync-runs?limit=1")
			.json()
			.get(0);
		assertThat(catchUp.path("requestedBy").asString())
			.isEqualTo("Entra ID catch-up after refused webhook deliveries");
		assertThat(catchUp.path("options").path("mode").asString()).isEqualTo("incremental");
		assertThat(catchUp.path("counts").path("deactivate").asInt()).isZero();
	}

	private int runsBy(String requester) {
		return this.jdbc.sql("select count(*) from sync_run where company_id = :c and requested_by = :by")
			.param("c", this.company.id())
			.param("by", requester)
			.query(Integer.class)
			.single();
	}

	private void sync() {
		Response started = this.client.api(this.company, "POST", "/api/v1/integrations/entra/sync-runs", Map.of());
		assertThat(started.status()).as(started.body()).isEqualTo(202);
		JsonNode run = this.syncs.await(this.company, started.json().path("id").asString());
		assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("succeeded");
	}

}
