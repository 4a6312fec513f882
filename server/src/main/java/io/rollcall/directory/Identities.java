package io.rollcall.directory;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.rollcall.audit.AuditLog;
import io.rollcall.audit.FieldChange;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.util.Assert;

/**
 * A person's identity in one source ({@code entra} object id, {@code okta} id, {@code oidc} subject, ...), one at a
 * time: looked up and linked one person at a time, as single sign-on does. Syncs link in bulk through
 * {@link DirectoryBatch}, as {@link LinkedBy#SYNC}.
 */
@Service
public class Identities {

	private final JdbcClient jdbc;

	private final People people;

	private final AuditLog audit;

	Identities(JdbcClient jdbc, People people, AuditLog audit) {
		Assert.notNull(jdbc, "jdbc cannot be null");
		Assert.notNull(people, "people cannot be null");
		Assert.notNull(audit, "audit cannot be null");
		this.jdbc = jdbc;
		this.people = people;
		this.audit = audit;
	}

	/** The person of this company whom the source knows by this id. */
	@Transactional(readOnly = true)
	public Optional<Person> findPerson(UUID companyId, String source, String externalId) {
		return this.jdbc.sql("""
				select person_id from person_identity
				where company_id = :company and source = :source and external_id = :id
				""")
			.param("company", companyId)
			.param("source", source)
			.param("id", externalId)
			.query(UUID.class)
			.optional()
			.flatMap(id -> this.people.find(companyId, id));
	}

	/**
	 * Links the person to their id in the source, recording how, with an audit entry. A person already linked to
	 * another id of the same source, or an id already linked to someone else, is refused: relinking is an admin's
	 * decision. A link already there is left as it is: a sign-in never turns a sync's link into a sign-in's.
	 */
	@Transactional
	public void link(UUID companyId, UUID personId, String source, String externalId, LinkedBy linkedBy, Actor actor) {
		Assert.notNull(linkedBy, "linkedBy cannot be null");
		Optional<String> current = this.jdbc
			.sql("""
					select external_id from person_identity where company_id = :company and person_id = :person and source = :source
					""")
			.param("company", companyId)
			.param("person", personId)
			.param("source", source)
			.query(String.class)
			.optional();
		if (current.isPresent()) {
			if (current.get().equals(externalId)) {
				return;
			}
			throw RequestRejectedException.conflict(null,
					"This person is already linked to another " + source + " account");
		}
		int inserted = this.jdbc.sql("""
				insert into person_identity (company_id, person_id, source, external_id, linked_by)
				select :company, id, :source, :id, :linkedBy from person where company_id = :company and id = :person
				on conflict do nothing
				""")
			.param("company", companyId)
			.param("person", personId)
			.param("source", source)
			.param("id", externalId)
			.param("linkedBy", linkedBy.column())
			.update();
		if (inserted == 0) {
			throw RequestRejectedException.conflict(null,
					"This " + source + " account is already linked to someone else");
		}
		this.audit.record(companyId, actor, "person", personId, "identity_linked",
				Map.of("externalIds." + source, new FieldChange(null, externalId), LinkedBy.CHANGE,
						new FieldChange(null, linkedBy.column())));
	}

}
