package io.rollcall.platform;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V24 on a database whose modules each had their own db-scheduler table: what was scheduled there is in the one table
 * afterwards, due when it was and picked by whom it was, and the tables are gone.
 */
class JobTableMigrationTests {

	private static final Instant DUE = Instant.parse("2026-12-05T03:00:00Z");

	@Test
	void migrateWhenModulesHadTablesOfTheirOwnThenEveryScheduledTaskIsInTheOneTable() throws Exception {
		try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
			DataSource database = postgres.getPostgresDatabase();
			Flyway.configure().dataSource(database).locations("classpath:db/migration").target("23").load().migrate();
			JdbcClient jdbc = JdbcClient.create(database);
			schedule(jdbc, "scheduled_tasks", "sync-run", "0b8f3c1e-5d64-4f8e-9f3a-2c1d7e6a9b10", null);
			schedule(jdbc, "entra_scheduled_tasks", "entra-daily-sync", "recurring", null);
			schedule(jdbc, "entra_scheduled_tasks", "entra-notifications", "recurring", null);
			// A photo pass running on a node when the upgrade came: the one scheduler runs it again once that node's
			// heartbeat is stale.
			schedule(jdbc, "entra_scheduled_tasks", "entra-photos", "recurring", "node-1");
			schedule(jdbc, "okta_scheduled_tasks", "okta-daily-sync", "recurring", null);
			schedule(jdbc, "okta_scheduled_tasks", "okta-events", "recurring", null);
			schedule(jdbc, "event_scheduled_tasks", "event-retention", "recurring", null);
			schedule(jdbc, "identity_provider_scheduled_tasks", "authorization-retention", "recurring", null);

			Flyway.configure().dataSource(database).locations("classpath:db/migration").target("24").load().migrate();

			assertThat(jdbc.sql("select task_name from scheduled_tasks order by task_name").query(String.class).list())
				.as("every task a module still has, none of the retired ones")
				.containsExactly("authorization-retention", "entra-daily-sync", "entra-photos", "event-retention",
						"okta-daily-sync", "sync-run");
			assertThat(jdbc.sql("select distinct execution_time from scheduled_tasks").query(Timestamp.class).list())
				.containsExactly(Timestamp.from(DUE));
			assertThat(jdbc.sql("select picked_by from scheduled_tasks where picked").query(String.class).list())
				.containsExactly("node-1");
			assertThat(jdbc.sql("select priority from scheduled_tasks where task_name = 'sync-run'")
				.query(Integer.class)
				.single()).as("a run first").isEqualTo(100);
			assertThat(jdbc.sql("select distinct priority from scheduled_tasks where task_name <> 'sync-run'")
				.query(Integer.class)
				.list()).containsExactly(90);
			assertThat(jdbc.sql("""
					select table_name from information_schema.tables where table_name like '%scheduled_tasks'
					""").query(String.class).list()).isEqualTo(List.of("scheduled_tasks"));
		}
	}

	private static void schedule(JdbcClient jdbc, String table, String task, String instance, String pickedBy) {
		Timestamp heartbeat = (pickedBy != null) ? Timestamp.from(DUE.plus(1, ChronoUnit.MINUTES)) : null;
		jdbc.sql("insert into " + table
				+ " (task_name, task_instance, execution_time, picked, picked_by, last_heartbeat, "
				+ "version) values (:task, :instance, :due, :picked, :pickedBy, :heartbeat, 1)")
			.param("task", task)
			.param("instance", instance)
			.param("due", Timestamp.from(DUE))
			.param("picked", pickedBy != null)
			.param("pickedBy", pickedBy)
			.param("heartbeat", heartbeat)
			.update();
	}

}
