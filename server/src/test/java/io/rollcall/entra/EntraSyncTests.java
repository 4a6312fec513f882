package io.rollcall.entra;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import io.rollcall.emulators.entra.DirectorySpec;
import io.rollcall.emulators.entra.EntraEmulator;
import io.rollcall.emulators.entra.EntraTenant;
import io.rollcall.emulators.entra.EntraUser;
import io.rollcall.emulators.entra.GeneratedDirectory;
import io.rollcall.emulators.entra.GraphErrors;
import io.rollcall.emulators.entra.GraphSubscription;
import io.rollcall.emulators.http.Faults;
import io.rollcall.mapping.SourceRecord;
import io.rollcall.support.EntraSettings;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.SourcePeople;
import io.rollcall.support.SsoFlow;
import io.rollcall.support.Syncs;
import io.rollcall.support.TestClock;
import io.rollcall.sync.RunStatus;
import io.rollcall.sync.Source;
import io.rollcall.sync.SyncRun;
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
 * The Entra ID connector end to end, over HTTP against the Entra emulator: full syncs of nested groups, change
 * notifications turned into person updates, subscription upkeep and lifecycle events, throttling and failures.
 */
class EntraSyncTests extends IntegrationTest {

	private static final EntraEmulator ENTRA = EntraEmulator.start(EntraEmulator.Options.defaults()
		.notificationBatchWindow(Duration.ofMillis(10))
		.notificationRetryBackoff(Duration.ofMillis(200)));

	@Autowired
	JdbcClient jdbc;

	@Autowired
	EntraIntegration integration;

	@Autowired
	EntraJobs jobs;

	@Autowired
	TestClock clock;

	@Autowired
	EntraPhotoPass photoPass;

	@Autowired
	EntraSource source;

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
		this.directory = this.tenant.generate(DirectorySpec.people(60)
			.withOutsiders(4)
			.withDepartments(3)
			.withNesting(1, 2)
			.withPhotoShare(0.3)
			.withDisabledShare(0.1)
			.withDomain(this.company.slug() + ".example"));
		Response saved = setUp(this.tenant.clientSecret(), true, "never");
		assertThat(saved.status()).as(saved.body()).isEqualTo(200);
		assertThat(saved.json().path("clientSecret").asString()).isEqualTo("set");
		assertThat(saved.body()).doesNotContain(this.tenant.clientSecret());
		this.integration.authorised(this.company.id());
	}

	@AfterEach
	void resetFaults() {
		ENTRA.faults().reset();
		this.clock.reset();
		this.syncs.discardRetrying(this.company, "entra");
		// Its tenant goes with this class's emulator: a later class's scheduled syncs must not spend the run threads
		// retrying it (38 such companies held them for minutes once, and EntraDeletedUserTests' runs waited past 20 s).
		EntraDeletedUserTests.forget(this.jdbc, this.company);
	}

	@AfterAll
	static void stop() {
		ENTRA.close();
	}

	@Test
	void syncWhenNestedGroupsThenEveryEnabledMemberArrivesWithMappedFieldsManagersAndPhotos() throws Exception {
		JsonNode run = sync();

		assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("succeeded");
		assertMirrorsTenant(true);
		// Photos are served as avatars, byte for byte.
		EntraUser withPhoto = members().stream()
			.filter(u -> u.hasPhoto() && u.accountEnabled())
			.findFirst()
			.orElseThrow();
		String avatar = this.people.row(withPhoto.id()).get("avatar_url");
		HttpResponse<byte[]> image = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(avatar.replace(this.company.slug() + ".localhost", "127.0.0.1")))
				.header("Host", this.company.slug() + ".localhost")
				.build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(image.statusCode()).isEqualTo(200);
		assertThat(image.body()).isEqualTo(this.tenant.photo(withPhoto.id()).orElseThrow());
	}

	@Test
	void syncWhenInitialThenPeopleAreCompleteBeforePhotosAndThePhotoPassFillsThemIn() {
		this.photoPass.paused(true);
		try {
			long checks = photoChecks();
			JsonNode run = sync();

			assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("succeeded");
			assertThat(photoChecks()).as("the run itself asks Graph for no photo").isEqualTo(checks);
			assertMirrorsTenant(true, false);
			for (EntraUser user : enabledMembers()) {
				assertThat(this.people.row(user.id()).get("avatar_url")).as("no avatar before the photo pass").isNull();
			}
		}
		finally {
			this.photoPass.paused(false);
		}

		assertMirrorsTenant(true);
		EntraUser withPhoto = enabledMembers().stream().filter(EntraUser::hasPhoto).findFirst().orElseThrow();
		int audited = this.jdbc.sql("""
				select count(*) from audit_entry where company_id = :c and actor_id = 'entra-photos'
				and subject_id = cast(:person as uuid) and changes -> 'avatarUrl' is not null
				""")
			.param("c", this.company.id())
			.param("person", this.people.row(withPhoto.id()).get("id"))
			.query(Integer.class)
			.single();
		assertThat(audited).as("the avatar is written by the directory, with its audit entry").isEqualTo(1);
	}

	@Test
	void photoPassWhenTwelveHoursPassThenLooksAgainWithoutDownloadingUnchangedPhotos() throws InterruptedException {
		sync();
		assertMirrorsTenant(true);
		awaitFirstLookAtEveryPhoto();
		long downloads = photoDownloads();
		long checks = photoChecks();
		assertThat(downloads).isPositive();

		Thread.sleep(1_500); // a few rounds of the photo pass
		assertThat(photoChecks()).as("without a manual sync the photo pass does not ask again before 12 h")
			.isEqualTo(checks);

		this.clock.advance(Duration.ofHours(13));
		awaitEveryPhotoCheckedSince(this.clock.instant());
		assertThat(photoChecks()).as("after 12 h the photo pass looks again").isGreaterThan(checks);
		assertThat(photoDownloads()).as("an unchanged etag is not downloaded again").isEqualTo(downloads);
	}

	@Test
	void syncUsersWhenRunAgainThenEveryPhotoIsCheckedAgainButUnchangedOnesAreNotDownloadedAndNothingChanges() {
		sync();
		assertMirrorsTenant(true);
		awaitFirstLookAtEveryPhoto();
		long downloads = photoDownloads();
		long checks = photoChecks();
		assertThat(downloads).isPositive();

		Instant pressed = this.clock.instant();
		JsonNode soon = sync();
		assertThat(soon.path("counts").path("unchanged").asInt()).isEqualTo(members().size());
		awaitEveryPhotoCheckedSince(pressed);
		assertThat(photoChecks()).as("Sync users checks every photo again, well before 12 h").isGreaterThan(checks);
		assertThat(photoDownloads()).as("an unchanged etag is not downloaded again").isEqualTo(downloads);

		JsonNode again = sync();
		assertThat(again.path("counts").path("create").asInt()).isZero();
		assertThat(again.path("counts").path("update").asInt()).isZero();
		assertThat(again.path("counts").path("manager").asInt()).isZero();
	}

	@Test
	void syncUsersWhenPressedThenEveryPhotoIsBroughtForwardOnceItsRunHasEndedNotWhileItGoes() {
		sync();
		awaitFirstLookAtEveryPhoto();
		assertThat(photosDueNow()).isZero();

		// Every Graph call takes 300 ms, so the run lasts well beyond the look below.
		ENTRA.faults().latency(Duration.ofMillis(300));
		Instant pressed = this.clock.instant();
		Response started = this.client.api(this.company, "POST", "/api/v1/integrations/entra/sync-runs", Map.of());
		assertThat(started.status()).as(started.body()).isEqualTo(202);
		assertThat(photosDueNow()).as("while the run goes, the photo pass is not given the company's photos")
			.isZero();
		ENTRA.faults().latency(Duration.ZERO);

		JsonNode run = this.syncs.await(this.company, started.json().path("id").asString());
		assertThat(run.path("status").asString()).isEqualTo("succeeded");
		assertThat(run.path("options").path(EntraIntegration.PHOTOS_DUE_AFTER).asBoolean()).isTrue();
		awaitEveryPhotoCheckedSince(pressed);
	}

	@Test
	void photoPassWhenPhotoChangesThenNewAvatarUrlAfterTwelveHours() throws InterruptedException {
		sync();
		assertMirrorsTenant(true);
		EntraUser user = members().stream().filter(u -> u.hasPhoto() && u.accountEnabled()).findFirst().orElseThrow();
		String before = this.people.row(user.id()).get("avatar_url");

		this.tenant.setPhoto(user.id());
		Thread.sleep(1_500); // a few rounds of the photo pass
		assertThat(this.people.row(user.id()).get("avatar_url")).as("checked less than 12 h ago: not asked again")
			.isEqualTo(before);

		this.clock.advance(Duration.ofHours(13));
		String changed = EntraPhotos.sha256(this.tenant.photo(user.id()).orElseThrow());

		await(() -> Objects.requireNonNullElse(this.people.row(user.id()).get("avatar_url"), "").contains(changed));
		assertThat(this.people.row(user.id()).get("avatar_url")).isNotEqualTo(before);
	}

	@Test
	void syncUsersWhenPhotoChangedThenNewAvatarShowsWithoutWaitingTwelveHours() {
		sync();
		assertMirrorsTenant(true);
		EntraUser user = members().stream().filter(u -> u.hasPhoto() && u.accountEnabled()).findFirst().orElseThrow();
		String before = this.people.row(user.id()).get("avatar_url");

		this.tenant.setPhoto(user.id());
		sync(); // "Sync users", at the same hour: the clock does not move
		String changed = EntraPhotos.sha256(this.tenant.photo(user.id()).orElseThrow());

		await(() -> Objects.requireNonNullElse(this.people.row(user.id()).get("avatar_url"), "").contains(changed));
		assertThat(this.people.row(user.id()).get("avatar_url")).isNotEqualTo(before);
	}

	@Test
	void notificationWhenUserEditedThenPersonUpdatedWithinSeconds() {
		sync();
		EntraUser user = enabledMember();

		long listings = groupListings();

		this.tenant.updateUser(user.id(), Map.of("jobTitle", "Chief Cartographer", "officeLocation", "Lisbon"));

		await(() -> "Chief Cartographer".equals(this.people.row(user.id()).get("job_title")));
		assertThat(this.people.row(user.id()).get("location")).isEqualTo("Lisbon");
		JsonNode latest = this.client.api(this.company, "GET", "/api/v1/integrations/entra/sync-runs?limit=1")
			.json()
			.get(0);
		assertThat(latest.path("options").path("mode").asString()).isEqualTo("incremental");
		assertThat(latest.path("counts").path("deactivate").asInt()).isZero();
		// An active member's change is read without listing the group's members again.
		assertThat(groupListings()).isEqualTo(listings);
	}

	@Test
	void notificationWhenGraphUnreachableLongerThanTheRetriesThenChangeArrivesOnceItIsBackWithoutAManualSync() {
		sync();
		EntraUser user = enabledMember();
		ENTRA.faults().dropShare(1.0); // every Graph request's connection is closed unanswered

		this.tenant.updateUser(user.id(), Map.of("jobTitle", "Harbour Master"));

		// The notification's run fails after the client's retries, and is tried again; meanwhile the page says so.
		JsonNode failing = this.syncs.awaitProblem(this.company, "entra", 2);
		assertThat(failing.path("problem").path("message").asString()).contains("Graph");
		assertThat(failing.path("problem").path("since").isNull()).isFalse();
		assertThat(failing.path("problem").path("retried").asBoolean()).isTrue();
		assertThat(failing.path("changesWaiting").asLong()).isGreaterThanOrEqualTo(1);
		assertThat(
				this.client.get("localhost", "/actuator/prometheus", "text/plain", "Bearer " + OPERATOR_TOKEN).body())
			.containsPattern("rollcall_changes_waiting\\{source=\"entra\"\\} [1-9]");
		assertThat(this.people.row(user.id()).get("job_title")).isNotEqualTo("Harbour Master");
		// A change made meanwhile joins the waiting run, so that its next attempt brings both in.
		EntraUser other = enabledMembers().stream().filter(u -> !u.id().equals(user.id())).findFirst().orElseThrow();
		this.tenant.updateUser(other.id(), Map.of("jobTitle", "Lighthouse Keeper"));
		String failingRun = failing.path("problem").path("runId").asString();
		await(() -> this.syncs.await(this.company, failingRun)
			.path("options")
			.path("users")
			.toString()
			.contains(other.id()));

		ENTRA.faults().reset(); // Graph is back

		await(() -> "Harbour Master".equals(this.people.row(user.id()).get("job_title"))
				&& "Lighthouse Keeper".equals(this.people.row(other.id()).get("job_title")));
		assertThat(this.syncs.await(this.company, failingRun).path("status").asString()).isEqualTo("succeeded");
		JsonNode healthy = this.client.api(this.company, "GET", "/api/v1/integrations/entra").json().path("sync");
		assertThat(healthy.path("problem").isNull()).isTrue();
		assertThat(healthy.path("changesWaiting").asLong()).isZero();
		JsonNode runs = this.client.api(this.company, "GET", "/api/v1/integrations/entra/sync-runs?limit=5").json();
		assertThat(runs.get(0).path("options").path("mode").asString()).as("no manual sync").isEqualTo("incremental");
		assertThat(runs.get(0).path("status").asString()).isEqualTo("succeeded");
		assertThat(runs.get(0).path("attempts").asInt()).isGreaterThanOrEqualTo(2);
	}

	@Test
	void notificationWhenUserOutsideTheGroupEditedThenNotCreated() {
		sync();
		EntraUser outsider = this.tenant
			.createUser(Map.of("userPrincipalName", "outsider@" + this.company.slug() + ".example",
					"displayName", "Otto Outsider", "givenName", "Otto", "surname", "Outsider"));
		EntraUser member = enabledMember();
		long listings = groupListings();

		this.tenant.updateUser(outsider.id(), Map.of("jobTitle", "Consultant"));
		this.tenant.updateUser(member.id(), Map.of("jobTitle", "Navigator"));

		await(() -> "Navigator".equals(this.people.row(member.id()).get("job_title")));
		// Someone Rollcall does not have may have just joined: the group is listed, and the outsider is not in it.
		assertThat(groupListings()).isGreaterThan(listings);
		assertThat(this.people.row(outsider.id())).isNull();
	}

	/** Listings of the group's people; the tree's groups (read to follow nested groups) do not count. */
	private long groupListings() {
		return ENTRA.counters()
			.requests(call -> call.contains("/groups/" + this.directory.topGroupId() + "/transitiveMembers")
					&& !call.contains("microsoft.graph.group"));
	}

	@Test
	void notificationWhenUserAddedToGroupThenCreatedAndWhenRemovedThenDeactivated() {
		sync();
		EntraUser newcomer = this.tenant
			.createUser(Map.of("userPrincipalName", "newcomer@" + this.company.slug() + ".example",
					"displayName", "Nia Newcomer", "givenName", "Nia", "surname", "Newcomer", "department", "Research",
					"jobTitle", "Scientist"));

		this.tenant.addMember(this.directory.topGroupId(), newcomer.id());

		await(() -> this.people.row(newcomer.id()) != null
				&& "active".equals(this.people.row(newcomer.id()).get("status")));
		assertThat(this.people.row(newcomer.id()).get("first_name")).isEqualTo("Nia");
		assertThat(this.people.row(newcomer.id()).get("team")).isEqualTo("Research");

		this.tenant.removeMember(this.directory.topGroupId(), newcomer.id());

		await(() -> "deactivated".equals(this.people.row(newcomer.id()).get("status")));
		assertThat(this.people.activeCount()).isEqualTo(enabledMembers().size());
	}

	/**
	 * Seed 001: provisioning and single sign-on work apart or together. A person made by hand, outside the group, who
	 * signs in with Entra is linked to their object id by the sign-in alone: neither a change notification nor a full
	 * sync makes them the sync's to remove or to write. Once the group has them, the sync adopts them by that same id,
	 * and from then on they leave with the group.
	 */
	@Test
	void syncWhenPersonOutsideTheGroupOnlySignedInWithEntraThenKeptUntilTheGroupAdoptsThemAndDeactivatedWhenTheyLeave() {
		sync();
		EntraUser outsider = this.tenant
			.createUser(Map.of("userPrincipalName", "handmade@" + this.company.slug() + ".example",
					"displayName", "Hana Handmade", "givenName", "Hana", "surname", "Handmade"));
		UUID person = createPerson(outsider.userPrincipalName());
		useEntraSignIn();

		SsoFlow.signIn(this.port, this.company, outsider.userPrincipalName());

		assertThat(this.people.row(outsider.id()).get("id")).isEqualTo(person.toString());
		assertThat(SsoFlow.linkedBy(this.jdbc, person, "entra")).isEqualTo("sign-in");
		// A change to them in the tenant arrives as a notification: its run neither removes nor writes them.
		Set<String> runsBefore = runIds();
		this.tenant.updateUser(outsider.id(), Map.of("department", "Advisory"));
		awaitNewRunNaming(runsBefore, outsider.id());
		assertThat(this.people.row(outsider.id()).get("status")).isEqualTo("active");
		assertThat(this.people.row(outsider.id()).get("department")).as("not provisioned: not written by the sync")
			.isNull();
		// Nor does a full sync, which does not list them.
		JsonNode full = sync();
		assertThat(full.path("counts").path("deactivate").asInt()).as(full.toString()).isZero();
		assertThat(this.people.row(outsider.id()).get("status")).isEqualTo("active");
		assertThat(SsoFlow.linkedBy(this.jdbc, person, "entra")).isEqualTo("sign-in");

		this.tenant.addMember(this.directory.topGroupId(), outsider.id());

		await(() -> "sync".equals(SsoFlow.linkedBy(this.jdbc, person, "entra")));
		assertThat(this.people.row(outsider.id()).get("id")).as("adopted, not created again")
			.isEqualTo(person.toString());
		assertThat(this.people.row(outsider.id()).get("department")).isEqualTo("Advisory");
		assertThat(this.people.row(outsider.id()).get("status")).isEqualTo("active");

		this.tenant.removeMember(this.directory.topGroupId(), outsider.id());

		await(() -> "deactivated".equals(this.people.row(outsider.id()).get("status")));
		assertThat(SsoFlow.linkHistory(this.jdbc, person)).containsExactly("identity_linked: - -> sign-in",
				"linked: sign-in -> sync");
	}

	@Test
	void notificationWhenPersonAddedToNestedGroupThenArrivesWithinSecondsAndWhenRemovedLeaves() {
		sync();
		String nested = treeGroups().getLast(); // a team two levels under the chosen group
		assertThat(subscribedGroups()).as("every group of the tree is subscribed to")
			.isEqualTo(Set.copyOf(treeGroups()));
		EntraUser outsider = enabledOutsider(0);

		this.tenant.addMember(nested, outsider.id());

		await(() -> this.people.row(outsider.id()) != null
				&& "active".equals(this.people.row(outsider.id()).get("status")));

		this.tenant.removeMember(nested, outsider.id());

		await(() -> "deactivated".equals(this.people.row(outsider.id()).get("status")));
		JsonNode runs = this.client.api(this.company, "GET", "/api/v1/integrations/entra/sync-runs?limit=10").json();
		int full = 0;
		for (JsonNode run : runs) {
			full += "incremental".equals(run.path("options").path("mode").asString()) ? 0 : 1;
		}
		assertThat(full).as("no full sync but the first: the notifications brought both changes").isEqualTo(1);
		assertThat(this.people.activeCount()).isEqualTo(enabledMembers().size());
	}

	@Test
	void notificationWhenGroupNestedIntoTheTreeThenSubscribedAndItsPeopleArriveAndWhenTakenOutThenUnsubscribedAndTheyLeave() {
		sync();
		String department = this.directory.groupIds().get(1);
		EntraUser first = enabledOutsider(0);
		EntraUser second = enabledOutsider(1);
		String contractors = this.tenant.createGroup("Contractors").id();
		this.tenant.addMember(contractors, first.id());

		this.tenant.addMember(department, contractors);

		await(() -> subscribedGroups().contains(contractors));
		await(() -> this.people.row(first.id()) != null && "active".equals(this.people.row(first.id()).get("status")));
		// Heard through the new group's own subscription.
		this.tenant.addMember(contractors, second.id());
		await(() -> this.people.row(second.id()) != null
				&& "active".equals(this.people.row(second.id()).get("status")));

		this.tenant.removeMember(department, contractors);

		await(() -> !subscribedGroups().contains(contractors));
		await(() -> "deactivated".equals(this.people.row(first.id()).get("status"))
				&& "deactivated".equals(this.people.row(second.id()).get("status")));
		assertThat(this.people.activeCount()).isEqualTo(enabledMembers().size());
		assertThat(this.tenant.subscriptions()).hasSize(1 + treeGroups().size());
	}

	@Test
	void notificationWhenNestedGroupDeletedThenUnsubscribedAndOnlyItsPeopleInNoOtherGroupLeave() {
		sync();
		String team = treeGroups().getLast();
		List<String> inTeam = this.tenant.group(team).orElseThrow().memberIds();
		String elsewhere = inTeam.stream()
			.filter(id -> this.tenant.user(id).orElseThrow().accountEnabled())
			.findFirst()
			.orElseThrow();
		this.tenant.addMember(this.directory.groupIds().get(1), elsewhere); // also in a department: stays

		this.tenant.deleteGroup(team);

		await(() -> !subscribedGroups().contains(team));
		Set<String> stillMembers = Set.copyOf(this.tenant.transitiveUserIds(this.directory.topGroupId()));
		await(() -> inTeam.stream()
			.filter(id -> !stillMembers.contains(id))
			.allMatch(id -> this.people.row(id) == null || "deactivated".equals(this.people.row(id).get("status"))));
		assertThat(this.people.row(elsewhere).get("status")).as("still in the tree through the department")
			.isEqualTo("active");
		assertThat(this.people.activeCount()).isEqualTo(enabledMembers().size());
	}

	@Test
	void subscriptionsWhenTreeNeedsMoreThanGraphsQuotaThenAsManyAsFitProblemShownAndFullSyncStillBringsEveryone() {
		sync();
		String department = this.directory.groupIds().get(1);
		List<String> projects = new java.util.ArrayList<>();
		for (int i = 0; i < 95; i++) {
			projects.add(this.tenant.createGroup("Project " + i).id());
		}

		projects.forEach(project -> this.tenant.addMember(department, project));

		// 104 nested groups, the chosen group and /users: 106 wanted, Graph takes 100 and Rollcall asks no more.
		await(() -> this.tenant.subscriptions().size() == 100 // Graph's quota per app and tenant
				&& this.client.api(this.company, "GET", "/api/v1/integrations/entra")
					.json()
					.path("problem")
					.asString("")
					.contains("Graph allows 100 subscriptions per app and tenant"));
		String unheard = projects.stream()
			.filter(project -> !subscribedGroups().contains(project))
			.findFirst()
			.orElseThrow();
		EntraUser outsider = enabledOutsider(0);
		this.tenant.addMember(unheard, outsider.id());
		sync();
		assertThat(this.people.row(outsider.id()).get("status")).as("the full sync covers the groups beyond the quota")
			.isEqualTo("active");

		projects.forEach(project -> this.tenant.removeMember(department, project));

		await(() -> this.tenant.subscriptions().size() == 1 + treeGroups().size()
				&& this.client.api(this.company, "GET", "/api/v1/integrations/entra").json().path("problem").isNull());
	}

	@Test
	void notificationWhenAccountDisabledThenDeactivatedAndWhenEnabledThenReactivated() {
		sync();
		EntraUser user = enabledMember();

		this.tenant.disableUser(user.id());
		await(() -> "deactivated".equals(this.people.row(user.id()).get("status")));

		this.tenant.enableUser(user.id());
		await(() -> "active".equals(this.people.row(user.id()).get("status")));
	}

	@Test
	void syncWhenRemovedFromNestedGroupThenDeactivatedAndWhenBackThenReactivated() {
		sync();
		EntraUser user = enabledMember();
		List<String> groups = directGroupsOf(user.id());

		groups.forEach(group -> this.tenant.removeMember(group, user.id()));
		sync();
		assertThat(this.people.row(user.id()).get("status")).isEqualTo("deactivated");

		java.sql.Timestamp readded = java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(1));
		groups.forEach(group -> this.tenant.addMember(group, user.id()));
		sync();
		assertThat(this.people.row(user.id()).get("status")).isEqualTo("active");
		// Reactivated by a run: the full one, or the one the membership's change notification started before it.
		assertThat(this.jdbc.sql("""
				select coalesce(sum((counts ->> 'reactivate')::int), 0) from sync_run
				where company_id = :company and status = 'succeeded' and created_at >= :since
				""").param("company", this.company.id()).param("since", readded).query(Integer.class).single())
			.isGreaterThanOrEqualTo(1);
	}

	@Test
	void syncWhenManagersPreferenceOffThenNoOverrideManagers() {
		setUp(null, false, "never");

		sync();

		Integer withManager = this.jdbc
			.sql("select count(*) from person where company_id = :c and override_manager_id is not null")
			.param("c", this.company.id())
			.query(Integer.class)
			.single();
		assertThat(withManager).isZero();
		assertThat(this.people.activeCount()).isEqualTo(enabledMembers().size());
	}

	@Test
	void syncWhenInvitationsImmediatelyThenEveryNewPersonIsMailed() throws Exception {
		setUp(null, true, "immediately");
		EntraUser someone = enabledMember();

		JsonNode run = sync();

		assertThat(run.path("counts").path("invite").asInt()).isEqualTo(enabledMembers().size());
		await(() -> received(someone.userPrincipalName()));
	}

	@Test
	void syncWhenInvitationsNeverThenNobodyIsMailed() throws Exception {
		EntraUser someone = enabledMember();

		JsonNode run = sync();

		assertThat(run.path("counts").path("invite").asInt()).isZero();
		Thread.sleep(500); // mail would have been sent within the run; give SMTP a moment before looking
		assertThat(received(someone.userPrincipalName())).isFalse();
		Integer invited = this.jdbc.sql(
				"select count(*) from person where company_id = :c and invitation_state <> 'not_invited' and role = 'learner'")
			.param("c", this.company.id())
			.query(Integer.class)
			.single();
		assertThat(invited).isZero();
	}

	@Test
	void notificationWhenClientStateIsWrongThenIgnoredAndCounted() {
		sync();
		EntraUser user = enabledMember();
		GraphSubscription users = this.tenant.subscriptions()
			.stream()
			.filter(s -> s.resource().equals("/users"))
			.findFirst()
			.orElseThrow();
		String body = """
				{"value":[{"subscriptionId":"%s","clientState":"guessed","changeType":"deleted","resource":"Users/%s",
				"tenantId":"%s","resourceData":{"@odata.type":"#Microsoft.Graph.User","@odata.id":"Users/%s","id":"%s"}}]}
				"""
			.formatted(users.id(), user.id(), this.tenant.tenantId(), user.id(), user.id());

		Response answer = this.client.send("POST", "127.0.0.1", "/hooks/entra", null, body);

		assertThat(answer.status()).isEqualTo(202);
		Integer queued = this.jdbc.sql("select count(*) from entra_notification where company_id = :c")
			.param("c", this.company.id())
			.query(Integer.class)
			.single();
		assertThat(queued).isZero();
		JsonNode setup = this.client.api(this.company, "GET", "/api/v1/integrations/entra").json();
		assertThat(setup.path("rejectedNotifications").asLong()).isEqualTo(1);
		assertThat(this.people.row(user.id()).get("status")).isEqualTo("active");
	}

	@Test
	void receiverWhenValidationTokenThenEchoesItAsPlainText() throws Exception {
		HttpResponse<String> answer = HttpClient.newHttpClient()
			.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/hooks/entra?validationToken=a%20b%3Ac"))
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
		assertThat(answer.body()).isEqualTo("a b:c");
	}

	@Test
	void upkeepWhenSubscriptionsNearExpiryThenRenewedBeforeTheyExpire() {
		Map<String, Instant> before = this.tenant.subscriptions()
			.stream()
			.collect(Collectors.toMap(GraphSubscription::id, GraphSubscription::expirationDateTime));
		assertThat(before).as("users, and the members of each group of the tree").hasSize(1 + treeGroups().size());

		this.jobs.renewSubscriptions();
		assertThat(expiries()).as("not due yet").isEqualTo(before);

		this.clock.advance(Duration.ofDays(2).plusHours(12));
		this.jobs.renewSubscriptions();

		Map<String, Instant> after = expiries();
		assertThat(after.keySet()).isEqualTo(before.keySet());
		after.forEach((id, expiry) -> assertThat(expiry).isAfter(before.get(id).plus(Duration.ofDays(2))));
	}

	@Test
	void setupWhenReadThenTenantIdMaskedAndSavingItBackMaskedKeepsTheStoredTenant() {
		String tenantId = this.tenant.tenantId();
		JsonNode shown = this.client.api(this.company, "GET", "/api/v1/integrations/entra").json();
		assertThat(shown.toString()).doesNotContain(tenantId);
		assertThat(shown.path("tenantId").asString())
			.isEqualTo("••••••••-…-" + tenantId.substring(tenantId.length() - 4));

		// The form sends back what it was shown, with another preference changed.
		Map<String, Object> form = new HashMap<>(Map.of("tenantId", shown.path("tenantId").asString(), "groupId",
				this.directory.topGroupId(), "clientId", this.tenant.clientId(), "cloud", "custom", "authorityUrl",
				ENTRA.authority(), "graphUrl", ENTRA.graphUrl(), "fullSyncAt", "04:30"));
		Response saved = this.client.api(this.company, "PUT", "/api/v1/integrations/entra", form);

		assertThat(saved.status()).as(saved.body()).isEqualTo(200);
		assertThat(saved.body()).doesNotContain(tenantId);
		assertThat(saved.json().path("authorised").asBoolean()).as("the same tenant: consent kept").isTrue();
		// The stored tenant still signs in to Graph: a sync goes through.
		assertThat(sync().path("status").asString()).isEqualTo("succeeded");
		form.remove("tenantId");
		assertThat(this.client.api(this.company, "PUT", "/api/v1/integrations/entra", form)
			.json()
			.path("authorised")
			.asBoolean())
			.as("left out: the stored tenant is kept too")
			.isTrue();
	}

	@Test
	void scheduleWhenDailyTimeComesThenOneFullRunADay() {
		Response saved = this.client.api(this.company, "PUT", "/api/v1/integrations/entra", Map.of("tenantId",
				this.tenant.tenantId(), "groupId", this.directory.topGroupId(), "clientId", this.tenant.clientId(),
				"cloud",
				"custom", "authorityUrl", ENTRA.authority(), "graphUrl", ENTRA.graphUrl(), "fullSyncAt", "00:00"));
		assertThat(saved.json().path("fullSyncAt").asString()).isEqualTo("00:00");
		this.jobs.startDailySyncs();
		assertThat(runsBy("Entra ID daily sync")).as("not on the day of consent").isZero();

		this.clock.advance(Duration.ofDays(1));
		this.jobs.startDailySyncs();
		this.jobs.startDailySyncs();

		assertThat(runsBy("Entra ID daily sync")).isEqualTo(1);
		JsonNode run = this.client.api(this.company, "GET", "/api/v1/integrations/entra/sync-runs?limit=1")
			.json()
			.get(0);
		assertThat(this.syncs.await(this.company, run.path("id").asString()).path("status").asString())
			.isEqualTo("succeeded");
		assertThat(this.people.activeCount()).isEqualTo(enabledMembers().size());
	}

	@Test
	void lifecycleWhenMissedThenDeltaResyncCatchesUp() {
		sync();
		EntraUser user = enabledMember();
		ENTRA.faults().missedNotificationShare(1.0);
		this.tenant.updateUser(user.id(), Map.of("department", "Cartography"));
		ENTRA.faults().reset();
		String subscription = this.tenant.subscriptions().get(0).id();

		this.tenant.sendLifecycle(subscription, "missed");

		await(() -> "Cartography".equals(this.people.row(user.id()).get("department")));
		assertThat(this.people.row(user.id()).get("team")).isEqualTo("Cartography");
	}

	@Test
	void lifecycleWhenReauthorizationRequiredThenSubscriptionReauthorisedAndRenewed() {
		GraphSubscription users = this.tenant.subscriptions()
			.stream()
			.filter(s -> s.resource().equals("/users"))
			.findFirst()
			.orElseThrow();
		long reauthorised = ENTRA.counters().requests("POST", "/v1.0/subscriptions/" + users.id() + "/reauthorize");

		this.tenant.sendLifecycle(users.id(), "reauthorizationRequired");

		await(() -> ENTRA.counters()
			.requests("POST", "/v1.0/subscriptions/" + users.id() + "/reauthorize") > reauthorised);
		await(() -> expiries().get(users.id()).isAfter(users.expirationDateTime()));
		EntraUser user = enabledMember();
		sync();
		this.tenant.updateUser(user.id(), Map.of("jobTitle", "Still heard"));
		await(() -> "Still heard".equals(this.people.row(user.id()).get("job_title")));
	}

	@Test
	void lifecycleWhenSubscriptionRemovedThenRecreatedAndResynced() {
		sync();
		GraphSubscription removed = this.tenant.subscriptions()
			.stream()
			.filter(s -> s.resource().equals("/users"))
			.findFirst()
			.orElseThrow();

		this.tenant.sendLifecycle(removed.id(), "subscriptionRemoved");

		await(() -> this.tenant.subscriptions()
			.stream()
			.anyMatch(s -> s.resource().equals("/users") && !s.id().equals(removed.id())));
		EntraUser user = enabledMember();
		this.tenant.updateUser(user.id(), Map.of("jobTitle", "Heard again"));
		await(() -> "Heard again".equals(this.people.row(user.id()).get("job_title")));
	}

	@Test
	void syncWhenThrottledAndFailingSometimesThenEndsIdenticalToSource() {
		ENTRA.faults().throttleShare(0.10).serverErrorShare(0.05).retryAfter(Duration.ofMillis(100));

		JsonNode run = sync();

		assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("succeeded");
		// The photo pass meets the same faults.
		assertMirrorsTenant(true);
		assertThat(ENTRA.counters().get("throttled")).isPositive();
	}

	@Test
	void syncWhenGraphKeepsFailingThenRunFailsAndDeactivatesNobody() {
		sync();
		int active = this.people.activeCount();
		EntraUser leaver = enabledMember();
		directGroupsOf(leaver.id()).forEach(group -> this.tenant.removeMember(group, leaver.id()));
		ENTRA.faults().serverErrorShare(1.0);

		JsonNode run = sync();

		assertThat(run.path("status").asString()).as("retried until Graph answers").isEqualTo("retrying");
		assertThat(run.path("error").asString()).contains("Graph");
		assertThat(this.people.activeCount()).isEqualTo(active);
		assertThat(this.people.row(leaver.id()).get("status")).isEqualTo("active");
	}

	@Test
	void syncWhenGraphFailsAfterTheFirstPageThenRunFailsAndDeactivatesNobody() {
		// More members than one page holds (999), so that the outage falls between two pages of the listing.
		this.tenant = ENTRA.createTenant("big-" + this.company.slug() + ".example");
		this.directory = this.tenant.generate(DirectorySpec.people(1100)
			.withOutsiders(0)
			.withDisabledShare(0)
			.withPhotoShare(0)
			.withDomain("big-" + this.company.slug() + ".example"));
		setUp(this.tenant.clientSecret(), false, "never");
		this.integration.authorised(this.company.id());
		assertThat(sync().path("status").asString()).isEqualTo("succeeded");
		List<EntraUser> leavers = enabledMembers().subList(0, 5);
		leavers.forEach(
				leaver -> directGroupsOf(leaver.id()).forEach(group -> this.tenant.removeMember(group, leaver.id())));
		ENTRA.faults().outageAfter(1);

		JsonNode failed = sync();

		assertThat(failed.path("status").asString()).isEqualTo("retrying");
		assertThat(failed.path("error").asString()).contains("Graph did not answer").contains("503");
		assertThat(failed.path("counts").path("deactivate").asInt()).isZero();
		assertThat(this.people.activeCount()).isEqualTo(1100);
		ENTRA.faults().reset();
		JsonNode recovered = sync();
		assertThat(recovered.path("status").asString()).isEqualTo("succeeded");
		// The membership notifications' own run may get there first: either way the five leave, and only they.
		await(() -> this.people.activeCount() == 1095);
		leavers.forEach(leaver -> assertThat(this.people.row(leaver.id()).get("status")).isEqualTo("deactivated"));
	}

	@Test
	void syncWhenPlanningIsSlowThenLaterPagesAreReadAheadAndEveryMemberIsPlannedOnceInGraphsOrder() {
		useTenantOf(6_000); // seven pages of 999
		String pages = "/v1.0/groups/" + this.directory.topGroupId() + "/transitiveMembers/microsoft.graph.user";
		List<String> planned = new ArrayList<>();
		long[] readWhileFirstPlanned = new long[1];
		Source.RecordSink slowPlan = new Source.RecordSink() {
			@Override
			public void record(SourceRecord record, String position) {
				if (planned.isEmpty()) {
					// The first member takes long to plan: meanwhile the next pages are read, and only a few.
					await(() -> ENTRA.counters().requests("GET", pages) >= 3);
					pause();
					pause();
					pause();
					readWhileFirstPlanned[0] = ENTRA.counters().requests("GET", pages);
				}
				planned.add(record.externalId());
			}

			@Override
			public void problem(String position, String message) {
				throw new AssertionError(position + ": " + message);
			}
		};

		this.source.read(fullRunPlanning(), slowPlan);

		// The page being planned, the pages waiting, the one made into records meanwhile, and the next one's fetch.
		assertThat(readWhileFirstPlanned[0]).isBetween(3L, 1L + EntraSource.PAGES_AHEAD + 2);
		assertThat(ENTRA.counters().requests("GET", pages)).isEqualTo(7);
		assertThat(planned).containsExactlyElementsOf(this.tenant.transitiveUserIds(this.directory.topGroupId()));
	}

	@Test
	void syncWhenAPageFailsWhileLaterOnesAreReadAheadThenRunFailsChangingNothingAndItsRetryLosesNobody() {
		useTenantOf(3_500); // four pages of 999
		// Pages 1 to 3 are read; from the 4th on Graph fails every request, past the client's retries.
		ENTRA.faults().outageAfter(3);

		this.syncs.failedMidwayThenRetried(this.company, "entra", this.people, () -> ENTRA.faults().reset(), 3_500,
				Duration.ofSeconds(60), "Graph did not answer", "503");
	}

	@Test
	void syncWhenManagersAreAssignedThenEachReportIsPlannedWellAfterTheirManagerAndEveryMemberOnce() {
		// Eight teams of 1,000, each listed lead first as Graph lists nested groups: planned as listed, a report would
		// come within a chunk or two of their lead, and be created before the lead's row is committed.
		useTenantOf(8_000, true, 2, 4);
		List<String> planned = new ArrayList<>();
		Map<String, String> managerOf = new HashMap<>();
		Source.RecordSink plan = new Source.RecordSink() {
			@Override
			public void record(SourceRecord record, String position) {
				planned.add(record.externalId());
				managerOf.put(record.externalId(), record.managerRef());
			}

			@Override
			public void problem(String position, String message) {
				throw new AssertionError(position + ": " + message);
			}
		};

		this.source.read(fullRunPlanning(), plan);

		List<String> listed = this.tenant.transitiveUserIds(this.directory.topGroupId());
		assertThat(planned).containsExactlyInAnyOrderElementsOf(listed);
		Map<String, Integer> at = new HashMap<>();
		for (int i = 0; i < planned.size(); i++) {
			at.put(planned.get(i), i);
		}
		int close = 0;
		for (String id : planned) {
			Integer manager = managerOf.get(id).isEmpty() ? null : at.get(managerOf.get(id));
			if (manager != null && at.get(id) - manager < 2_000) {
				close++;
			}
		}
		// Only the first teams listed, before the line is full, and the leads, taken ahead for their teams.
		assertThat(close).as("reports planned within 2,000 of their manager").isLessThan(2_500);
	}

	@Test
	void syncWhenAPageFailsWhileManagersAreReorderedThenRunFailsChangingNothingAndItsRetryLosesNobody() {
		// Five pages of 999: the fifth fails, with 996 records handed to the plan and 3,000 waiting in the line.
		useTenantOf(DirectorySpec.people(5_000), true);
		ENTRA.faults().outageAfter(4);

		this.syncs.failedMidwayThenRetried(this.company, "entra", this.people, () -> ENTRA.faults().reset(), 5_000,
				Duration.ofSeconds(90), "Graph did not answer", "503");
		assertThat(this.jdbc.sql("select count(distinct external_id) from person_identity where company_id = :c")
			.param("c", this.company.id())
			.query(Long.class)
			.single()).isEqualTo(5_000L);
		assertMirrorsTenant(true, false);
	}

	/** A tenant of {@code members} enabled people in the group, none outside it, no photos, managers off. */
	private void useTenantOf(int members) {
		useTenantOf(DirectorySpec.people(members), false);
	}

	/**
	 * The same with managers, in {@code departments} departments of {@code teams} teams each (the default spec nests
	 * two levels of three teams: at 5,000 people, teams of 70).
	 */
	private void useTenantOf(int members, boolean managers, int departments, int teams) {
		useTenantOf(DirectorySpec.people(members).withDepartments(departments).withNesting(1, teams), managers);
	}

	private void useTenantOf(DirectorySpec spec, boolean managers) {
		this.tenant = ENTRA.createTenant("big-" + this.company.slug() + ".example");
		this.directory = this.tenant.generate(spec.withOutsiders(0)
			.withDisabledShare(0)
			.withPhotoShare(0)
			.withDomain("big-" + this.company.slug() + ".example"));
		setUp(this.tenant.clientSecret(), managers, "never");
		this.integration.authorised(this.company.id());
	}

	@Test
	void notificationWhenUserReadAnswersAnErrorCoded404ThenRunFailsNamingItAndNobodyIsDeactivated() {
		// A 404 that is not Request_ResourceNotFound (here UnknownError, as Graph answers at times while it replicates).
		userReadFailsAndNobodyIsDeactivated(GraphErrors.UNKNOWN_ERROR_NOT_FOUND);
	}

	@Test
	void notificationWhenUserReadIsRefusedThenRunFailsNamingItAndNobodyIsDeactivated() {
		userReadFailsAndNobodyIsDeactivated(GraphErrors.AUTHORIZATION_REQUEST_DENIED);
	}

	@Test
	void notificationWhenMembershipListingIsRefusedThenRunFailsAndNobodyIsDeactivated() {
		sync();
		EntraUser leaver = this.tenant
			.createUser(Map.of("userPrincipalName", "leaver@" + this.company.slug() + ".example",
					"displayName", "Lea Leaver", "givenName", "Lea", "surname", "Leaver"));
		this.tenant.addMember(this.directory.topGroupId(), leaver.id());
		await(() -> this.people.row(leaver.id()) != null
				&& "active".equals(this.people.row(leaver.id()).get("status")));
		await(() -> ENDED.contains(latestRun().path("status").asString()));
		int active = this.people.activeCount();
		long runs = entraRuns();
		ENTRA.faults().answer(GraphErrors.GROUP_MEMBERS, GraphErrors.BAD_REQUEST);

		// A direct member of the group leaves: the notification's run compares the group's listing with the directory.
		this.tenant.removeMember(this.directory.topGroupId(), leaver.id());

		JsonNode run = awaitUnsuccessfulRun(runs);
		assertThat(run.path("error").asString()).as(run.toString())
			.contains("Graph answered Request_BadRequest (HTTP 400)");
		assertThat(run.path("counts").path("deactivate").asInt()).isZero();
		assertThat(this.people.row(leaver.id()).get("status")).isEqualTo("active");
		assertThat(this.people.activeCount()).isEqualTo(active);
	}

	@Test
	void notificationWhenUserDeletedThenGraphsResourceNotFoundDeactivatesThemAsBefore() {
		sync();
		EntraUser leaver = enabledMember();
		int active = this.people.activeCount();

		this.tenant.deleteUser(leaver.id());

		await(() -> "deactivated".equals(this.people.row(leaver.id()).get("status")));
		assertThat(this.people.activeCount()).isEqualTo(active - 1);
	}

	/**
	 * A notification makes Rollcall read the person from Graph, and Graph answers {@code error}: the run does not
	 * succeed (failed, or retrying once failed runs are retried), its error names Graph's code, and nobody leaves.
	 */
	private void userReadFailsAndNobodyIsDeactivated(Faults.ErrorAnswer error) {
		sync();
		int active = this.people.activeCount();
		EntraUser user = enabledMember();
		long runs = entraRuns();
		ENTRA.faults().answer(GraphErrors.USER, error);

		this.tenant.updateUser(user.id(), Map.of("jobTitle", "Cartographer"));

		JsonNode run = awaitUnsuccessfulRun(runs);
		assertThat(run.path("error").asString()).as(run.toString())
			.contains("Graph answered " + error.code() + " (HTTP " + error.status() + ")")
			.contains("/users/" + user.id())
			.doesNotContain(this.tenant.clientSecret());
		assertThat(run.path("counts").path("deactivate").asInt()).isZero();
		assertThat(this.people.row(user.id()).get("status")).isEqualTo("active");
		assertThat(this.people.row(user.id()).get("job_title")).isNotEqualTo("Cartographer");
		assertThat(this.people.activeCount()).isEqualTo(active);
	}

	/** Statuses of a run that did not succeed: {@code failed}, or {@code retrying} where failed runs are retried. */
	private static final Set<String> UNSUCCESSFUL = Set.of("failed", "retrying");

	/** Where a run ends, or rests until it is tried again. */
	private static final Set<String> ENDED = Set.of("succeeded", "failed", "retrying", "held");

	/**
	 * The newest Entra run, once a run newer than the first {@code runsBefore} has ended, checked to have ended without
	 * success.
	 */
	private JsonNode awaitUnsuccessfulRun(long runsBefore) {
		await(() -> entraRuns() > runsBefore && ENDED.contains(latestRun().path("status").asString()));
		JsonNode run = latestRun();
		assertThat(run.path("status").asString()).as(run.toString()).isIn(UNSUCCESSFUL);
		return run;
	}

	private JsonNode latestRun() {
		return this.client.api(this.company, "GET", "/api/v1/integrations/entra/sync-runs?limit=1").json().get(0);
	}

	private long entraRuns() {
		return this.jdbc.sql("select count(*) from sync_run where company_id = :c and source = 'entra'")
			.param("c", this.company.id())
			.query(Long.class)
			.single();
	}

	@Test
	void syncWhenSecretIsWrongThenRunFailsSayingGraphRefusedTheToken() {
		setUp("not-the-secret", true, "never");
		this.integration.authorised(this.company.id());

		JsonNode run = sync();

		assertThat(run.path("status").asString()).as("retried until the secret is mended").isEqualTo("retrying");
		assertThat(run.path("error").asString()).startsWith("Graph refused the token: AADSTS7000215");
		assertThat(this.people.activeCount()).isZero();
	}

	@Test
	void setupWhenStoredThenTenantAndSecretAreSealedAtRest() {
		Map<String, Object> stored = this.jdbc
			.sql("select tenant_id, client_secret from entra_connection where company_id = :c")
			.param("c", this.company.id())
			.query()
			.singleRow();

		assertThat(stored.get("tenant_id").toString()).startsWith("v1:").doesNotContain(this.tenant.tenantId());
		assertThat(stored.get("client_secret").toString()).startsWith("v1:").doesNotContain(this.tenant.clientSecret());
	}

	@Test
	void setupWhenGroupIdMissingThenProblemNamesTheField() {
		Response answer = this.client.api(this.company, "PUT", "/api/v1/integrations/entra",
				Map.of("tenantId", this.tenant.tenantId(), "clientId", this.tenant.clientId(), "cloud", "custom",
						"authorityUrl", ENTRA.authority(), "graphUrl", ENTRA.graphUrl()));

		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.json().path("field").asString()).isEqualTo("groupId");
	}

	// ---- helpers ----

	/** Entra single sign-on through the emulator's tenant, beside its provisioning. */
	private void useEntraSignIn() {
		Response saved = this.client.api(this.company, "PUT", "/api/v1/integrations/sso",
				Map.of("provider", "entra", "tenantId", this.tenant.tenantId(), "authority", ENTRA.authority(),
						"clientId",
						this.tenant.clientId(), "clientSecret", this.tenant.clientSecret()));
		assertThat(saved.status()).as(saved.body()).isEqualTo(200);
	}

	private UUID createPerson(String email) {
		Response created = this.client.api(this.company, "POST", "/api/v1/people",
				Map.of("email", email, "firstName", "Hand"));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return UUID.fromString(created.json().path("id").asString());
	}

	private Set<String> runIds() {
		Set<String> ids = new java.util.HashSet<>();
		this.client.api(this.company, "GET", "/api/v1/integrations/entra/sync-runs?limit=100")
			.json()
			.forEach(run -> ids.add(run.path("id").asString()));
		return ids;
	}

	/** Waits for a run, not among {@code before}, that refreshed this user and succeeded. */
	private void awaitNewRunNaming(Set<String> before, String userId) {
		await(() -> {
			for (JsonNode run : this.client.api(this.company, "GET", "/api/v1/integrations/entra/sync-runs?limit=100")
				.json()) {
				if (!before.contains(run.path("id").asString())
						&& run.path("options").path("users").toString().contains(userId)
						&& "succeeded".equals(run.path("status").asString())) {
					return true;
				}
			}
			return false;
		});
	}

	private Response setUp(String secret, boolean managers, String invitations) {
		return this.client.api(this.company, "PUT", "/api/v1/integrations/entra",
				EntraSettings.of(ENTRA, this.tenant, this.directory.topGroupId(), secret, managers, invitations));
	}

	/** A full run, once a run the notifications started (if any) has ended. */
	private JsonNode sync() {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
		Response started = this.client.api(this.company, "POST", "/api/v1/integrations/entra/sync-runs", Map.of());
		while (started.status() == 409 && Instant.now().isBefore(deadline)) {
			pause();
			started = this.client.api(this.company, "POST", "/api/v1/integrations/entra/sync-runs", Map.of());
		}
		assertThat(started.status()).as(started.body()).isEqualTo(202);
		return this.syncs.await(this.company, started.json().path("id").asString());
	}

	/** Every enabled member is a person with the mapped fields; disabled ones and outsiders are not active here. */
	private void assertMirrorsTenant(boolean managers) {
		assertMirrorsTenant(managers, true);
	}

	/** @param photos whether to wait for the photo pass and check avatars too */
	private void assertMirrorsTenant(boolean managers, boolean photos) {
		List<EntraUser> enabled = enabledMembers();
		if (photos) {
			await(() -> enabled.stream().allMatch(user -> {
				Map<String, String> row = this.people.row(user.id());
				return row != null && (row.get("avatar_url") != null) == user.hasPhoto();
			}));
		}
		assertThat(this.people.activeCount()).isEqualTo(enabled.size() + 0);
		Set<String> memberIds = Set.copyOf(this.directory.memberUserIds());
		Map<String, String> personByUser = new HashMap<>();
		for (EntraUser user : enabled) {
			Map<String, String> row = this.people.row(user.id());
			assertThat(row).as(user.userPrincipalName()).isNotNull();
			personByUser.put(user.id(), row.get("id"));
			assertThat(row.get("email")).isEqualToIgnoringCase(user.userPrincipalName());
			assertThat(row.get("first_name")).isEqualTo(user.givenName());
			assertThat(row.get("last_name")).isEqualTo(user.surname());
			assertThat(row.get("job_title")).isEqualTo(user.jobTitle());
			assertThat(row.get("department")).isEqualTo(user.department());
			assertThat(row.get("team")).isEqualTo(user.department());
			assertThat(row.get("location")).isEqualTo(user.officeLocation());
			if (user.preferredLanguage() != null) {
				assertThat(row.get("language")).isEqualToIgnoringCase(user.preferredLanguage());
			}
			if (user.employeeHireDate() != null) {
				assertThat(row.get("hire_date"))
					.isEqualTo(LocalDate.ofInstant(user.employeeHireDate(), ZoneOffset.UTC).toString());
			}
			if (photos) {
				assertThat(row.get("avatar_url") != null).as("avatar of " + user.userPrincipalName())
					.isEqualTo(user.hasPhoto());
			}
			assertThat(row.get("status")).isEqualTo("active");
		}
		for (EntraUser user : enabled) {
			String expected = managers && user.managerId() != null && memberIds.contains(user.managerId())
					? personByUser.get(user.managerId()) : null;
			if (expected != null || user.managerId() == null) {
				assertThat(this.people.row(user.id()).get("override_manager_id"))
					.as("manager of " + user.userPrincipalName())
					.isEqualTo(expected);
			}
		}
		for (String outsider : this.directory.outsiderUserIds()) {
			assertThat(this.people.row(outsider)).isNull();
		}
	}

	private List<EntraUser> members() {
		return this.tenant.transitiveUserIds(this.directory.topGroupId())
			.stream()
			.map(id -> this.tenant.user(id).orElseThrow())
			.toList();
	}

	private List<EntraUser> enabledMembers() {
		return members().stream().filter(EntraUser::accountEnabled).toList();
	}

	private EntraUser enabledMember() {
		return enabledMembers().stream().filter(u -> u.managerId() != null).findFirst().orElseThrow();
	}

	private List<String> directGroupsOf(String userId) {
		return this.tenant.groups().stream().filter(g -> g.memberIds().contains(userId)).map(g -> g.id()).toList();
	}

	/** The chosen group and every group nested under it, parents before their children. */
	private List<String> treeGroups() {
		List<String> tree = new java.util.ArrayList<>(List.of(this.directory.topGroupId()));
		for (int i = 0; i < tree.size(); i++) {
			this.tenant.group(tree.get(i))
				.orElseThrow()
				.memberIds()
				.stream()
				.filter(id -> this.tenant.group(id).isPresent() && !tree.contains(id))
				.forEach(tree::add);
		}
		return tree;
	}

	/** The groups whose members Graph reports to Rollcall. */
	private Set<String> subscribedGroups() {
		return this.tenant.subscriptions()
			.stream()
			.map(GraphSubscription::resource)
			.filter(resource -> resource.endsWith("/members"))
			.map(resource -> resource.split("/")[2])
			.collect(Collectors.toSet());
	}

	private EntraUser enabledOutsider(int index) {
		return this.directory.outsiderUserIds()
			.stream()
			.map(id -> this.tenant.user(id).orElseThrow())
			.filter(EntraUser::accountEnabled)
			.skip(index)
			.findFirst()
			.orElseThrow();
	}

	private int runsBy(String requester) {
		return this.jdbc.sql("select count(*) from sync_run where company_id = :c and requested_by = :by")
			.param("c", this.company.id())
			.param("by", requester)
			.query(Integer.class)
			.single();
	}

	/** Photo downloads of this test's tenant (other tests' companies have photo passes of their own). */
	private long photoDownloads() {
		Set<String> users = Set.copyOf(this.tenant.transitiveUserIds(this.directory.topGroupId()));
		return ENTRA.counters()
			.requests(call -> call.endsWith("/photo/$value") && users.stream().anyMatch(call::contains));
	}

	private long photoChecks() {
		Set<String> users = Set.copyOf(this.tenant.transitiveUserIds(this.directory.topGroupId()));
		return ENTRA.counters().requests(call -> call.contains("/photo") && users.stream().anyMatch(call::contains));
	}

	private Map<String, Instant> expiries() {
		return this.tenant.subscriptions()
			.stream()
			.collect(Collectors.toMap(GraphSubscription::id, GraphSubscription::expirationDateTime));
	}

	private boolean received(String address) {
		return java.util.Arrays.stream(MAIL.getReceivedMessages()).anyMatch(message -> {
			try {
				return java.util.Arrays.stream(message.getAllRecipients())
					.anyMatch(r -> r.toString().toLowerCase(Locale.ROOT).contains(address.toLowerCase(Locale.ROOT)));
			}
			catch (jakarta.mail.MessagingException ex) {
				return false;
			}
		});
	}

	private static void pause() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Waits until the photo pass has looked at every photo of the company at or after {@code since}. */
	/**
	 * Waits until the pass has looked at every photo it can (postponed ones, of people not in the directory, are due
	 * later). Avatars alone do not say it: a person without a photo has the right (empty) avatar before the pass's
	 * download of it has answered 404, and that download would then be counted after the test took its count.
	 */
	private void awaitFirstLookAtEveryPhoto() {
		await(Duration.ofSeconds(90), () -> this.jdbc
			.sql("select count(*) from entra_photo where company_id = :c and checked_at is null and due_at <= :t")
			.param("c", this.company.id())
			.param("t", java.sql.Timestamp.from(this.clock.instant()))
			.query(Integer.class)
			.single() == 0);
	}

	private int photosDueNow() {
		return this.jdbc.sql("select count(*) from entra_photo where company_id = :c and due_at <= :t")
			.param("c", this.company.id())
			.param("t", java.sql.Timestamp.from(this.clock.instant()))
			.query(Integer.class)
			.single();
	}

	private void awaitEveryPhotoCheckedSince(Instant since) {
		// Longer than other waits: the paced pass shares its pace with every company of the suite whose photos are due
		// (other classes move the clock 12 h), so in a full run this company's turn can come late.
		await(Duration.ofSeconds(90), () -> this.jdbc
			.sql("select count(*) from entra_photo where company_id = :c and (checked_at is null or checked_at < :t)")
			.param("c", this.company.id())
			.param("t", java.sql.Timestamp.from(since))
			.query(Integer.class)
			.single() == 0);
	}

	/** A full run of the company's, planning: what a test hands the source directly, without the engine. */
	private SyncRun fullRunPlanning() {
		return new SyncRun(UUID.randomUUID(), this.company.id(), EntraSource.KIND, true, RunStatus.PLANNING, "test",
				null, Map.of(), Map.of(), 0, 0, null, null, null, Instant.now(), Instant.now(), null, 0, null, null);
	}

}
