package io.rollcall.okta;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.rollcall.emulators.okta.GeneratedOrg;
import io.rollcall.emulators.okta.OktaEmulator;
import io.rollcall.emulators.okta.OktaOrg;
import io.rollcall.emulators.okta.OktaUser;
import io.rollcall.emulators.okta.OrgSpec;
import io.rollcall.support.DepartureHolds;
import io.rollcall.support.DirectorySeed;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.Syncs;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An Okta full sync at the size Rollcall is sold for, over HTTP against the emulator: 100,000 people known here, of
 * whom 30,000 were unassigned from the app. The people are seeded straight into the database with only their e-mail
 * mapped (what is tested is the departure plan, not the fields).
 */
class OktaSyncAtScaleTests extends IntegrationTest {

	@Autowired
	JdbcClient jdbc;

	@Test
	void syncWhenThirtyPercentOf100000UnassignedThenHeldWithExactlyThoseDeactivations() {
		TestCompany company = this.client.createCompany();
		Syncs syncs = new Syncs(this.client, this.port);
		// A large org's budget: Okta scales its per-minute limits with the org's size.
		try (OktaEmulator okta = OktaEmulator.start(OktaEmulator.Options.defaults().rateLimit(20_000))) {
			OktaOrg org = okta.org();
			GeneratedOrg generated = org.generate(OrgSpec.people(100_000)
				.withAssignedShare(1.0)
				.withSuspendedShare(0)
				.withPictureShare(0)
				.withDomain(company.slug() + ".example"));
			List<DirectorySeed.Seeded> people = new ArrayList<>();
			Set<String> unassigned = new HashSet<>();
			for (int i = 0; i < generated.userIds().size(); i++) {
				OktaUser user = org.user(generated.userIds().get(i)).orElseThrow();
				people.add(new DirectorySeed.Seeded(user.id(), user.email(), user.profile("firstName")));
				if (i % 10 < 3) {
					org.unassign(user.id());
					unassigned.add(user.id());
				}
			}
			assertThat(people).hasSize(100_000);
			DirectorySeed.people(this.jdbc, company.id(), "okta", people);
			try {
				Map<String, Object> settings = new LinkedHashMap<>();
				settings.put("orgUrl", org.orgUrl());
				settings.put("apiToken", org.apiToken());
				settings.put("appId", org.appId());
				settings.put("assignManagers", false);
				settings.put("invitationPolicy", "never");
				Response saved = this.client.api(company, "PUT", "/api/v1/integrations/okta", settings);
				assertThat(saved.status()).as(saved.body()).isEqualTo(200);
				Response mapped = this.client.api(company, "PUT", "/api/v1/integrations/okta/mappings",
						List.of(Map.of("source", "email", "target", "email")));
				assertThat(mapped.status()).as(mapped.body()).isEqualTo(200);

				Response started = this.client.api(company, "POST", "/api/v1/integrations/okta/sync-runs", Map.of());
				assertThat(started.status()).as(started.body()).isEqualTo(202);
				String runId = started.json().path("id").asString();
				JsonNode held = syncs.await(company, runId, Duration.ofMinutes(5));

				DepartureHolds.assertHeldWithExactlyThenDiscard(this.jdbc, this.client, company, held, unassigned);
			}
			finally {
				// The org is gone with its emulator: a later test's daily sync must not spend the run threads on it.
				this.jdbc.sql("delete from okta_connection where company_id = :company")
					.param("company", company.id())
					.update();
			}
		}
	}

}
