package io.rollcall.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.rollcall.support.RollcallClient.TestCompany;

import org.springframework.jdbc.core.simple.JdbcClient;

/** A company's people as a source brought them, read straight from the database for a test's assertions. */
public final class SourcePeople {

	/** The person's columns {@link #row} reads, {@code team} being the primary team's name. */
	public static final List<String> COLUMNS = List.of("id", "email", "first_name", "last_name", "title", "job_title",
			"department", "location", "language", "hire_date", "avatar_url", "status", "override_manager_id", "team");

	private final JdbcClient jdbc;

	private final TestCompany company;

	private final String source;

	public SourcePeople(JdbcClient jdbc, TestCompany company, String source) {
		this.jdbc = jdbc;
		this.company = company;
		this.source = source;
	}

	/** The person the source knows by {@code externalId}, by {@link #COLUMNS}; null when there is none. */
	public Map<String, String> row(String externalId) {
		return this.jdbc.sql("""
				select p.*, t.name as team
				from person_identity i join person p on p.id = i.person_id left join team t on t.id = p.primary_team_id
				where i.company_id = :c and i.source = :source and i.external_id = :id
				""")
			.param("c", this.company.id())
			.param("source", this.source)
			.param("id", externalId)
			.query((rs, n) -> {
				Map<String, String> row = new HashMap<>();
				for (String column : COLUMNS) {
					row.put(column, rs.getString(column));
				}
				return row;
			})
			.optional()
			.orElse(null);
	}

	/** The company's active people, its owner left out. */
	public int activeCount() {
		return this.jdbc
			.sql("select count(*) from person where company_id = :c and status = 'active' and role <> 'owner'")
			.param("c", this.company.id())
			.query(Integer.class)
			.single();
	}

}
