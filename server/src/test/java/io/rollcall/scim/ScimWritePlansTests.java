package io.rollcall.scim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import io.rollcall.support.Eventually;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.StatementLog;
import io.rollcall.support.UnanalyzedDirectory;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static io.rollcall.scim.ScimTestClient.GROUP;
import static io.rollcall.scim.ScimTestClient.PATCH;
import static io.rollcall.scim.ScimTestClient.USER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What SCIM requests run is planned as index probes even where PostgreSQL has no statistics yet, as in a fresh
 * directory filled by one-person pushes before autovacuum's first look, when cached prepared statements keep the plans
 * made then (issue 19: twice a statement was planned as a scan there, 48 ms and then 10 ms a POST). The statements are
 * those the requests really ran, read from JdbcTemplate's log on the threads that serve them (authentication, the
 * endpoint, the request log, the events' numbering), and each one's generic plan is read in a directory of thousands
 * of people that was never analyzed ({@link UnanalyzedDirectory}). Statements run by hand on a connection, not through
 * JdbcTemplate, are not seen; none serves these requests.
 */
class ScimWritePlansTests extends IntegrationTest {

	@Autowired
	DataSource dataSource;

	@Test
	void scimRequestsWhenDirectoryNeverAnalyzedThenEveryStatementProbesIndexes() throws Exception {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		String groupId = scim
			.send("POST", "/Groups", Map.of("schemas", List.of(GROUP), "displayName", "Sellers", "members", List.of()))
			.json()
			.path("id")
			.asString();
		List<String> statements;
		try (StatementLog log = StatementLog.start()) {
			Response created = scim.send("POST", "/Users",
					Map.of("schemas", List.of(USER), "userName", "ana@contoso.test", "externalId", "ext-ana", "name",
							Map.of("givenName", "Ana", "familyName", "Lima"), "emails",
							List.of(Map.of("value", "ana@contoso.test", "type", "work", "primary", true)), "title",
							"Engineer", "active", true));
			assertThat(created.status()).as(created.body()).isEqualTo(201);
			String id = created.json().path("id").asString();
			Response patched = scim.send("PATCH", "/Users/" + id, Map.of("schemas", List.of(PATCH), "Operations",
					List.of(Map.of("op", "replace", "path", "title", "value", "Pilot"))));
			assertThat(patched.status()).as(patched.body()).isEqualTo(200);
			Response found = scim.get("/Users?filter=" + ScimTestClient.q("userName eq \"ana@contoso.test\""));
			assertThat(found.json().path("totalResults").asInt()).as(found.body()).isOne();
			Response added = scim.send("PATCH", "/Groups/" + groupId, Map.of("schemas", List.of(PATCH), "Operations",
					List.of(Map.of("op", "Add", "path", "members", "value", List.of(Map.of("value", id))))));
			assertThat(added.status()).as(added.body()).isEqualTo(204);
			Eventually.await(Duration.ofSeconds(10), () -> caughtUp(log.statements()));
			statements = log.statements()
				.stream()
				.filter(statement -> causedByRequests(statement.thread()))
				.map(StatementLog.Statement::sql)
				.filter(ScimWritePlansTests::planned)
				.distinct()
				.toList();
		}
		assertThat(statements).as("the statements the requests ran")
			.anyMatch(sql -> sql.contains("as deleted_user"))
			.anyMatch(sql -> sql.startsWith("insert into person_tag"))
			.anyMatch(sql -> sql.startsWith("insert into scim_request_log"));

		List<String> scans = new ArrayList<>();
		try (UnanalyzedDirectory directory = UnanalyzedDirectory.create(this.dataSource)) {
			for (String sql : statements) {
				List<String> found = directory.scans(sql);
				if (!found.isEmpty()) {
					scans.add(String.join("; ", found) + "\n  in: " + sql.replaceAll("\\s+", " ") + "\n"
							+ directory.plan(sql));
				}
			}
		}
		assertThat(scans).as("statements planned as a scan of a directory-sized table before any statistics")
			.isEmpty();
	}

	/**
	 * The threads that run what a SCIM request causes: the request's own, the writer of its row in the request log, and
	 * the sequencer that numbers its events and the dispatcher it then wakes (each event costs them a few statements).
	 * The schedulers' other work, which runs whatever the requests do, is left out.
	 */
	private static boolean causedByRequests(String thread) {
		return thread.startsWith("tomcat-handler-") || thread.equals("scim-request-log")
				|| thread.equals("event-sequencer") || thread.equals("webhook-dispatcher");
	}

	/** Statements PostgreSQL plans; {@code set local} is not one. */
	private static boolean planned(String sql) {
		return sql.toLowerCase(Locale.ROOT).matches("(?s)^(select|insert|update|delete|with)\\b.*");
	}

	/**
	 * Whether the background threads are done with the last request: after its last statement, its row in the request
	 * log was written and its event numbered, and the dispatcher looked for it.
	 */
	private static boolean caughtUp(List<StatementLog.Statement> statements) {
		int last = -1;
		for (int i = 0; i < statements.size(); i++) {
			if (statements.get(i).thread().startsWith("tomcat-handler-")) {
				last = i;
			}
		}
		boolean logged = false;
		int numbered = -1;
		boolean dispatched = false;
		for (int i = last + 1; i < statements.size(); i++) {
			StatementLog.Statement statement = statements.get(i);
			logged |= statement.sql().startsWith("insert into scim_request_log");
			if (statement.sql().startsWith("update event_sequencer")) {
				numbered = i;
			}
			dispatched |= numbered >= 0 && statement.thread().equals("webhook-dispatcher");
		}
		return last >= 0 && logged && dispatched;
	}

}
