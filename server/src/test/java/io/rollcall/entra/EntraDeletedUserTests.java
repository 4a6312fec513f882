package io.rollcall.entra;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import io.rollcall.emulators.entra.DirectorySpec;
import io.rollcall.emulators.entra.EntraEmulator;
import io.rollcall.emulators.entra.EntraTenant;
import io.rollcall.emulators.entra.EntraUser;
import io.rollcall.emulators.entra.GeneratedDirectory;
import io.rollcall.emulators.entra.GraphSubscription;
import io.rollcall.support.EntraSettings;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.Syncs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user deleted in the tenant (seed 004: IsSoftDeleted → not active; seed 000: whoever leaves is deactivated) is
 * deactivated in Rollcall, and nothing else changes: not the person's other fields, not their link to Entra, not
 * anyone else. Shown on each path that can see the deletion: the change notification, the users delta read after
 * Graph says notifications were missed, and the daily or manual full sync, which no longer lists the user.
 */
class EntraDeletedUserTests extends IntegrationTest {

	private static final EntraEmulator ENTRA = EntraEmulator.start(EntraEmulator.Options.defaults()
		.notificationBatchWindow(Duration.ofMillis(10))
		.notificationRetryBackoff(Duration.ofMillis(200)));

	@Autowired
	JdbcClient jdbc;

	@Autowired
	EntraIntegration integration;

	@Autowired
	DataSource dataSource;

	private TestCompany company;

	private Syncs syncs;

	private EntraTenant tenant;

	private GeneratedDirectory directory;

	@BeforeEach
	void connect() {
		this.company = this.client.createCompany();
		this.syncs = new Syncs(this.client, this.port);
		this.tenant = ENTRA.createTenant(this.company.slug() + ".example");
		this.directory = this.tenant.generate(DirectorySpec.people(16)
			.withOutsiders(2)
			.withDepartments(2)
			.withNesting(1, 2)
			.withPhotoShare(0)
			.withDisabledShare(0)
			.withDomain(this.company.slug() + ".example"));
		Response saved = this.client.api(this.company, "PUT", "/api/v1/integrations/entra", EntraSettings.of(ENTRA,
				this.tenant, this.directory.topGroupId(), this.tenant.clientSecret(), true, "never"));
		assertThat(saved.status()).as(saved.body()).isEqualTo(200);
		this.integration.authorised(this.company.id());
	}

	@AfterEach
	void resetFaults() {
		ENTRA.faults().reset();
		this.syncs.discardRetrying(this.company, "entra");
		forget(this.jdbc, this.company);
	}

	/** The tenant goes with the emulator: a later test's daily sync must not spend the run threads retrying it. */
	static void forget(JdbcClient jdbc, TestCompany company) {
		jdbc.sql("delete from entra_subscription where company_id = :c").param("c", company.id()).update();
		jdbc.sql("delete from entra_connection where company_id = :c").param("c", company.id()).update();
	}

	@AfterAll
	static void stop() {
		ENTRA.close();
	}

	@Test
	void deleteInTenantWhenNotificationArrivesThenPersonDeactivatedAndNothingElseChanges() {
		sync();
		EntraUser leaver = leaver();
		Map<String, Map<String, String>> before = everyone();
		long runs = entraRuns();

		this.tenant.deleteUser(leaver.id());

		await(() -> "deactivated".equals(row(leaver.id()).get("status")));
		List<JsonNode> made = runsSince(runs);
		assertThat(made).allSatisfy(run -> assertThat(run.path("options").path("mode").asString())
			.as("the notifications' runs")
			.isEqualTo("incremental"));
		assertOnlyDeactivated(made, leaver, before);
	}

	/**
	 * A notification's run must not wait on the company's subscription rows: CI once failed a clean-up's delete of them
	 * with a deadlock against the worker, which stamped two subscriptions inside its transaction in the notifications'
	 * order. Here another transaction holds every one of them while the deletion is notified; the person is
	 * deactivated all the same, and the stamp follows once the rows are free.
	 */
	@Test
	void deleteInTenantWhileSubscriptionsAreLockedElsewhereThenPersonDeactivatedAndStampedAfter() throws Exception {
		sync();
		EntraUser leaver = leaver();
		try (Connection holder = this.dataSource.getConnection()) {
			holder.setAutoCommit(false);
			try (PreparedStatement lock = holder
				.prepareStatement("select id from entra_subscription where company_id = ? order by id for update")) {
				lock.setObject(1, this.company.id());
				try (ResultSet locked = lock.executeQuery()) {
					assertThat(locked.next()).as("the company's subscriptions").isTrue();
				}
			}

			this.tenant.deleteUser(leaver.id());

			await(() -> "deactivated".equals(row(leaver.id()).get("status")));
			holder.commit();
		}
		await(() -> this.jdbc.sql("""
				select count(*) from entra_subscription
				where company_id = :c and last_notified_at is not null
				""").param("c", this.company.id()).query(Long.class).single() > 0);
	}

	@Test
	void deleteInTenantWhenNotificationMissedThenUsersDeltaDeactivatesThePersonAndNothingElseChanges() {
		sync();
		EntraUser leaver = leaver();
		Map<String, Map<String, String>> before = everyone();
		ENTRA.faults().missedNotificationShare(1.0); // Graph never delivers the deletion's notification

		this.tenant.deleteUser(leaver.id());

		pause(1000);
		assertThat(row(leaver.id()).get("status")).as("nothing told Rollcall yet").isEqualTo("active");
		ENTRA.faults().reset();
		long runs = entraRuns();
		long deltaReads = ENTRA.counters().requests(call -> call.endsWith("/users/delta"));
		GraphSubscription users = this.tenant.subscriptions()
			.stream()
			.filter(s -> s.resource().equals("/users"))
			.findFirst()
			.orElseThrow();
		this.tenant.sendLifecycle(users.id(), "missed");

		await(() -> "deactivated".equals(row(leaver.id()).get("status")));
		List<JsonNode> made = runsSince(runs);
		assertThat(made).hasSize(1);
		assertThat(made.get(0).path("options").path("mode").asString()).isEqualTo("incremental");
		assertThat(made.get(0).path("options").path("delta").asBoolean()).as("read from the users delta").isTrue();
		assertThat(ENTRA.counters().requests(call -> call.endsWith("/users/delta")))
			.as("the stored delta link was followed")
			.isGreaterThan(deltaReads);
		assertOnlyDeactivated(made, leaver, before);
	}

	@Test
	void deleteInTenantWhenNotificationMissedThenFullSyncDeactivatesThePersonAndNothingElseChanges() {
		sync();
		EntraUser leaver = leaver();
		Map<String, Map<String, String>> before = everyone();
		ENTRA.faults().missedNotificationShare(1.0);

		this.tenant.deleteUser(leaver.id());
		pause(500);
		assertThat(row(leaver.id()).get("status")).isEqualTo("active");

		JsonNode run = sync();

		assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("succeeded");
		assertThat(run.path("options").path("mode").asString()).isNotEqualTo("incremental");
		assertOnlyDeactivated(List.of(run), leaver, before);
		List<JsonNode> deactivations = new ArrayList<>();
		this.syncs.plan(this.company, run.path("id").asString()).forEach(item -> {
			if (item.path("kind").asString().equals("deactivate")) {
				deactivations.add(item);
			}
		});
		assertThat(deactivations).hasSize(1);
		assertThat(deactivations.get(0).path("label").asString()).isEqualToIgnoringCase(leaver.userPrincipalName());
	}

	@Test
	void deleteInTenantWhenSyncedAgainThenStaysDeactivatedAndIsNotDeactivatedTwice() {
		sync();
		EntraUser leaver = leaver();
		this.tenant.deleteUser(leaver.id());
		await(() -> "deactivated".equals(row(leaver.id()).get("status")));

		JsonNode again = sync();

		assertThat(again.path("counts").path("deactivate").asInt()).isZero();
		assertThat(again.path("counts").path("create").asInt()).isZero();
		assertThat(row(leaver.id()).get("status")).isEqualTo("deactivated");
	}

	@Test
	void deleteInTenantWhenUserRestoredThenTheSamePersonIsReactivated() {
		sync();
		EntraUser leaver = leaver();
		String personId = row(leaver.id()).get("id");
		this.tenant.deleteUser(leaver.id());
		await(() -> "deactivated".equals(row(leaver.id()).get("status")));
		awaitRunsSettled();

		this.tenant.restoreUser(leaver.id());
		sync();

		assertThat(row(leaver.id()).get("status")).isEqualTo("active");
		assertThat(row(leaver.id()).get("id")).as("the same person, not a new one").isEqualTo(personId);
		assertThat(this.jdbc.sql("select count(*) from person where company_id = :c and lower(email) = lower(:e)")
			.param("c", this.company.id())
			.param("e", leaver.userPrincipalName())
			.query(Integer.class)
			.single()).isEqualTo(1);
	}

	// ---- helpers ----

	/**
	 * The run deactivated the leaver and did nothing else; the leaver keeps every other field and their Entra link,
	 * and everyone else is as before.
	 */
	private void assertOnlyDeactivated(List<JsonNode> runs, EntraUser leaver, Map<String, Map<String, String>> before) {
		assertThat(runs).isNotEmpty();
		assertThat(runs).allSatisfy(run -> assertThat(run.path("status").asString()).isEqualTo("succeeded"));
		assertThat(runs.stream().mapToInt(run -> run.path("counts").path("deactivate").asInt()).sum())
			.as(runs.toString())
			.isEqualTo(1);
		for (String other : List.of("create", "update", "link", "reactivate", "manager", "invite", "error")) {
			assertThat(runs.stream().mapToInt(run -> run.path("counts").path(other).asInt()).sum())
				.as(other + " in " + runs)
				.isZero();
		}
		Map<String, Map<String, String>> after = everyone();
		assertThat(after.keySet()).as("nobody added or unlinked").isEqualTo(before.keySet());
		before.forEach((entraId, was) -> {
			Map<String, String> now = after.get(entraId);
			if (entraId.equals(leaver.id())) {
				assertThat(was.get("status")).isEqualTo("active");
				assertThat(now.get("status")).isEqualTo("deactivated");
				Map<String, String> rest = new HashMap<>(now);
				rest.put("status", was.get("status"));
				assertThat(rest).as("the leaver's other fields").isEqualTo(was);
			}
			else {
				assertThat(now).as("person of " + entraId).isEqualTo(was);
			}
		});
	}

	/** An active member who has a manager and manages nobody, so that deleting them touches no one else's manager. */
	private EntraUser leaver() {
		Set<String> managers = new java.util.HashSet<>();
		this.tenant.users().forEach(u -> {
			if (u.managerId() != null) {
				managers.add(u.managerId());
			}
		});
		return this.tenant.transitiveUserIds(this.directory.topGroupId())
			.stream()
			.map(id -> this.tenant.user(id).orElseThrow())
			.filter(u -> u.accountEnabled() && u.managerId() != null && !managers.contains(u.id()))
			.findFirst()
			.orElseThrow();
	}

	/** A full run, once a run the notifications started (if any) has ended. */
	private JsonNode sync() {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
		Response started = this.client.api(this.company, "POST", "/api/v1/integrations/entra/sync-runs", Map.of());
		while (started.status() == 409 && Instant.now().isBefore(deadline)) {
			pause(100);
			started = this.client.api(this.company, "POST", "/api/v1/integrations/entra/sync-runs", Map.of());
		}
		assertThat(started.status()).as(started.body()).isEqualTo(202);
		return this.syncs.await(this.company, started.json().path("id").asString());
	}

	private void awaitRunsSettled() {
		await(() -> this.jdbc.sql("""
				select count(*) from sync_run where company_id = :c
				and status not in ('succeeded', 'failed', 'previewed', 'held', 'discarded', 'superseded')
				""").param("c", this.company.id()).query(Long.class).single() == 0);
	}

	/** The runs made after the first {@code runsBefore}, once every run has settled (a late notification's too). */
	private List<JsonNode> runsSince(long runsBefore) {
		pause(1000);
		awaitRunsSettled();
		long made = entraRuns() - runsBefore;
		List<JsonNode> runs = new ArrayList<>();
		JsonNode newest = this.client.api(this.company, "GET", "/api/v1/integrations/entra/sync-runs?limit=" + made)
			.json();
		newest.forEach(runs::add);
		return runs;
	}

	private long entraRuns() {
		return this.jdbc.sql("select count(*) from sync_run where company_id = :c and source = 'entra'")
			.param("c", this.company.id())
			.query(Long.class)
			.single();
	}

	/** Every person linked to Entra, by Entra id. */
	private Map<String, Map<String, String>> everyone() {
		Map<String, Map<String, String>> rows = new HashMap<>();
		this.jdbc.sql("""
				select i.external_id, p.id, p.email, p.first_name, p.last_name, p.job_title, p.department, p.location,
				       p.language, p.status, p.override_manager_id, p.primary_team_id, p.role, p.invitation_state
				from person_identity i join person p on p.id = i.person_id
				where i.company_id = :c and i.source = 'entra'
				""")
			.param("c", this.company.id())
			.query((rs, n) -> {
				Map<String, String> row = new HashMap<>();
				for (String column : COLUMNS) {
					row.put(column, rs.getString(column));
				}
				rows.put(rs.getString("external_id"), row);
				return row;
			})
			.list();
		return rows;
	}

	private static final List<String> COLUMNS = List.of("id", "email", "first_name", "last_name", "job_title",
			"department",
			"location", "language", "status", "override_manager_id", "primary_team_id", "role", "invitation_state");

	private Map<String, String> row(String entraId) {
		return everyone().get(entraId);
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

	private static void await(BooleanSupplier condition) {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
		while (Instant.now().isBefore(deadline)) {
			if (condition.getAsBoolean()) {
				return;
			}
			pause(50);
		}
		throw new AssertionError("The condition did not hold within 20 s");
	}

}
