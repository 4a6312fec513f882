package io.rollcall.support;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** What a full sync at scale must show when 30,000 of 100,001 people left: the hold, with exactly those leaving. */
public final class DepartureHolds {

	private DepartureHolds() {
	}

	/** The run is held with exactly {@code leavers} to deactivate and nobody deactivated yet; then it is discarded. */
	public static void assertHeldWithExactlyThenDiscard(JdbcClient jdbc, RollcallClient client, TestCompany company,
			JsonNode held, Set<String> leavers) {
		String runId = held.path("id").asString();
		assertThat(held.path("status").asString()).as(held.toString()).isEqualTo("held");
		assertThat(held.path("holdReason").asString()).contains("30000 of 100001");
		assertThat(held.path("counts").path("deactivate").asInt()).isEqualTo(30_000);
		assertThat(held.path("counts").path("unchanged").asInt()).isEqualTo(70_000);
		assertThat(held.path("counts").path("update").asInt()).isZero();
		assertThat(held.path("counts").path("create").asInt()).isZero();
		assertThat(held.path("counts").path("error").asInt()).isZero();
		assertThat(new HashSet<>(jdbc.sql("""
				select external_id from sync_plan_item where run_id = cast(:run as uuid) and kind = 'deactivate'
				""").param("run", runId).query(String.class).list())).isEqualTo(leavers);
		Integer deactivated = jdbc.sql("select count(*) from person where company_id = :company and status <> 'active'")
			.param("company", company.id())
			.query(Integer.class)
			.single();
		assertThat(deactivated).as("nobody deactivated while held").isZero();
		Response discarded = client.api(company, "POST", "/api/v1/sync-runs/" + runId + "/approval",
				Map.of("decision", "discard"));
		assertThat(discarded.status()).as(discarded.body()).isEqualTo(200);
	}

}
