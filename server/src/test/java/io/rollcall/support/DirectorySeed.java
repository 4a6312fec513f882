package io.rollcall.support;

import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * People written straight into a company's directory, each linked to a source: the starting point of a test at
 * scale whose subject is a later run, seeded in a second or two instead of a run of its own. No audit entries or
 * events are written for them; the directory's statistics are gathered afterwards, as a large run does.
 */
public final class DirectorySeed {

	private DirectorySeed() {
	}

	/** One seeded person: active, with only an e-mail and a first name. */
	public record Seeded(String externalId, String email, String firstName) {
	}

	public static void people(JdbcClient jdbc, UUID companyId, String source, List<Seeded> people) {
		UUID[] ids = people.stream().map(p -> UUID.randomUUID()).toArray(UUID[]::new);
		jdbc.sql(
				"""
						insert into person (id, company_id, email, first_name)
						select p.id, :company, p.email, p.first_name
						from unnest(cast(:ids as uuid[]), cast(:emails as text[]), cast(:firstNames as text[])) as p(id, email, first_name)
						""")
			.param("company", companyId)
			.param("ids", ids)
			.param("emails", people.stream().map(Seeded::email).toArray(String[]::new))
			.param("firstNames", people.stream().map(Seeded::firstName).toArray(String[]::new))
			.update();
		jdbc.sql("""
				insert into person_identity (company_id, person_id, source, external_id)
				select :company, i.person_id, :source, i.external_id
				from unnest(cast(:ids as uuid[]), cast(:externalIds as text[])) as i(person_id, external_id)
				""")
			.param("company", companyId)
			.param("source", source)
			.param("ids", ids)
			.param("externalIds", people.stream().map(Seeded::externalId).toArray(String[]::new))
			.update();
		jdbc.sql("analyze person, person_identity").update();
	}

}
