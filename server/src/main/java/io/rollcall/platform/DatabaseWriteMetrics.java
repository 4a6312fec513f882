package io.rollcall.platform;

import java.util.List;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Rows inserted, updated and deleted per directory table, as PostgreSQL itself counts them
 * ({@code pg_stat_user_tables}), published as {@code rollcall_database_rows_written_total{table=...}}. It shows an
 * operator which syncs really write, and lets the benchmark prove that a sync with nothing changed writes nothing.
 * PostgreSQL publishes a connection's counts when it goes idle, so they lag by up to about ten seconds.
 */
@Component
final class DatabaseWriteMetrics implements MeterBinder {

	private static final List<String> TABLES = List.of("person", "person_identity", "team", "team_manager",
			"secondary_team_membership", "tag", "person_tag", "custom_field", "invitation", "audit_entry",
			"domain_event");

	private final JdbcClient jdbc;

	DatabaseWriteMetrics(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (String table : TABLES) {
			FunctionCounter.builder("rollcall.database.rows.written", this, metrics -> metrics.rowsWritten(table))
				.tag("table", table)
				.description("Rows inserted, updated or deleted in the table, as counted by PostgreSQL")
				.register(registry);
		}
	}

	private double rowsWritten(String table) {
		return this.jdbc
			.sql("select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) from pg_stat_user_tables where relname = :table")
			.param("table", table)
			.query(Long.class)
			.single();
	}

}
