package io.rollcall.directory;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rollcall.audit.AuditLog;
import io.rollcall.audit.AuditRecord;
import io.rollcall.audit.FieldChange;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tags are created as they are first given to someone (see {@link PersonChanges#tags}), or as a whole with their
 * members by a source that pushes groups. Member changes cost what they change, never the size of the tag.
 */
@Service
public class Tags {

	private final JdbcClient jdbc;

	private final AuditLog audit;

	Tags(JdbcClient jdbc, AuditLog audit) {
		this.jdbc = jdbc;
		this.audit = audit;
	}

	/** A new tag named {@code name}, or "name 2", "name 3"... when the name is taken. */
	@Transactional
	public Tag create(UUID companyId, String name, Actor actor) {
		String wanted = requireName(name);
		UUID id = UUID.randomUUID();
		for (int n = 1;; n++) {
			String candidate = n == 1 ? wanted : wanted + " " + n;
			int inserted = this.jdbc.sql("""
					insert into tag (id, company_id, name) values (:id, :company, :name)
					on conflict (company_id, lower(name)) do nothing
					""").param("id", id).param("company", companyId).param("name", candidate).update();
			if (inserted == 1) {
				this.audit.record(companyId, actor, "tag", id, "created",
						Map.of("name", new FieldChange(null, candidate)));
				return new Tag(id, candidate, 0);
			}
		}
	}

	/** Renames the tag, with a numbered suffix when the new name is taken by another tag; returns the name given. */
	@Transactional
	public String rename(UUID companyId, UUID tagId, String name, Actor actor) {
		String wanted = requireName(name);
		String current = this.jdbc.sql("select name from tag where company_id = :company and id = :id for update")
			.param("company", companyId)
			.param("id", tagId)
			.query(String.class)
			.optional()
			.orElseThrow(() -> RequestRejectedException.notFound("Tag " + tagId));
		if (current.equals(wanted)) {
			return current;
		}
		for (int n = 1;; n++) {
			String candidate = n == 1 ? wanted : wanted + " " + n;
			boolean taken = this.jdbc.sql("""
					select count(*) from tag where company_id = :company and lower(name) = lower(:name) and id <> :id
					""")
				.param("company", companyId)
				.param("name", candidate)
				.param("id", tagId)
				.query(Long.class)
				.single() > 0;
			if (!taken) {
				this.jdbc.sql("update tag set name = :name where id = :id")
					.param("name", candidate)
					.param("id", tagId)
					.update();
				this.audit.record(companyId, actor, "tag", tagId, "renamed",
						Map.of("name", new FieldChange(current, candidate)));
				return candidate;
			}
		}
	}

	/** Everyone loses the tag first, each with their membership.removed event, then the tag goes. */
	@Transactional
	public void delete(UUID companyId, UUID tagId, Actor actor) {
		String name = this.jdbc.sql("select name from tag where company_id = :company and id = :id for update")
			.param("company", companyId)
			.param("id", tagId)
			.query(String.class)
			.optional()
			.orElseThrow(() -> RequestRejectedException.notFound("Tag " + tagId));
		untagAll(companyId, tagId, actor);
		// Recorded before the delete, so that the tag.deleted event carries the tag as it was.
		this.audit.record(companyId, actor, "tag", tagId, "deleted", Map.of("name", new FieldChange(name, null)));
		this.jdbc.sql("delete from tag where id = :id").param("id", tagId).update();
	}

	/**
	 * Tags these people of the company (ids of other companies or of nobody are ignored); returns who was newly
	 * tagged. One statement for the batch, whatever the tag's size.
	 */
	@Transactional
	public List<UUID> tag(UUID companyId, UUID tagId, Collection<UUID> personIds, Actor actor) {
		if (personIds.isEmpty()) {
			return List.of();
		}
		List<UUID> added = this.jdbc.sql("""
				insert into person_tag (tag_id, person_id)
				select t.id, p.id from tag t join person p on p.company_id = t.company_id
				where t.company_id = :company and t.id = :tag and p.id = any(:people)
				on conflict do nothing
				returning person_id
				""")
			.param("company", companyId)
			.param("tag", tagId)
			.param("people", personIds.toArray(new UUID[0]))
			.query(UUID.class)
			.list();
		String name = name(tagId);
		this.audit.recordAll(added.stream()
			.map(person -> new AuditRecord(companyId, actor, "person", person, "tagged",
					Map.of("tags", new FieldChange(null, name)), null))
			.toList());
		return added;
	}

	/** Takes the tag off these people; returns from whom it was taken. */
	@Transactional
	public List<UUID> untag(UUID companyId, UUID tagId, Collection<UUID> personIds, Actor actor) {
		if (personIds.isEmpty()) {
			return List.of();
		}
		List<UUID> removed = this.jdbc.sql("""
				delete from person_tag pt using tag t
				where pt.tag_id = t.id and t.company_id = :company and t.id = :tag and pt.person_id = any(:people)
				returning pt.person_id
				""")
			.param("company", companyId)
			.param("tag", tagId)
			.param("people", personIds.toArray(new UUID[0]))
			.query(UUID.class)
			.list();
		String name = name(tagId);
		this.audit.recordAll(removed.stream()
			.map(person -> new AuditRecord(companyId, actor, "person", person, "untagged",
					Map.of("tags", new FieldChange(name, null)), null))
			.toList());
		return removed;
	}

	/** Takes the tag off everyone who has it. */
	@Transactional
	public int untagAll(UUID companyId, UUID tagId, Actor actor) {
		List<UUID> all = this.jdbc.sql("""
				select pt.person_id from person_tag pt join tag t on t.id = pt.tag_id
				where t.company_id = :company and t.id = :tag
				""").param("company", companyId).param("tag", tagId).query(UUID.class).list();
		return untag(companyId, tagId, all, actor).size();
	}

	private String name(UUID tagId) {
		return this.jdbc.sql("select name from tag where id = :id")
			.param("id", tagId)
			.query(String.class)
			.optional()
			.orElse(null);
	}

	private static String requireName(String name) {
		if (name == null || name.isBlank()) {
			throw RequestRejectedException.invalid("name", "A tag needs a name");
		}
		String wanted = name.strip();
		if (wanted.length() > 200) {
			throw RequestRejectedException.invalid("name", "A tag name is at most 200 characters");
		}
		return wanted;
	}

	/** The company's tags with how many people carry each. One statement, so no transaction of its own (see {@link People#loadProfiles}). */
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
