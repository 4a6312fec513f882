package io.rollcall.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.core.Parser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A directory of some thousands of people that PostgreSQL has never analyzed, as a fresh one filled by SCIM pushes is
 * for its first seconds (issue 19): a scratch database beside the application's, made by the migrations, filled by
 * plain SQL, its autovacuum off. There, {@link #scans} asks PostgreSQL for the generic plan of a statement, the one a
 * cached prepared statement keeps, and names every scan of a directory-sized table in it. Close it to drop the
 * database.
 */
public final class UnanalyzedDirectory implements AutoCloseable {

	/**
	 * Tables that grow with the people of a company, or with their changes, so that a scan of one costs more as the
	 * directory grows: people and what hangs on each (identities, SCIM documents, tags, teams), the groups and teams
	 * themselves (an Entra tenant has thousands, and the tables hold every company's), and the logs of every change,
	 * delivery and request. The rest hold a row or a few per company, client or endpoint (settings, tokens, rate
	 * leases, the event sequencer, webhook endpoints), where a scan is the cheapest plan.
	 */
	public static final Set<String> DIRECTORY_SIZED = Set.of("person", "person_identity", "scim_user", "person_tag",
			"tag", "scim_group", "team", "team_manager", "secondary_team_membership", "audit_entry", "domain_event",
			"scim_request_log", "webhook_delivery");

	private static final Pattern NAMES_DIRECTORY_SIZED = Pattern
		.compile("\\b(" + String.join("|", DIRECTORY_SIZED) + ")\\b", Pattern.CASE_INSENSITIVE);

	/**
	 * A company of 5,000 people, 25 to a team and to a group, with four changes each. PostgreSQL plans a table it never
	 * analyzed by its size on disk (at least ten pages), so these need only be large enough that a scan is not free.
	 */
	private static final int PEOPLE = 5000;

	private static final int TEAMS = 200;

	private static final int GROUPS = 200;

	private static final int CHANGES = 20_000;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final DataSource application;

	private final String name;

	private final Connection connection;

	private UnanalyzedDirectory(DataSource application, String name, Connection connection) {
		this.application = application;
		this.name = name;
		this.connection = connection;
	}

	/** Makes the scratch database on the application's PostgreSQL, migrates and fills it (a second or two). */
	public static UnanalyzedDirectory create(DataSource application) throws SQLException {
		String name = "unanalyzed_" + UUID.randomUUID().toString().replace("-", "");
		try (Connection admin = application.getConnection(); Statement create = admin.createStatement()) {
			create.execute("create database " + name + " template template0");
		}
		String url = application.unwrap(HikariDataSource.class)
			.getJdbcUrl()
			.replaceFirst("/postgres(\\?|$)", "/" + name + "$1");
		UnanalyzedDirectory directory = null;
		try {
			Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration").load().migrate();
			Properties settings = new Properties();
			settings.setProperty("user", "postgres");
			// EXPLAIN's text goes as it is: the extended protocol would want values for its $1, $2...
			settings.setProperty("preferQueryMode", "simple");
			directory = new UnanalyzedDirectory(application, name, DriverManager.getConnection(url, settings));
			directory.fill();
		}
		catch (SQLException | RuntimeException ex) {
			if (directory != null) {
				directory.close();
			}
			else {
				drop(application, name);
			}
			throw ex;
		}
		return directory;
	}

	/**
	 * One company's directory, written without analyzing: autovacuum is turned off table by table first, since the
	 * bundled PostgreSQL looks every 5 s and would analyze these tables in the middle of the test.
	 */
	private void fill() throws SQLException {
		try (Statement sql = this.connection.createStatement()) {
			sql.execute("""
					do $$
					declare t record;
					begin
					    for t in select tablename from pg_tables where schemaname = 'public' loop
					        execute format('alter table %I set (autovacuum_enabled = false)', t.tablename);
					    end loop;
					end $$
					""");
			sql.execute(
					"""
							insert into company (id, slug, name) values ('00000000-0000-0000-0000-00000000c0de', 'seeded', 'Seeded');
							insert into team (id, company_id, name)
							select md5('team' || n)::uuid, '00000000-0000-0000-0000-00000000c0de', 'Team ' || n
							from generate_series(1, %1$d) n;
							insert into person (id, company_id, email, sign_in_name, first_name, last_name, job_title, primary_team_id)
							select md5('person' || n)::uuid, '00000000-0000-0000-0000-00000000c0de', 'p' || n || '@seeded.test',
							       case when n %% 2 = 0 then 'p' || n end, 'First' || n, 'Last' || n, 'Engineer',
							       md5('team' || (n %% %1$d + 1))::uuid
							from generate_series(1, %2$d) n;
							insert into person_identity (company_id, person_id, source, external_id)
							select '00000000-0000-0000-0000-00000000c0de', md5('person' || n)::uuid, s.source, s.source || '-' || n
							from generate_series(1, %2$d) n, (values ('scim'), ('entra')) s(source);
							insert into scim_user (person_id, company_id, document, deleted_at)
							select md5('person' || n)::uuid, '00000000-0000-0000-0000-00000000c0de', '{}',
							       case when n %% 10 = 0 then now() end
							from generate_series(1, %2$d) n;
							insert into team_manager (team_id, person_id)
							select md5('team' || n)::uuid, md5('person' || n)::uuid from generate_series(1, %1$d) n;
							insert into secondary_team_membership (team_id, person_id)
							select md5('team' || (n %% %1$d + 1))::uuid, md5('person' || n)::uuid from generate_series(1, %2$d) n;
							insert into tag (id, company_id, name)
							select md5('tag' || n)::uuid, '00000000-0000-0000-0000-00000000c0de', 'Group ' || n
							from generate_series(1, %3$d) n;
							insert into scim_group (tag_id, company_id, display_name, external_id)
							select md5('tag' || n)::uuid, '00000000-0000-0000-0000-00000000c0de', 'Group ' || n, 'g-' || n
							from generate_series(1, %3$d) n;
							insert into person_tag (tag_id, person_id)
							select md5('tag' || (n %% %3$d + 1))::uuid, md5('person' || n)::uuid from generate_series(1, %2$d) n;
							insert into audit_entry (company_id, actor_type, actor_label, subject_type, subject_id, action)
							select '00000000-0000-0000-0000-00000000c0de', 'source', 'SCIM', 'person',
							       md5('person' || (n %% %2$d + 1))::uuid, 'updated'
							from generate_series(1, %4$d) n;
							insert into domain_event (company_id, type, subject_type, subject_id, position)
							select '00000000-0000-0000-0000-00000000c0de', 'person.updated', 'person',
							       md5('person' || (n %% %2$d + 1))::uuid, n
							from generate_series(1, %4$d) n;
							insert into scim_request_log (company_id, method, path, status, millis)
							select '00000000-0000-0000-0000-00000000c0de', 'PATCH', '/scim/v2/Users/' || n, 200, 3
							from generate_series(1, %2$d) n;
							insert into webhook_endpoint (id, company_id, url, secret, created_at, updated_at)
							values ('00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-00000000c0de',
							        'https://hooks.seeded.test', 'sealed', now(), now());
							insert into webhook_endpoint_progress (endpoint_id, delivered_up_to)
							values ('00000000-0000-0000-0000-0000000000e1', %4$d);
							insert into webhook_delivery (endpoint_id, event_id, position, event_type, subject_id, status,
							                              created_at)
							select '00000000-0000-0000-0000-0000000000e1', n, n, 'person.updated',
							       md5('person' || (n %% %2$d + 1))::uuid, 'delivered', now()
							from generate_series(1, %4$d) n;
							"""
						.formatted(TEAMS, PEOPLE, GROUPS, CHANGES));
		}
	}

	/**
	 * Every scan of a directory-sized table in the generic plan of {@code sql} (JDBC's {@code ?} placeholders, as
	 * JdbcTemplate runs it), one line each naming the table and how it is read; empty when it is all index probes.
	 * A scan is a sequential one; a walk of a whole index (no index condition) but a partial one's, whose predicate
	 * bounds it; or a walk of the company in an index (its only conditions the company and constants), the plan that
	 * cost 48 ms a SCIM POST at 100,000 people (bench/RESULTS.md, 2026-12-05).
	 */
	public List<String> scans(String sql) throws SQLException {
		// Only these can hold such a scan; the others need not be planned, which spares the few whose parameters
		// PostgreSQL cannot type without the driver's types (least(?, ?) would be text, not the int bound).
		if (!NAMES_DIRECTORY_SIZED.matcher(sql).find()) {
			return List.of();
		}
		JsonNode plan;
		try (Statement explain = this.connection.createStatement();
				ResultSet row = explain.executeQuery("explain (generic_plan, format json) " + numbered(sql))) {
			row.next();
			plan = JSON.readTree(row.getString(1)).get(0).get("Plan");
		}
		catch (SQLException ex) {
			throw new SQLException("Could not plan " + sql.replaceAll("\\s+", " ") + ": " + ex.getMessage(), ex);
		}
		List<String> scans = new ArrayList<>();
		collectScans(plan, scans);
		return scans;
	}

	/** The generic plan of {@code sql} as PostgreSQL prints it, for a failure's message. */
	public String plan(String sql) throws SQLException {
		StringBuilder text = new StringBuilder();
		try (Statement explain = this.connection.createStatement();
				ResultSet rows = explain.executeQuery("explain (generic_plan) " + numbered(sql))) {
			while (rows.next()) {
				text.append(rows.getString(1)).append('\n');
			}
		}
		return text.toString();
	}

	/** The statement with PostgreSQL's $1, $2... for JDBC's ? placeholders, as the driver sends it. */
	private static String numbered(String sql) throws SQLException {
		// The driver's own parser, so a ? in a string literal or comment, and ?? (jsonb's ?), are read as it reads them.
		return Parser.parseJdbcSql(sql, true, true, false, false, false).getFirst().nativeSql;
	}

	private void collectScans(JsonNode node, List<String> scans) throws SQLException {
		String type = node.path("Node Type").asString();
		String index = node.path("Index Name").asString("");
		// A bitmap index scan names its index only; its table is the bitmap heap scan's above it.
		String table = node.has("Relation Name") ? node.path("Relation Name").asString() : tableOf(index);
		String condition = node.path("Index Cond").asString("");
		if (DIRECTORY_SIZED.contains(table)) {
			if (type.equals("Seq Scan")) {
				scans.add("Seq Scan on " + table + filter(node));
			}
			else if (!index.isEmpty() && condition.isEmpty() && !partial(index)) {
				scans.add(type + " of all of " + index + " on " + table + filter(node));
			}
			else if (!index.isEmpty() && onlyTheCompany(condition) && !partial(index)) {
				scans.add(type + " of the company in " + index + " on " + table + ", " + condition
						+ filter(node));
			}
		}
		for (JsonNode child : node.path("Plans")) {
			collectScans(child, scans);
		}
	}

	private static String filter(JsonNode node) {
		String filter = node.path("Filter").asString("");
		return filter.isEmpty() ? "" : ", filter " + filter;
	}

	/**
	 * Whether an index condition narrows by nothing but the company and constants, as {@code (company_id = $1)} or
	 * {@code ((company_id = $3) AND (source = 'scim'::text))}, which reads every SCIM identity of the company.
	 */
	private static boolean onlyTheCompany(String condition) {
		if (condition.isEmpty()) {
			return false;
		}
		for (String clause : condition.split(" AND ")) {
			String bare = clause.replaceAll("[()]", "").strip().toLowerCase(Locale.ROOT);
			if (!bare.matches("(\\w+\\.)?company_id = \\S+") && !bare.matches("(\\w+\\.)?\\w+ = '[^']*'(::[\\w ]+)?")
					&& !bare.matches("(\\w+\\.)?\\w+ is (not )?null")) {
				return false;
			}
		}
		return true;
	}

	private String tableOf(String index) throws SQLException {
		if (index.isEmpty()) {
			return "";
		}
		try (var select = this.connection
			.prepareStatement("select indrelid::regclass::text from pg_index where indexrelid = to_regclass(?)")) {
			select.setString(1, index);
			try (ResultSet row = select.executeQuery()) {
				return row.next() ? row.getString(1) : "";
			}
		}
	}

	private boolean partial(String index) throws SQLException {
		try (var select = this.connection
			.prepareStatement("select indpred is not null from pg_index where indexrelid = to_regclass(?)")) {
			select.setString(1, index);
			try (ResultSet row = select.executeQuery()) {
				return row.next() && row.getBoolean(1);
			}
		}
	}

	/** Drops the scratch database, its connections broken first (Flyway's pool may keep one). */
	@Override
	public void close() throws SQLException {
		try {
			this.connection.close();
		}
		finally {
			drop(this.application, this.name);
		}
	}

	private static void drop(DataSource application, String name) throws SQLException {
		try (Connection admin = application.getConnection(); Statement drop = admin.createStatement()) {
			drop.execute("drop database if exists " + name + " with (force)");
		}
	}

}
