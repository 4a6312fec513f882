package io.rollcall.directory;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.rollcall.events.EventSubjects;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** People, teams and tags as the API shows them, for the events that carry them. */
@Configuration(proxyBeanMethods = false)
class DirectoryEventSubjects {

	@Bean
	EventSubjects personSubjects(People people) {
		return subjects("person", (company, ids) -> people.load(company, List.copyOf(ids)), Person::id);
	}

	@Bean
	EventSubjects teamSubjects(Teams teams) {
		// A sync can create hundreds of teams at once: past a few, one read of them all is cheaper than one each.
		return subjects("team", (company, ids) -> ids.size() <= 10
				? ids.stream().flatMap(id -> teams.find(company, id).stream()).toList()
				: teams.list(company).stream().filter(team -> ids.contains(team.id())).toList(), Team::id);
	}

	@Bean
	EventSubjects tagSubjects(JdbcClient jdbc) {
		return subjects("tag", (company, ids) -> jdbc.sql("""
				select t.id, t.name, (select count(*) from person_tag pt where pt.tag_id = t.id) as people
				from tag t where t.company_id = :company and t.id = any(:ids)
				""")
			.param("company", company)
			.param("ids", ids.toArray(new UUID[0]))
			.query((rs, n) -> new Tag(rs.getObject("id", UUID.class), rs.getString("name"), rs.getInt("people")))
			.list(), Tag::id);
	}

	private static <T> EventSubjects subjects(String kind, Loader<T> loader, Function<T, UUID> id) {
		return new EventSubjects() {
			@Override
			public String subjectType() {
				return kind;
			}

			@Override
			public Map<UUID, ?> load(UUID companyId, Collection<UUID> ids) {
				return loader.load(companyId, ids).stream().collect(Collectors.toMap(id, Function.identity()));
			}
		};
	}

	private interface Loader<T> {

		List<T> load(UUID companyId, Collection<UUID> ids);

	}

}
