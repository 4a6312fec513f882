package io.rollcall.support;

import java.time.Duration;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A row trigger a test puts on a table for as long as it needs it, to refuse or hold up the rows it matches as a broken
 * constraint, a failing disk or a lock would. Closing it drops the trigger and its function.
 */
public final class RowTrigger implements AutoCloseable {

	private final JdbcClient jdbc;

	private final String name;

	private final String table;

	private RowTrigger(JdbcClient jdbc, String name, String table) {
		this.jdbc = jdbc;
		this.name = name;
		this.table = table;
	}

	/**
	 * Refuses every {@code event} ("insert", "update") on {@code table} of a row matching {@code when} (a condition
	 * on {@code new}), with an error saying it was injected.
	 */
	public static RowTrigger refusing(JdbcClient jdbc, String name, String event, String table, String when,
			String what) {
		return install(jdbc, name, event, table, when,
				"raise exception 'injected by the test: %s';".formatted(what.replace("'", "''")));
	}

	/** Holds every {@code event} on {@code table} of a row matching {@code when} for {@code held}, then lets it by. */
	public static RowTrigger holding(JdbcClient jdbc, String name, String event, String table, String when,
			Duration held) {
		return install(jdbc, name, event, table, when,
				"perform pg_sleep(%s);%n  return new;".formatted(held.toMillis() / 1000.0));
	}

	private static RowTrigger install(JdbcClient jdbc, String name, String event, String table, String when,
			String body) {
		jdbc.sql("""
				create or replace function %s() returns trigger language plpgsql as $$
				begin
				  %s
				end $$
				""".formatted(name, body)).update();
		jdbc.sql("""
				create or replace trigger %1$s before %2$s on %3$s
				for each row when (%4$s) execute function %1$s()
				""".formatted(name, event, table, when)).update();
		return new RowTrigger(jdbc, name, table);
	}

	@Override
	public void close() {
		this.jdbc.sql("drop trigger if exists %s on %s".formatted(this.name, this.table)).update();
		this.jdbc.sql("drop function if exists %s()".formatted(this.name)).update();
	}

}
