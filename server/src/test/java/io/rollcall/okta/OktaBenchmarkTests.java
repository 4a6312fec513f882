package io.rollcall.okta;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.rollcall.emulators.okta.GeneratedOrg;
import io.rollcall.emulators.okta.OktaEmulator;
import io.rollcall.emulators.okta.OktaOrg;
import io.rollcall.emulators.okta.OrgSpec;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.Syncs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5's benchmarks, run on demand ({@code -Drollcall.bench=okta}): a full sync of 50,000 app users, and the
 * time from an admin's change in Okta to the person updated here for a burst of 1,000 changes. The service, its
 * PostgreSQL and the emulator share the machine's cores; results go to bench/RESULTS.md by hand.
 */
@EnabledIfSystemProperty(named = "rollcall.bench", matches = "okta")
class OktaBenchmarkTests extends IntegrationTest {

	@Autowired
	JdbcClient jdbc;

	@Test
	void fullSyncOf50000AndABurstOf1000Events() throws Exception {
		int people = Integer.getInteger("rollcall.bench.people", 50_000);
		// A large org's budget: Okta scales its per-minute limits with the org's size.
		try (OktaEmulator okta = OktaEmulator
			.start(OktaEmulator.Options.defaults().rateLimit(20_000).hookBatchWindow(Duration.ofMillis(20)))) {
			OktaOrg org = okta.org();
			TestCompany company = this.client.createCompany();
			Syncs syncs = new Syncs(this.client, this.port);
			GeneratedOrg generated = org.generate(OrgSpec.people(people)
				.withAssignedShare(1.0)
				.withSuspendedShare(0)
				.withPictureShare(0)
				.withDepartments(50)
				.withDomain(company.slug() + ".example"));
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("orgUrl", org.orgUrl());
			body.put("apiToken", org.apiToken());
			body.put("appId", org.appId());
			body.put("assignManagers", true);
			Response saved = this.client.api(company, "PUT", "/api/v1/integrations/okta", body);
			String secret = saved.json().path("eventHookSecret").asString();

			Timed first = sync(company, syncs);
			Timed again = sync(company, syncs);
			System.out.printf(
					"BENCH | full sync of %d app users, new | %s in %.1f s (reading and planning %.1f s, applying %.1f s); counts %s |%n",
					people, first.run().path("status").asString(), first.seconds(), first.planning(), first.applying(),
					first.run().path("counts"));
			System.out.printf(
					"BENCH | full sync of the same %d again, unchanged | %s in %.1f s (reading and planning %.1f s, applying %.1f s); counts %s |%n",
					people, again.run().path("status").asString(), again.seconds(), again.planning(), again.applying(),
					again.run().path("counts"));
			assertThat(first.run().path("status").asString()).isEqualTo("succeeded");

			org.registerEventHook(saved.json().path("eventHookUrl").asString(), secret);
			int burst = 1_000;
			List<String> users = generated.assignedUserIds().subList(1, burst + 1);
			Map<String, Long> changedAt = new HashMap<>();
			Instant burstBegan = Instant.now();
			long burstStart = System.nanoTime();
			for (int i = 0; i < burst; i++) {
				changedAt.put(users.get(i), System.nanoTime());
				org.updateProfile(users.get(i), Map.of("title", "Burst " + i));
			}
			List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
			Map<String, Long> seen = new HashMap<>();
			Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
			while (seen.size() < burst && Instant.now().isBefore(deadline)) {
				long now = System.nanoTime();
				this.jdbc.sql("""
						select i.external_id from person_identity i join person p on p.id = i.person_id
						where i.company_id = :c and i.source = 'okta' and p.job_title like 'Burst %'
						""").param("c", company.id()).query(String.class).list().forEach(id -> {
					if (!seen.containsKey(id)) {
						seen.put(id, now);
						latencies.add(now - changedAt.get(id));
					}
				});
				Thread.sleep(20);
			}
			double burstSeconds = (System.nanoTime() - burstStart) / 1e9;
			// The emulator posts batches one after another: when the last one went out bounds what the service can do.
			Instant lastSent = org.deliveries()
				.stream()
				.filter(d -> d.kind().equals("events"))
				.map(d -> d.sentAt().plus(d.responseTime()))
				.max(Instant::compareTo)
				.orElse(burstBegan);
			long posts = org.deliveries().stream().filter(d -> d.kind().equals("events")).count();
			Collections.sort(latencies);
			System.out.printf(
					"BENCH | burst of %d profile updates, change to person updated | %d/%d arrived; p50 %.0f ms, p95 %.0f ms, max %.0f ms; all in %.1f s; %d runs; %d hook posts, the last answered %d ms after the burst began |%n",
					burst, seen.size(), burst, pct(latencies, 50), pct(latencies, 95), pct(latencies, 100),
					burstSeconds,
					this.jdbc.sql("select count(*) from sync_run where company_id = :c")
						.param("c", company.id())
						.query(Long.class)
						.single() - 2,
					posts, Duration.between(burstBegan, lastSent).toMillis());
			assertThat(seen).hasSize(burst);
		}
	}

	/**
	 * A run, its time from the request to its end, and when it began applying (seen by polling every 50 ms): reading
	 * and planning go together, as the pages are planned as they are read.
	 */
	private record Timed(JsonNode run, double seconds, double planning) {

		double applying() {
			return this.seconds - this.planning;
		}

	}

	private Timed sync(TestCompany company, Syncs syncs) {
		long start = System.nanoTime();
		long applying = 0;
		Response started = this.client.api(company, "POST", "/api/v1/integrations/okta/sync-runs", Map.of());
		assertThat(started.status()).as(started.body()).isEqualTo(202);
		String id = started.json().path("id").asString();
		Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
		while (Instant.now().isBefore(deadline)) {
			JsonNode run = this.client.api(company, "GET", "/api/v1/sync-runs/" + id).json();
			long now = System.nanoTime();
			String status = run.path("status").asString();
			if (applying == 0 && !List.of("queued", "planning").contains(status)) {
				applying = now;
			}
			if (List.of("succeeded", "failed", "held", "previewed").contains(status)) {
				return new Timed(run, (now - start) / 1e9, (applying - start) / 1e9);
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		throw new AssertionError("The run did not end within 5 minutes");
	}

	private static double pct(List<Long> nanos, int percentile) {
		if (nanos.isEmpty()) {
			return Double.NaN;
		}
		int index = Math.min(nanos.size() - 1, (int) Math.ceil(percentile / 100.0 * nanos.size()) - 1);
		return nanos.get(Math.max(0, index)) / 1e6;
	}

}
