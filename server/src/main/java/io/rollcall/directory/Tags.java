package io.rollcall.directory;

import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Tags are created as they are first given to someone (see {@link PersonChanges#tags}). */
@Service
public class Tags {

	private final JdbcClient jdbc;

	Tags(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Transactional(readOnly = true)
	public List<Tag> list(UUID companyId) {
		return this.jdbc.sql("""
				select t.id, t.name, (select count(*) from person_tag pt where pt.tag_id = t.id) as people
				from tag t where t.company_id = :company order by lower(t.name)
				""")
			.param("company", companyId)
			.query((rs, n) -> new Tag(rs.getObject("id", UUID.class), rs.getString("name"), rs.getInt("people")))
			.list();
	}

}
