package io.rollcall.okta;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.rollcall.connector.HookAdmission;
import io.rollcall.emulators.okta.GeneratedOrg;
import io.rollcall.emulators.okta.OktaEmulator;
import io.rollcall.emulators.okta.OktaOrg;
import io.rollcall.emulators.okta.OrgSpec;
import io.rollcall.support.BusyHooks;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.SourcePeople;
import io.rollcall.support.Syncs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.rollcall.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Okta's event hooks on a node whose webhook turns are all taken: a delivery waits its second and is refused 503
 * with Retry-After, recording nothing; one whose turn comes in time is recorded; and a change whose hook Okta gave up
 * on after its one retry still arrives, by the catch-up run the refusals scheduled.
 */
class OktaHookAdmissionTests extends IntegrationTest {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	HookAdmission admission;

	@Autowired
	MeterRegistry meters;

	@Autowired
	OktaHookAdmission hooks;

	private OktaEmulator okta;

	private OktaOrg org;

	private TestCompany company;

	private SourcePeople people;

	private Syncs syncs;

	private String hookSecret;

	@BeforeEach
	void connect() {
		this.okta = OktaEmulator.start(OktaEmulator.Options.defaults().hookBatchWindow(Duration.ofMillis(5)));
		this.org = this.okta.org();
		this.company = this.client.createCompany();
		this.people = new SourcePeople(this.jdbc, this.company, "okta");
		this.syncs = new Syncs(this.client, this.port);
	}

	@AfterEach
	void stop() {
		this.syncs.discardRetrying(this.company, "okta");
		this.okta.close();
		this.jdbc.sql("delete from okta_connection where company_id = :c").param("c", this.company.id()).update();
	}

	@Test
	void receiveWhenEveryTurnTakenThenWaitsItsSecondAndIsRefused503WithRetryAfterAndRecordsNothing() throws Exception {
		setUp();
		double refusedBefore = refusedCount();
		String uuid = UUID.randomUUID().toString();

		Response answer;
		Duration took;
		Response verification;
		try (BusyHooks busy = BusyHooks.take(this.admission)) {
			Instant sent = Instant.now();
			answer = deliver(uuid);
			took = Duration.between(sent, Instant.now());
			verification = this.client.send("GET", "127.0.0.1", "/hooks/okta?x=1", null, null);
		}

		assertThat(answer.status()).isEqualTo(503);
		assertThat(answer.header("Retry-After")).isEqualTo("2");
		assertThat(took).as("waited for a turn, and answered well within Okta's 3 s")
			.isGreaterThanOrEqualTo(Duration.ofMillis(900))
			.isLessThan(Duration.ofMillis(2500));
		assertThat(recorded(uuid)).isZero();
		assertThat(refusedCount()).isEqualTo(refusedBefore + 1);
		// The one-time verification reads nothing and takes no turn: it is answered (400 without its header) at once.
		assertThat(verification.status()).isEqualTo(400);
		// The turns are back: the same delivery now gets in.
		assertThat(deliver(uuid).status()).isEqualTo(200);
		assertThat(recorded(uuid)).isEqualTo(1);
		// Had Okta not retried, the company's people would be read again: a catch-up run follows the refusal.
		await(() -> catchUps() == 1);
	}

	@Test
	void receiveWhenATurnIsFreedWithinTheWaitThenTheWaitingDeliveryIsRecorded() throws Exception {
		setUp();
		String uuid = UUID.randomUUID().toString();
		CompletableFuture<Response> answer;
		try (BusyHooks busy = BusyHooks.take(this.admission)) {
			answer = CompletableFuture.supplyAsync(() -> deliver(uuid));
			await(Duration.ofSeconds(5), () -> this.admission.turns().waiting() == 1);
		}

		assertThat(answer.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
		assertThat(recorded(uuid)).isEqualTo(1);
	}

	@Test
	void receiveWhenManyRefusedThenOneCatchUpRunAndWhenSecretUnknownThenNone() throws Exception {
		setUp();
		List<String> jobsBefore = catchUpJobs();
		try (BusyHooks busy = BusyHooks.take(this.admission)) {
			List<CompletableFuture<Response>> answers = new java.util.ArrayList<>();
			for (int i = 0; i < 4; i++) {
				answers.add(CompletableFuture.supplyAsync(() -> deliver(UUID.randomUUID().toString())));
			}
			answers.add(CompletableFuture.supplyAsync(() -> this.client.send("POST", "127.0.0.1", "/hooks/okta",
					"okta_hook_not-a-secret-of-anyone", Map.of("data", Map.of("events", List.of())))));
			for (CompletableFuture<Response> answer : answers) {
				assertThat(answer.get(10, TimeUnit.SECONDS).status()).isEqualTo(503);
			}
		}
		this.hooks.catchUp().checkNow();

		List<String> made = catchUpJobs();
		made.removeAll(jobsBefore);
		assertThat(made).as("a job for this company at most: the unknown secret is no company's")
			.isSubsetOf(this.company.id().toString());
		// Its job is done once it has started the run, and none is left to start another.
		await(() -> catchUps() == 1 && !catchUpJobs().contains(this.company.id().toString()));
		assertThat(catchUps()).as("one run for the four refusals").isEqualTo(1);
	}

	@Test
	void hookWhenRefusedAndItsOneRetryRefusedThenTheCatchUpRunBringsEveryChange() throws Exception {
		GeneratedOrg generated = this.org.generate(OrgSpec.people(8)
			.withAssignedShare(1.0)
			.withSuspendedShare(0)
			.withPictureShare(0)
			.withDomain(this.company.slug() + ".example"));
		setUp();
		registerHook();
		sync();
		String someone = generated.assignedUserIds().get(3);
		String leaver = generated.assignedUserIds().get(4);
		long givenUp = this.okta.counters().get("hookGivenUp");

		try (BusyHooks busy = BusyHooks.take(this.admission)) {
			this.org.updateProfile(someone, Map.of("title", "Harbour Master"));
			this.org.unassign(leaver);
			assertThat(this.org.awaitDeliveries(Duration.ofSeconds(30))).isTrue();
			assertThat(this.okta.counters().get("hookGivenUp")).as("Okta gave up: refused, and its retry refused")
				.isGreaterThan(givenUp);
		}
		assertThat(this.jdbc.sql("select count(*) from okta_event where company_id = :c")
			.param("c", this.company.id())
			.query(Long.class)
			.single()).as("no event of the lost hooks was recorded").isZero();

		// No hook comes again and the daily sync is a day away: only the catch-up can bring these.
		await(() -> "Harbour Master".equals(this.people.row(someone).get("job_title"))
				&& "deactivated".equals(this.people.row(leaver).get("status")));
		assertThat(this.people.activeCount()).isEqualTo(7);
		assertThat(catchUps()).as("the run that brought them").isPositive();
	}

	// ---- helpers ----

	private void setUp() {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("orgUrl", this.org.orgUrl());
		body.put("apiToken", this.org.apiToken());
		body.put("appId", this.org.appId());
		body.put("invitationPolicy", "never");
		Response saved = this.client.api(this.company, "PUT", "/api/v1/integrations/okta", body);
		assertThat(saved.status()).as(saved.body()).isEqualTo(200);
		this.hookSecret = saved.json().path("eventHookSecret").asString();
	}

	private void registerHook() {
		String url = this.client.api(this.company, "GET", "/api/v1/integrations/okta")
			.json()
			.path("eventHookUrl")
			.asString();
		this.org.registerEventHook(url, this.hookSecret);
	}

	private void sync() {
		Response started = this.client.api(this.company, "POST", "/api/v1/integrations/okta/sync-runs", Map.of());
		assertThat(started.status()).as(started.body()).isEqualTo(202);
		this.syncs.await(this.company, started.json().path("id").asString());
	}

	private Response deliver(String uuid) {
		Map<String, Object> event = Map.of("uuid", uuid, "published", Instant.now().toString(), "eventType",
				"user.account.update_profile", "displayMessage", "update", "outcome", Map.of("result", "SUCCESS"),
				"target", List.of(Map.of("id", "00unobody" + uuid.substring(0, 8), "type", "User")));
		Map<String, Object> body = Map.of("eventType", "com.okta.event_hook", "eventTypeVersion", "1.0",
				"cloudEventsVersion", "0.1", "eventId", UUID.randomUUID().toString(), "data",
				Map.of("events", List.of(event)));
		return this.client.send("POST", "127.0.0.1", "/hooks/okta", this.hookSecret, body);
	}

	private long recorded(String uuid) {
		return this.jdbc.sql("select count(*) from okta_event where company_id = :c and uuid = :u")
			.param("c", this.company.id())
			.param("u", uuid)
			.query(Long.class)
			.single();
	}

	private long catchUps() {
		return this.jdbc.sql("select count(*) from sync_run where company_id = :c and requested_by = :by")
			.param("c", this.company.id())
			.param("by", "Okta catch-up after refused webhook deliveries")
			.query(Long.class)
			.single();
	}

	/** The companies whose catch-up job is queued or running, on any node. */
	private List<String> catchUpJobs() {
		return new java.util.ArrayList<>(this.jdbc
			.sql("select task_instance from scheduled_tasks where task_name = 'okta-hook-catch-up'")
			.query(String.class)
			.list());
	}

	private double refusedCount() {
		return this.meters.get("rollcall.hooks.refused").tag("provider", "okta").counter().count();
	}

}
