package io.rollcall.entra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import io.rollcall.emulators.entra.DirectorySpec;
import io.rollcall.emulators.entra.EntraEmulator;
import io.rollcall.emulators.entra.EntraTenant;
import io.rollcall.emulators.entra.EntraUser;
import io.rollcall.emulators.entra.GeneratedDirectory;
import io.rollcall.support.DepartureHolds;
import io.rollcall.support.DirectorySeed;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.Syncs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An Entra ID full sync at the size Rollcall is sold for, over HTTP against the emulator: 100,000 people known here,
 * of whom 30,000 are no longer in the group. The people are seeded straight into the database with only their e-mail
 * mapped (what is tested is the departure plan, not the fields).
 */
class EntraSyncAtScaleTests extends IntegrationTest {

	private static final EntraEmulator ENTRA = EntraEmulator.start(EntraEmulator.Options.defaults());

	@Autowired
	JdbcClient jdbc;

	@Autowired
	EntraIntegration integration;

	@AfterAll
	static void stop() {
		ENTRA.close();
	}

	@Test
	void syncWhenThirtyPercentOf100000LeftTheGroupAndGraphFailedMidListingThenRetriedAndHeldWithExactlyThoseDeactivations() {
		TestCompany company = this.client.createCompany();
		Syncs syncs = new Syncs(this.client, this.port);
		EntraTenant tenant = ENTRA.createTenant(company.slug() + ".example");
		// Members stay in the group; the outsiders are the people who left it.
		GeneratedDirectory directory = tenant.generate(DirectorySpec.people(70_000)
			.withOutsiders(30_000)
			.withNesting(0, 1)
			.withPhotoShare(0)
			.withDisabledShare(0)
			.withDuplicateMembershipShare(0)
			.withDomain(company.slug() + ".example"));
		List<DirectorySeed.Seeded> people = new ArrayList<>();
		for (EntraUser user : tenant.users()) {
			people.add(new DirectorySeed.Seeded(user.id(), user.userPrincipalName(), user.givenName()));
		}
		assertThat(people).hasSize(100_000);
		DirectorySeed.people(this.jdbc, company.id(), "entra", people);
		try {
			Map<String, Object> settings = new HashMap<>();
			settings.put("tenantId", tenant.tenantId());
			settings.put("groupId", directory.topGroupId());
			settings.put("clientId", tenant.clientId());
			settings.put("clientSecret", tenant.clientSecret());
			settings.put("cloud", "custom");
			settings.put("authorityUrl", ENTRA.authority());
			settings.put("graphUrl", ENTRA.graphUrl());
			settings.put("assignManagers", false);
			settings.put("invitationPolicy", "never");
			Response saved = this.client.api(company, "PUT", "/api/v1/integrations/entra", settings);
			assertThat(saved.status()).as(saved.body()).isEqualTo(200);
			Response mapped = this.client.api(company, "PUT", "/api/v1/integrations/entra/mappings",
					List.of(Map.of("source", "userPrincipalName", "target", "email")));
			assertThat(mapped.status()).as(mapped.body()).isEqualTo(200);
			this.integration.authorised(company.id());

			// Graph stops answering partway through the group's 71 pages, for longer than the client's retries.
			ENTRA.faults().outageAfter(20);
			Response started = this.client.api(company, "POST", "/api/v1/integrations/entra/sync-runs", Map.of());
			assertThat(started.status()).as(started.body()).isEqualTo(202);
			String runId = started.json().path("id").asString();
			JsonNode failing = syncs.await(company, runId, java.util.Set.of("retrying", "held", "succeeded", "failed"),
					Duration.ofMinutes(5));
			assertThat(failing.path("status").asString()).as(failing.toString()).isEqualTo("retrying");
			assertThat(failing.path("error").asString()).contains("503");
			assertThat(this.jdbc.sql("select count(*) from person where company_id = :company and status <> 'active'")
				.param("company", company.id())
				.query(Integer.class)
				.single()).as("a listing read in part deactivates nobody").isZero();
			ENTRA.faults().reset(); // Graph is back: the run's next attempt reads the whole group again

			JsonNode held = syncs.await(company, runId, java.util.Set.of("held", "succeeded", "failed"),
					Duration.ofMinutes(5));

			DepartureHolds.assertHeldWithExactlyThenDiscard(this.jdbc, this.client, company, held,
					new HashSet<>(directory.outsiderUserIds()));
		}
		finally {
			ENTRA.faults().reset();
			// The photo pass and the daily sync would otherwise go on working for this company in later tests.
			this.jdbc.sql("delete from entra_photo where company_id = :company")
				.param("company", company.id())
				.update();
			this.jdbc.sql("delete from entra_connection where company_id = :company")
				.param("company", company.id())
				.update();
		}
	}

}
