package io.rollcall.okta;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import io.rollcall.emulators.http.Faults;
import io.rollcall.emulators.okta.GeneratedOrg;
import io.rollcall.emulators.okta.OktaEmulator;
import io.rollcall.emulators.okta.OktaErrors;
import io.rollcall.emulators.okta.OktaOrg;
import io.rollcall.emulators.okta.OktaUser;
import io.rollcall.emulators.okta.OrgSpec;
import io.rollcall.mapping.SourceRecord;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.SsoFlow;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.SourcePeople;
import io.rollcall.support.Syncs;
import io.rollcall.support.TestClock;
import io.rollcall.sync.RunStatus;
import io.rollcall.sync.Source;
import io.rollcall.sync.SyncRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.rollcall.support.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Okta connector end to end, over HTTP against the Okta emulator: full syncs of the app's users, event hooks
 * (with duplicates, reordering and wrong secrets), matching by e-mail, rate limits, and pictures fetched safely.
 */
class OktaSyncTests extends IntegrationTest {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	OktaJobs jobs;

	@Autowired
	TestClock clock;

	@Autowired
	OktaEvents events;

	@Autowired
	OktaSource source;

	private OktaEmulator okta;

	private OktaOrg org;

	private TestCompany company;

	private SourcePeople people;

	private Syncs syncs;

	private String hookSecret;

	@BeforeEach
	void connect() {
		this.okta = OktaEmulator.start(OktaEmulator.Options.defaults()
			.rateLimitWindow(Duration.ofSeconds(2))
			.hookBatchWindow(Duration.ofMillis(5)));
		this.org = this.okta.org();
		this.company = this.client.createCompany();
		this.people = new SourcePeople(this.jdbc, this.company, "okta");
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

	@Test
	void syncWhenAppUsersThenAssignedPeopleArriveWithMappedFieldsManagersAndPictures() throws Exception {
		GeneratedOrg generated = this.org.generate(OrgSpec.people(40)
			.withPictureShare(0.3)
			.withSuspendedShare(0.1)
			.withDomain(this.company.slug() + ".example"));
		setUp(true);

		JsonNode run = sync();

		assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("succeeded");
		List<OktaUser> assigned = generated.assignedUserIds()
			.stream()
			.map(id -> this.org.user(id).orElseThrow())
			.toList();
		Map<String, String> personByUser = new HashMap<>();
		for (OktaUser user : assigned) {
			Map<String, String> row = this.people.row(user.id());
			if (user.status().equals("SUSPENDED")) {
				assertThat(row == null || !"active".equals(row.get("status"))).as("suspended " + user.login()).isTrue();
				continue;
			}
			assertThat(row).as(user.login()).isNotNull();
			personByUser.put(user.id(), row.get("id"));
			assertThat(row.get("email")).isEqualToIgnoringCase(user.email());
			assertThat(row.get("first_name")).isEqualTo(user.profile("firstName"));
			assertThat(row.get("last_name")).isEqualTo(user.profile("lastName"));
			assertThat(row.get("title")).isEqualTo(user.profile("honorificPrefix"));
			assertThat(row.get("job_title")).isEqualTo(user.profile("title"));
			assertThat(row.get("location")).isEqualTo(user.profile("city"));
			assertThat(row.get("language")).isEqualToIgnoringCase(user.profile("preferredLanguage"));
			assertThat(row.get("team")).isEqualTo(user.profile("department"));
			assertThat(row.get("avatar_url") != null).as("avatar of " + user.login())
				.isEqualTo(user.profile("pictureUrl") != null);
			assertThat(row.get("status")).isEqualTo("active");
		}
		for (OktaUser user : assigned) {
			if (personByUser.containsKey(user.id()) && user.profile("managerId") != null) {
				assertThat(this.people.row(user.id()).get("override_manager_id")).as("manager of " + user.login())
					.isEqualTo(personByUser.get(user.profile("managerId")));
			}
		}
		for (String id : generated.userIds()) {
			if (!generated.assignedUserIds().contains(id)) {
				assertThat(this.people.row(id)).as("not assigned").isNull();
			}
		}
		// The picture is served as the avatar, byte for byte.
		OktaUser pictured = assigned.stream()
			.filter(u -> u.profile("pictureUrl") != null && u.active())
			.findFirst()
			.orElseThrow();
		String avatar = this.people.row(pictured.id()).get("avatar_url");
		HttpResponse<byte[]> image = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(avatar.replace(this.company.slug() + ".localhost", "127.0.0.1")))
				.header("Host", this.company.slug() + ".localhost")
				.build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(image.statusCode()).isEqualTo(200);
		byte[] original = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(pictured.profile("pictureUrl"))).build(),
					HttpResponse.BodyHandlers.ofByteArray())
			.body();
		assertThat(image.body()).isEqualTo(original);

		long pictureFetches = pictureFetches();
		JsonNode again = sync();
		assertThat(again.path("counts").path("create").asInt()).isZero();
		assertThat(again.path("counts").path("update").asInt()).isZero();
		assertThat(pictureFetches()).as("unchanged picture URLs are not fetched again").isEqualTo(pictureFetches);
	}

	@Test
	void syncWhenPersonHasNoOktaIdThenMatchedByEmailAndLinked() {
		GeneratedOrg generated = this.org
			.generate(OrgSpec.people(5).withAssignedShare(1.0).withDomain(this.company.slug() + ".example"));
		OktaUser user = this.org.user(generated.assignedUserIds().get(2)).orElseThrow();
		Response created = this.client.api(this.company, "POST", "/api/v1/people",
				Map.of("email", user.email().toUpperCase(), "firstName", "Before", "lastName", "Okta"));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		String personId = created.json().path("id").asString();
		setUp(true);

		sync();

		Map<String, String> row = this.people.row(user.id());
		assertThat(row).isNotNull();
		assertThat(row.get("id")).isEqualTo(personId);
		assertThat(row.get("first_name")).isEqualTo(user.profile("firstName"));
		assertThat(this.jdbc.sql("select count(*) from person where company_id = :c and lower(email) = lower(:e)")
			.param("c", this.company.id())
			.param("e", user.email())
			.query(Integer.class)
			.single()).isEqualTo(1);
	}

	@Test
	void eventHookWhenAdminChangesThenPeopleFollowWithinSeconds() {
		GeneratedOrg generated = this.org.generate(OrgSpec.people(12)
			.withAssignedShare(1.0)
			.withSuspendedShare(0)
			.withPictureShare(0)
			.withDomain(this.company.slug() + ".example"));
		setUp(true);
		registerHook();
		sync();
		String someone = generated.assignedUserIds().get(5);

		this.org.updateProfile(someone, Map.of("title", "Chief Cartographer", "city", "Lisbon"));
		await(() -> "Chief Cartographer".equals(this.people.row(someone).get("job_title")));
		assertThat(this.people.row(someone).get("location")).isEqualTo("Lisbon");

		OktaUser newcomer = this.org
			.createUser(Map.of("email", "nia@" + this.company.slug() + ".example", "firstName", "Nia",
					"lastName", "Okoro", "department", "Research"), true);
		assertThat(this.people.row(newcomer.id())).as("not assigned yet").isNull();
		this.org.assign(newcomer.id());
		await(() -> this.people.row(newcomer.id()) != null
				&& "active".equals(this.people.row(newcomer.id()).get("status")));
		assertThat(this.people.row(newcomer.id()).get("team")).isEqualTo("Research");

		this.org.unassign(newcomer.id());
		await(() -> "deactivated".equals(this.people.row(newcomer.id()).get("status")));

		this.org.suspend(someone);
		await(() -> "deactivated".equals(this.people.row(someone).get("status")));
		this.org.unsuspend(someone);
		await(() -> "active".equals(this.people.row(someone).get("status")));
		this.org.deactivate(someone);
		await(() -> "deactivated".equals(this.people.row(someone).get("status")));

		String other = generated.assignedUserIds().get(7);
		this.org.deleteUser(other);
		await(() -> "deactivated".equals(this.people.row(other).get("status")));
		// Incremental runs deactivate only the people they saw leave.
		assertThat(this.people.activeCount()).isEqualTo(10);
	}

	/**
	 * Seed 001: provisioning and single sign-on work apart or together. The org signs people in through an app of its
	 * own and provisions through the Rollcall app. A person made by hand, not in the Rollcall app, who signs in with
	 * Okta is linked to their Okta id by the sign-in alone: neither the event hooks (a profile update, the sign-in app's
	 * assignments) nor a full sync make them the sync's to remove or to write. Once the Rollcall app has them, the sync
	 * adopts them by that same id, and from then on they leave with it.
	 */
	@Test
	void syncWhenPersonOutsideTheAppOnlySignedInWithOktaThenKeptUntilTheAppAdoptsThemAndDeactivatedWhenUnassigned() {
		this.org.generate(OrgSpec.people(4)
			.withAssignedShare(1.0)
			.withSuspendedShare(0)
			.withPictureShare(0)
			.withDomain(this.company.slug() + ".example"));
		setUp(true);
		registerHook();
		sync();
		OktaUser user = this.org.createUser(Map.of("email", "handmade@" + this.company.slug() + ".example", "firstName",
				"Hana", "lastName", "Handmade"), true);
		UUID person = createPerson(user.email());
		OktaOrg.OktaApp signInApp = this.org.createApp();
		this.org.assign(signInApp.id(), user.id());
		awaitEventsHandled();
		useOktaSignIn(signInApp);

		SsoFlow.signIn(this.port, this.company, user.login());

		assertThat(this.people.row(user.id()).get("id")).isEqualTo(person.toString());
		assertThat(SsoFlow.linkedBy(this.jdbc, person, "okta")).isEqualTo("sign-in");
		this.org.updateProfile(user.id(), Map.of("title", "Consultant"));
		this.org.unassign(signInApp.id(), user.id());
		this.org.assign(signInApp.id(), user.id());
		awaitEventsHandled();
		assertThat(this.people.row(user.id()).get("status")).isEqualTo("active");
		assertThat(this.people.row(user.id()).get("job_title")).as("not provisioned: not written by the sync").isNull();
		JsonNode full = sync();
		assertThat(full.path("counts").path("deactivate").asInt()).as(full.toString()).isZero();
		assertThat(this.people.row(user.id()).get("status")).isEqualTo("active");
		assertThat(SsoFlow.linkedBy(this.jdbc, person, "okta")).isEqualTo("sign-in");

		this.org.assign(user.id());

		await(() -> "sync".equals(SsoFlow.linkedBy(this.jdbc, person, "okta")));
		assertThat(this.people.row(user.id()).get("id")).as("adopted, not created again").isEqualTo(person.toString());
		assertThat(this.people.row(user.id()).get("job_title")).isEqualTo("Consultant");
		assertThat(this.people.row(user.id()).get("status")).isEqualTo("active");

		this.org.unassign(user.id());

		await(() -> "deactivated".equals(this.people.row(user.id()).get("status")));
		assertThat(SsoFlow.linkHistory(this.jdbc, person)).containsExactly("identity_linked: - -> sign-in",
				"linked: sign-in -> sync");
	}

	/**
	 * Okta's hooks tell of every app's assignments. Someone the Rollcall app provisions, removed from the app the org
	 * signs people in with, is still in the Rollcall app: not a departure.
	 */
	@Test
	void eventHookWhenProvisionedPersonLeavesAnotherAppOfTheOrgThenStillActive() {
		GeneratedOrg generated = this.org.generate(OrgSpec.people(4)
			.withAssignedShare(1.0)
			.withSuspendedShare(0)
			.withPictureShare(0)
			.withDomain(this.company.slug() + ".example"));
		setUp(true);
		registerHook();
		sync();
		String id = generated.assignedUserIds().get(2);
		OktaOrg.OktaApp signInApp = this.org.createApp();

		this.org.assign(signInApp.id(), id);
		this.org.unassign(signInApp.id(), id);
		awaitEventsHandled();

		assertThat(this.people.row(id).get("status")).isEqualTo("active");
		assertThat(this.people.activeCount()).isEqualTo(4);
	}

	@Test
	void eventHookWhenOktaUnreachableLongerThanTheRetriesThenChangeArrivesOnceItIsBackWithoutAManualSync() {
		GeneratedOrg generated = this.org.generate(OrgSpec.people(8)
			.withAssignedShare(1.0)
			.withSuspendedShare(0)
			.withPictureShare(0)
			.withDomain(this.company.slug() + ".example"));
		setUp(true);
		registerHook();
		sync();
		String someone = generated.assignedUserIds().get(3);
		String leaver = generated.assignedUserIds().get(4);
		this.okta.faults().dropShare(1.0); // every API request's connection is closed unanswered

		this.org.updateProfile(someone, Map.of("title", "Harbour Master"));
		this.org.unassign(leaver);

		// The events' run fails after the client's retries, and is tried again; meanwhile the page says so.
		JsonNode failing = this.syncs.awaitProblem(this.company, "okta", 2);
		assertThat(failing.path("problem").path("message").asString()).contains("Okta");
		assertThat(failing.path("problem").path("since").isNull()).isFalse();
		assertThat(failing.path("changesWaiting").asLong()).isGreaterThanOrEqualTo(2);
		assertThat(this.people.row(someone).get("job_title")).isNotEqualTo("Harbour Master");
		assertThat(this.people.row(leaver).get("status")).isEqualTo("active");
		// A change made meanwhile joins the waiting run, so that its next attempt brings it in too.
		String other = generated.assignedUserIds().get(5);
		this.org.updateProfile(other, Map.of("title", "Lighthouse Keeper"));
		String failingRun = failing.path("problem").path("runId").asString();
		await(() -> this.syncs.await(this.company, failingRun).path("options").toString().contains(other));

		this.okta.faults().reset(); // Okta is back

		await(() -> "Harbour Master".equals(this.people.row(someone).get("job_title"))
				&& "deactivated".equals(this.people.row(leaver).get("status"))
				&& "Lighthouse Keeper".equals(this.people.row(other).get("job_title")));
		assertThat(this.syncs.await(this.company, failingRun).path("status").asString()).isEqualTo("succeeded");
		JsonNode healthy = this.client.api(this.company, "GET", "/api/v1/integrations/okta").json().path("sync");
		assertThat(healthy.path("problem").isNull()).isTrue();
		assertThat(healthy.path("changesWaiting").asLong()).isZero();
		int fullRuns = 0;
		for (JsonNode run : this.client.api(this.company, "GET", "/api/v1/integrations/okta/sync-runs?limit=50")
			.json()) {
			fullRuns += run.path("options").path("mode").asString().equals("incremental") ? 0 : 1;
		}
		assertThat(fullRuns).as("the first sync only: no manual sync brought the changes in").isEqualTo(1);
		assertThat(this.people.activeCount()).isEqualTo(7);
	}

	@Test
	void eventHookWhenDuplicatedAndReorderedThenRightFinalState() {
		GeneratedOrg generated = this.org.generate(OrgSpec.people(8)
			.withAssignedShare(1.0)
			.withSuspendedShare(0)
			.withPictureShare(0)
			.withDomain(this.company.slug() + ".example"));
		setUp(true);
		registerHook();
		sync();
		String a = generated.assignedUserIds().get(3);
		String b = generated.assignedUserIds().get(4);
		this.okta.hookFaults().duplicateShare(1.0).reorderShare(1.0);

		this.org.suspend(a);
		this.org.unsuspend(a);
		this.org.updateProfile(a, Map.of("title", "Final title"));
		this.org.unassign(b);
		this.org.assign(b);
		this.org.updateProfile(b, Map.of("city", "Oslo"));
		assertThat(this.org.awaitDeliveries(Duration.ofSeconds(10))).isTrue();

		await(() -> "Final title".equals(this.people.row(a).get("job_title"))
				&& "Oslo".equals(this.people.row(b).get("location")));
		awaitNoPendingEvents();
		assertThat(this.people.row(a).get("status")).isEqualTo("active");
		assertThat(this.people.row(b).get("status")).isEqualTo("active");
		long events = this.jdbc.sql("select count(*) from okta_event where company_id = :c")
			.param("c", this.company.id())
			.query(Long.class)
			.single();
		assertThat(events).as("each event recorded once, duplicates dropped").isEqualTo(6);
	}

	@Test
	void eventHookWhenOlderEventArrivesLateThenItChangesNothing() {
		GeneratedOrg generated = this.org.generate(OrgSpec.people(4)
			.withAssignedShare(1.0)
			.withSuspendedShare(0)
			.withPictureShare(0)
			.withDomain(this.company.slug() + ".example"));
		setUp(true);
		sync();
		String id = generated.assignedUserIds().get(1);
		Instant now = Instant.now();

		assertThat(deliver(this.hookSecret, event("e-new", now, "user.lifecycle.unsuspend", id)).status())
			.isEqualTo(200);
		awaitNoPendingEvents();
		assertThat(
				deliver(this.hookSecret, event("e-old", now.minusSeconds(30), "user.lifecycle.suspend", id)).status())
			.isEqualTo(200);
		assertThat(deliver(this.hookSecret, event("e-new", now, "user.lifecycle.unsuspend", id)).status())
			.isEqualTo(200);
		awaitNoPendingEvents();
		long runs = okTaRuns();

		assertThat(this.people.row(id).get("status")).isEqualTo("active");
		assertThat(okTaRuns()).isEqualTo(runs);
		assertThat(this.jdbc.sql("select count(*) from okta_event where company_id = :c and uuid = 'e-new'")
			.param("c", this.company.id())
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void eventHookWhenDeliveredThenAppliedWithoutWaitingForAPoll() {
		GeneratedOrg generated = this.org.generate(OrgSpec.people(4)
			.withAssignedShare(1.0)
			.withSuspendedShare(0)
			.withPictureShare(0)
			.withDomain(this.company.slug() + ".example"));
		setUp(true);
		registerHook();
		sync();
		String id = generated.assignedUserIds().get(2);
		long start = System.nanoTime();

		this.org.updateProfile(id, Map.of("title", "Night Editor"));

		// The tests' fallback poll is 10 minutes: only the receiver's wake-up can have started the run.
		await(() -> "Night Editor".equals(this.people.row(id).get("job_title")));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void eventHookWhenManyProfilesChangeThenReadTogetherAndMembershipChangesAsAppUsers() {
		GeneratedOrg generated = this.org.generate(OrgSpec.people(40)
			.withAssignedShare(1.0)
			.withSuspendedShare(0)
			.withPictureShare(0)
			.withDomain(this.company.slug() + ".example"));
		setUp(true);
		sync();
		List<String> changed = generated.assignedUserIds().subList(0, 30);
		long appUserCalls = appUserCalls();
		Instant now = Instant.now();
		List<Map<String, Object>> events = new java.util.ArrayList<>();
		for (int i = 0; i < changed.size(); i++) {
			this.org.updateProfile(changed.get(i), Map.of("title", "Cartographer " + i));
			events.add(event("profile-" + i, now.plusMillis(i), "user.account.update_profile", changed.get(i)));
		}
		events.add(event("assigned", now, "application.user_membership.add", generated.assignedUserIds().get(31)));

		assertThat(deliverAll(this.hookSecret, events).status()).isEqualTo(200);
		awaitNoPendingEvents();

		for (int i = 0; i < changed.size(); i++) {
			assertThat(this.people.row(changed.get(i)).get("job_title")).isEqualTo("Cartographer " + i);
		}
		// 30 profiles in one filtered list; only the membership change is read as an app user.
		assertThat(appUserCalls() - appUserCalls).isEqualTo(1);
	}

	@Test
	void eventHookWhenMembershipChangeArrivesAfterANewerProfileUpdateThenTheAssignmentIsReadAgain() {
		GeneratedOrg generated = this.org.generate(OrgSpec.people(4)
			.withAssignedShare(1.0)
			.withSuspendedShare(0)
			.withPictureShare(0)
			.withDomain(this.company.slug() + ".example"));
		setUp(true);
		sync();
		String id = generated.assignedUserIds().get(1);
		Instant removedAt = Instant.now();
		this.org.unassign(id);
		this.org.updateProfile(id, Map.of("title", "Leaving"));

		// The profile update comes first and is read with the filter, which cannot tell the user was unassigned.
		deliver(this.hookSecret, event("update", removedAt.plusSeconds(1), "user.account.update_profile", id));
		awaitNoPendingEvents();
		assertThat(this.people.row(id).get("job_title")).isEqualTo("Leaving");
		deliver(this.hookSecret, event("removed", removedAt, "application.user_membership.remove", id));
		awaitNoPendingEvents();

		assertThat(this.people.row(id).get("status")).isEqualTo("deactivated");
	}

	@Test
	void eventsWhenLeftByACrashedWorkerThenHandledAsTheWorkerStarts() {
		GeneratedOrg generated = this.org.generate(OrgSpec.people(4)
			.withAssignedShare(1.0)
			.withSuspendedShare(0)
			.withPictureShare(0)
			.withDomain(this.company.slug() + ".example"));
		setUp(true);
		sync();
		String id = generated.assignedUserIds().get(3);
		this.org.updateProfile(id, Map.of("title", "Harbour Master")); // no hook registered: Rollcall is not told
		this.events.stop(); // as if its node had crashed
		try {
			// Recorded by a receiver whose node died before its worker woke (or by another node): no wake-up comes.
			this.jdbc.sql("""
					insert into okta_event (company_id, uuid, published, event_type, user_id)
					values (:c, 'left-behind', now(), 'user.account.update_profile', :user)
					""").param("c", this.company.id()).param("user", id).update();
			pause(300);
			assertThat(this.people.row(id).get("job_title")).isNotEqualTo("Harbour Master");
		}
		finally {
			this.events.start();
		}

		await(() -> "Harbour Master".equals(this.people.row(id).get("job_title")));
		awaitNoPendingEvents();
	}

	@Test
	void eventHookWhenWrongSecretThen401AndNothingChanges() {
		GeneratedOrg generated = this.org.generate(OrgSpec.people(4)
			.withAssignedShare(1.0)
			.withSuspendedShare(0)
			.withPictureShare(0)
			.withDomain(this.company.slug() + ".example"));
		setUp(true);
		sync();
		String id = generated.assignedUserIds().get(1);
		this.org.suspend(id); // the truth in Okta, which a forged event must not make Rollcall look at

		Response wrong = deliver("okta_hook_wrong", event("forged", Instant.now(), "user.lifecycle.suspend", id));
		Response none = deliver(null, event("forged2", Instant.now(), "user.lifecycle.suspend", id));

		assertThat(wrong.status()).isEqualTo(401);
		assertThat(none.status()).isEqualTo(401);
		assertThat(this.jdbc.sql("select count(*) from okta_event where company_id = :c")
			.param("c", this.company.id())
			.query(Long.class)
			.single()).isZero();
		pause(600);
		assertThat(this.people.row(id).get("status")).isEqualTo("active");
		// The verification challenge is echoed.
		Response challenge = this.client.send("GET", "127.0.0.1", "/hooks/okta", null, null);
		assertThat(challenge.status()).isEqualTo(400);
	}

	@Test
	void eventHookWhenWrongSecretOnTheCompanysOwnAddressThenCountedInRejectedDeliveries() {
		this.org.generate(OrgSpec.people(2)
			.withAssignedShare(1.0)
			.withSuspendedShare(0)
			.withPictureShare(0)
			.withDomain(this.company.slug() + ".example"));
		setUp(true);
		String host = this.company.slug() + ".localhost";
		String someone = this.org.assignedUserIds().get(0);

		Response wrong = this.client.send("POST", host, "/hooks/okta", "okta_hook_wrong",
				hookBody(List.of(event("w1", Instant.now(), "user.lifecycle.suspend", someone))));
		Response none = this.client.send("POST", host, "/hooks/okta", null,
				hookBody(List.of(event("w2", Instant.now(), "user.lifecycle.suspend", someone))));
		Response right = this.client.send("POST", host, "/hooks/okta", this.hookSecret,
				hookBody(List.of(event("r1", Instant.now(), "user.account.update_profile", someone))));
		Response elsewhere = deliver("okta_hook_wrong", event("w3", Instant.now(), "user.lifecycle.suspend", someone));

		assertThat(wrong.status()).isEqualTo(401);
		assertThat(none.status()).isEqualTo(401);
		assertThat(right.status()).isEqualTo(200);
		assertThat(elsewhere.status()).isEqualTo(401);
		JsonNode setup = this.client.api(this.company, "GET", "/api/v1/integrations/okta").json();
		assertThat(setup.path("rejectedDeliveries").asLong()).as("the two refused on this company's address, only they")
			.isEqualTo(2);
		assertThat(setup.toString()).doesNotContain("okta_hook_wrong");
	}

	@Test
	void eventHookWhenAppUserReadAnswersE0000022ThenRunFailsNamingItAndNobodyIsDeactivated() {
		appUserReadFailsAndNobodyIsDeactivated(OktaErrors.E0000022, "endpoint does not support");
	}

	@Test
	void eventHookWhenAppUserReadAnswersE0000006ThenRunFailsNamingItAndNobodyIsDeactivated() {
		appUserReadFailsAndNobodyIsDeactivated(OktaErrors.E0000006, "permission");
	}

	@Test
	void eventHookWhenAppUserReadAnswersE0000007ForAnotherResourceThenRunFailsAndNobodyIsDeactivated() {
		// E0000007 about the app (a wrong app id), not the user: it says nothing about whether they are assigned.
		appUserReadFailsAndNobodyIsDeactivated(OktaErrors.E0000007(this.org.appId(), "AppInstance"), "AppInstance");
	}

	@Test
	void eventHookWhenOktaSaysTheUserIsNotAssignedThenDeactivatedAsBefore() {
		GeneratedOrg generated = this.org.generate(OrgSpec.people(4)
			.withAssignedShare(1.0)
			.withSuspendedShare(0)
			.withPictureShare(0)
			.withDomain(this.company.slug() + ".example"));
		setUp(true);
		sync();
		String id = generated.assignedUserIds().get(2);
		this.org.unassign(id); // no hook registered: Rollcall learns it only from the app-user read

		assertThat(deliver(this.hookSecret, event("changed", Instant.now(), "application.user_membership.add", id))
			.status())
			.isEqualTo(200);

		await(() -> "deactivated".equals(this.people.row(id).get("status")));
		assertThat(this.people.activeCount()).isEqualTo(3);
	}

	/**
	 * An event makes Rollcall read the person as the app's user, and Okta answers {@code error}: the run does not
	 * succeed (failed, or retrying once failed runs are retried), its error names Okta's code, and nobody leaves.
	 */
	private void appUserReadFailsAndNobodyIsDeactivated(Faults.ErrorAnswer error, String said) {
		GeneratedOrg generated = this.org.generate(OrgSpec.people(6)
			.withAssignedShare(1.0)
			.withSuspendedShare(0)
			.withPictureShare(0)
			.withDomain(this.company.slug() + ".example"));
		setUp(true);
		sync();
		int active = this.people.activeCount();
		String id = generated.assignedUserIds().get(3);
		long runs = okTaRuns();
		this.okta.faults().answer(OktaErrors.APP_USER, error);

		assertThat(deliver(this.hookSecret, event("changed", Instant.now(), "application.user_membership.add", id))
			.status())
			.isEqualTo(200);

		JsonNode run = awaitUnsuccessfulRun(runs);
		assertThat(run.path("error").asString()).as(run.toString())
			.contains("Okta answered " + error.code())
			.contains("/api/v1/apps/" + this.org.appId() + "/users/" + id)
			.containsIgnoringCase(said)
			.doesNotContain(this.org.apiToken());
		assertThat(run.path("counts").path("deactivate").asInt()).isZero();
		assertThat(this.okta.counters().get("errorAnswers")).isPositive();
		assertThat(this.people.row(id).get("status")).isEqualTo("active");
		assertThat(this.people.activeCount()).isEqualTo(active);
	}

	@Test
	void syncWhenRateLimitedThenCompletesCorrectly() {
		this.org.generate(OrgSpec.people(1050)
			.withAssignedShare(1.0)
			.withSuspendedShare(0)
			.withPictureShare(0)
			.withDomain(this.company.slug() + ".example"));
		setUp(true);
		this.okta.rateLimit(1);
		this.okta.faults().throttleShare(0.3);

		JsonNode run = sync();

		assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("succeeded");
		assertThat(this.people.activeCount()).isEqualTo(1050);
		assertThat(this.okta.counters().get("throttled")).isPositive();
		assertThat(this.okta.counters().requests("GET", "/api/v1/apps/" + this.org.appId() + "/users"))
			.isGreaterThan(3);
	}

	@Test
	void syncWhenPlanningIsSlowThenLaterPagesAreReadAheadAndEveryUserIsPlannedOnceInOktasOrder() {
		GeneratedOrg generated = this.org.generate(OrgSpec.people(6_000)
			.withAssignedShare(1.0)
			.withSuspendedShare(0)
			.withPictureShare(0)
			.withDomain(this.company.slug() + ".example"));
		setUp(true);
		String pages = "/api/v1/apps/" + this.org.appId() + "/users";
		List<String> planned = new ArrayList<>();
		long[] readWhileFirstPlanned = new long[1];
		Source.RecordSink slowPlan = new Source.RecordSink() {
			@Override
			public void record(SourceRecord record, String position) {
				if (planned.isEmpty()) {
					// The first user takes long to plan: meanwhile the next pages are read, and only a few.
					await(() -> OktaSyncTests.this.okta.counters().requests("GET", pages) >= 4);
					pause(300);
					readWhileFirstPlanned[0] = OktaSyncTests.this.okta.counters().requests("GET", pages);
				}
				planned.add(record.externalId());
			}

			@Override
			public void problem(String position, String message) {
				throw new AssertionError(position + ": " + message);
			}
		};

		this.source.read(new SyncRun(UUID.randomUUID(), this.company.id(), OktaSource.KIND, true, RunStatus.PLANNING,
				"test", null, Map.of(), Map.of(), 0, 0, null, null, null, Instant.now(), Instant.now(), null, 0, null,
				null), slowPlan);

		// The page being planned, the pages waiting, the one made into records meanwhile, and the next one's fetch.
		assertThat(readWhileFirstPlanned[0]).isBetween(4L, 1L + OktaSource.PAGES_AHEAD + 2);
		assertThat(this.okta.counters().requests("GET", pages)).isEqualTo(12);
		assertThat(planned).containsExactlyElementsOf(generated.assignedUserIds().stream().sorted().toList());
	}

	@Test
	void syncWhenAPageFailsWhileLaterOnesAreReadAheadThenRunFailsChangingNothingAndItsRetryLosesNobody() {
		this.org.generate(OrgSpec.people(3_000)
			.withAssignedShare(1.0)
			.withSuspendedShare(0)
			.withPictureShare(0)
			.withDomain(this.company.slug() + ".example"));
		setUp(true);
		// Pages 1 to 3 are read; from the 4th on Okta fails every request, past the client's retries.
		this.okta.faults().outageAfter(3);

		this.syncs.failedMidwayThenRetried(this.company, "okta", this.people, () -> this.okta.faults().reset(), 3_000,
				Duration.ofSeconds(60), "Okta did not answer GET /api/v1/apps/");
	}

	@Test
	void syncWhenPictureUrlIsPrivateAddressThenNotFetched() {
		GeneratedOrg generated = this.org.generate(OrgSpec.people(6)
			.withAssignedShare(1.0)
			.withSuspendedShare(0)
			.withPictureShare(1.0)
			.withDomain(this.company.slug() + ".example"));
		setUp(false);

		JsonNode run = sync();

		assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("succeeded");
		assertThat(pictureFetches()).isZero();
		for (String id : generated.assignedUserIds()) {
			assertThat(this.people.row(id).get("status")).isEqualTo("active");
			assertThat(this.people.row(id).get("avatar_url")).isNull();
		}
		JsonNode plan = this.syncs.plan(this.company, run.path("id").asString());
		assertThat(plan.toString()).contains("private or local address");
	}

	@Test
	void setUpWhenInvalidThenClearErrorAndSecretsNeverShown() {
		Response bad = this.client.api(this.company, "PUT", "/api/v1/integrations/okta",
				Map.of("orgUrl", "ftp://nope", "apiToken", "x", "appId", "0oa1"));
		assertThat(bad.status()).isEqualTo(400);
		assertThat(bad.json().path("field").asString()).isEqualTo("orgUrl");
		Response noApp = this.client.api(this.company, "PUT", "/api/v1/integrations/okta",
				Map.of("orgUrl", this.org.orgUrl(), "apiToken", this.org.apiToken(), "appId", "not an id"));
		assertThat(noApp.json().path("field").asString()).isEqualTo("appId");

		Response saved = setUp(true);
		assertThat(saved.body()).doesNotContain(this.org.apiToken());
		assertThat(saved.json().path("apiToken").asString()).isEqualTo("set");
		Response later = this.client.api(this.company, "GET", "/api/v1/integrations/okta");
		assertThat(later.json().path("eventHookSecret").isNull()).isTrue();
		assertThat(later.json().path("eventHookSecretSet").asBoolean()).isTrue();
		String sealed = this.jdbc.sql("select api_token from okta_connection where company_id = :c")
			.param("c", this.company.id())
			.query(String.class)
			.single();
		assertThat(sealed).doesNotContain(this.org.apiToken());

		Response rotated = this.client.api(this.company, "POST", "/api/v1/integrations/okta/hook-secret");
		String newSecret = rotated.json().path("eventHookSecret").asString();
		assertThat(newSecret).isNotEqualTo(this.hookSecret);
		assertThat(deliver(this.hookSecret, event("x", Instant.now(), "user.lifecycle.create", "00u1")).status())
			.isEqualTo(401);
		assertThat(deliver(newSecret, event("x", Instant.now(), "user.lifecycle.create", "00u1")).status())
			.isEqualTo(200);
	}

	@Test
	void syncWhenServiceAppCredentialsThenBearerTokenReadsTheApp() {
		this.org.generate(OrgSpec.people(5)
			.withAssignedShare(1.0)
			.withSuspendedShare(0)
			.withPictureShare(0)
			.withDomain(this.company.slug() + ".example"));
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("orgUrl", this.org.orgUrl());
		body.put("authMethod", "oauth");
		body.put("clientId", this.org.serviceClientId());
		body.put("clientSecret", this.org.serviceClientSecret());
		body.put("appId", this.org.appId());
		Response saved = this.client.api(this.company, "PUT", "/api/v1/integrations/okta", body);
		assertThat(saved.status()).as(saved.body()).isEqualTo(200);

		JsonNode run = sync();

		assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("succeeded");
		assertThat(this.people.activeCount()).isEqualTo(5);
		assertThat(this.okta.counters().get("tokensIssued")).isEqualTo(1);
	}

	@Test
	void dailySyncWhenItsTimeComesThenOneFullRunADay() {
		this.org.generate(OrgSpec.people(3)
			.withAssignedShare(1.0)
			.withSuspendedShare(0)
			.withPictureShare(0)
			.withDomain(this.company.slug() + ".example"));
		setUp(true);
		long before = okTaRuns();
		this.jobs.startDailySyncs();
		assertThat(okTaRuns()).as("not on the day of the set-up").isEqualTo(before);

		this.clock.advance(Duration.ofDays(1));
		// At 03:00 UTC or later on the next day, once.
		java.time.ZonedDateTime now = this.clock.instant().atZone(java.time.ZoneOffset.UTC);
		if (now.getHour() < 3) {
			this.clock.advance(Duration.ofHours(3 - now.getHour()));
		}
		this.jobs.startDailySyncs();
		this.jobs.startDailySyncs();

		assertThat(okTaRuns()).isEqualTo(before + 1);
		await(() -> this.people.activeCount() == 3);
	}

	// ---- helpers ----

	private Response setUp(boolean allowPrivatePictures) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("orgUrl", this.org.orgUrl());
		body.put("apiToken", this.org.apiToken());
		body.put("appId", this.org.appId());
		body.put("assignManagers", true);
		body.put("invitationPolicy", "never");
		body.put("allowPrivatePictures", allowPrivatePictures);
		Response saved = this.client.api(this.company, "PUT", "/api/v1/integrations/okta", body);
		assertThat(saved.status()).as(saved.body()).isEqualTo(200);
		if (saved.json().hasNonNull("eventHookSecret")) {
			this.hookSecret = saved.json().path("eventHookSecret").asString();
		}
		return saved;
	}

	/** Okta single sign-on through the org's own sign-in app. */
	private void useOktaSignIn(OktaOrg.OktaApp app) {
		Response saved = this.client.api(this.company, "PUT", "/api/v1/integrations/sso",
				Map.of("provider", "okta", "authority", this.org.orgUrl(), "clientId", app.id(), "clientSecret",
						app.clientSecret()));
		assertThat(saved.status()).as(saved.body()).isEqualTo(200);
	}

	private UUID createPerson(String email) {
		Response created = this.client.api(this.company, "POST", "/api/v1/people",
				Map.of("email", email, "firstName", "Hand"));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return UUID.fromString(created.json().path("id").asString());
	}

	/** Okta has delivered every event so far, and Rollcall has handled them (no event waiting, no run going). */
	private void awaitEventsHandled() {
		assertThat(this.org.awaitDeliveries(Duration.ofSeconds(10))).isTrue();
		awaitNoPendingEvents();
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

	private Response deliver(String authorization, Map<String, Object> event) {
		Map<String, Object> body = Map.of("eventType", "com.okta.event_hook", "eventTypeVersion", "1.0",
				"cloudEventsVersion", "0.1",
				"eventId", UUID.randomUUID().toString(), "data", Map.of("events", List.of(event)));
		return this.client.send("POST", "127.0.0.1", "/hooks/okta", authorization, body);
	}

	private static Map<String, Object> hookBody(List<Map<String, Object>> events) {
		return Map.of("eventType", "com.okta.event_hook", "eventTypeVersion", "1.0", "cloudEventsVersion", "0.1",
				"eventId", UUID.randomUUID().toString(), "data", Map.of("events", events));
	}

	/** Statuses of a run that did not succeed: {@code failed}, or {@code retrying} where failed runs are retried. */
	private static final Set<String> UNSUCCESSFUL = Set.of("failed", "retrying");

	/** Where a run ends, or rests until it is tried again. */
	private static final Set<String> ENDED = Set.of("succeeded", "failed", "retrying", "held");

	/**
	 * The newest Okta run, once a run newer than the first {@code runsBefore} has ended, checked to have ended without
	 * success.
	 */
	private JsonNode awaitUnsuccessfulRun(long runsBefore) {
		await(() -> okTaRuns() > runsBefore && ENDED.contains(latestRun().path("status").asString()));
		JsonNode run = latestRun();
		assertThat(run.path("status").asString()).as(run.toString()).isIn(UNSUCCESSFUL);
		return run;
	}

	private JsonNode latestRun() {
		return this.client.api(this.company, "GET", "/api/v1/integrations/okta/sync-runs?limit=1").json().get(0);
	}

	private Response deliverAll(String authorization, List<Map<String, Object>> events) {
		Map<String, Object> body = Map.of("eventType", "com.okta.event_hook", "eventTypeVersion", "1.0",
				"cloudEventsVersion", "0.1",
				"eventId", UUID.randomUUID().toString(), "data", Map.of("events", events));
		return this.client.send("POST", "127.0.0.1", "/hooks/okta", authorization, body);
	}

	private long appUserCalls() {
		return this.okta.counters()
			.requests(key -> key.startsWith("GET /api/v1/apps/") && key.matches(".*/users/[^/]+$"));
	}

	private static Map<String, Object> event(String uuid, Instant published, String type, String userId) {
		return Map.of("uuid", uuid, "published", published.toString(), "eventType", type, "displayMessage", type,
				"outcome", Map.of("result", "SUCCESS"), "target", List.of(Map.of("id", userId, "type", "User")));
	}

	private void awaitNoPendingEvents() {
		await(() -> this.jdbc.sql("select count(*) from okta_event where company_id = :c and processed_at is null")
			.param("c", this.company.id())
			.query(Long.class)
			.single() == 0
				&& this.jdbc.sql(
						"select count(*) from sync_run where company_id = :c and status not in ('succeeded', 'failed', 'previewed', 'held', 'discarded')")
					.param("c", this.company.id())
					.query(Long.class)
					.single() == 0);
	}

	private long okTaRuns() {
		return this.jdbc.sql("select count(*) from sync_run where company_id = :c and source = 'okta'")
			.param("c", this.company.id())
			.query(Long.class)
			.single();
	}

	private long pictureFetches() {
		return this.okta.counters().requestsUnder("/_emulator/pictures/");
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
