package io.rollcall.directory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.rollcall.audit.AuditLog;
import io.rollcall.audit.FieldChange;
import io.rollcall.company.Companies;
import io.rollcall.company.Company;
import io.rollcall.company.CompanyHosts;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import io.rollcall.platform.RollcallProperties;
import io.rollcall.platform.SecretTokens;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Invitations: an e-mail with a one-time, expiring link where the person sets a password. Only a hash of the
 * link's token is stored. Sending again replaces the previous link.
 */
@Service
public class Invitations {

	private final JdbcClient jdbc;

	private final People people;

	private final Companies companies;

	private final CompanyHosts hosts;

	private final InvitationMail mail;

	private final AuditLog audit;

	private final TransactionTemplate transaction;

	private final java.time.Duration validity;

	Invitations(JdbcClient jdbc, People people, Companies companies, CompanyHosts hosts, InvitationMail mail,
			AuditLog audit, TransactionTemplate transaction, RollcallProperties properties) {
		this.jdbc = jdbc;
		this.people = people;
		this.companies = companies;
		this.hosts = hosts;
		this.mail = mail;
		this.audit = audit;
		this.transaction = transaction;
		this.validity = properties.invitationValidity();
	}

	/**
	 * Sends (or sends again) an invitation. The invitation is committed before the e-mail goes out, so a mail
	 * server that is down loses nothing: the failure is recorded on the invitation and it can be resent.
	 */
	public SentInvitation send(UUID companyId, UUID personId, Actor actor) {
		Company company = this.companies.get(companyId);
		String token = SecretTokens.generate("");
		Invitation created = this.transaction.execute(status -> {
			Person person = this.people.get(companyId, personId);
			if (!person.active()) {
				throw RequestRejectedException.conflict(null,
						"Deactivated people cannot be invited; reactivate " + person.email() + " first");
			}
			if (person.invitationState() == InvitationState.ACCEPTED) {
				throw RequestRejectedException.conflict(null,
						person.email() + " has already accepted an invitation and can sign in");
			}
			this.jdbc.sql("""
					update invitation set revoked_at = now()
					where person_id = :person and used_at is null and revoked_at is null
					""").param("person", personId).update();
			UUID id = UUID.randomUUID();
			this.jdbc.sql("""
					insert into invitation (id, company_id, person_id, token_hash, expires_at)
					values (:id, :company, :person, :hash, :expires)
					""")
				.param("id", id)
				.param("company", companyId)
				.param("person", personId)
				.param("hash", SecretTokens.hash(token))
				.param("expires", java.sql.Timestamp.from(Instant.now().plus(this.validity)))
				.update();
			this.people.setInvitationState(companyId, personId, InvitationState.INVITED, actor);
			this.audit.record(companyId, actor, "person", personId, "invitation_sent", Map.of());
			return get(id);
		});
		String link = this.hosts.baseUrl(company) + "/invitations/" + token;
		String error = this.mail.send(company, this.people.get(companyId, personId), link, created.expiresAt());
		Invitation delivered = this.transaction.execute(status -> {
			this.jdbc
				.sql("""
						update invitation set sent_at = case when cast(:error as text) is null then now() end, delivery_error = :error
						where id = :id
						""")
				.param("error", error)
				.param("id", created.id())
				.update();
			if (error != null) {
				this.audit.record(companyId, Actor.system(), "person", personId, "invitation_not_delivered",
						Map.of("deliveryError", new FieldChange(null, error)));
			}
			return get(created.id());
		});
		return new SentInvitation(delivered, link);
	}

	/** The person's most recent invitation. One statement, so no transaction of its own (see {@link People#loadProfiles}). */
	public Optional<Invitation> latest(UUID companyId, UUID personId) {
		return this.jdbc.sql("""
				select * from invitation where company_id = :company and person_id = :person
				order by created_at desc limit 1
				""").param("company", companyId).param("person", personId).query(Invitations::invitation).optional();
	}

	/** The person an unused, unexpired link of this company invites, if it is one. */
	@Transactional(readOnly = true)
	public Optional<Person> invitee(UUID companyId, String token) {
		return open(companyId, token).flatMap(invitation -> this.people.find(companyId, invitation.personId()))
			.filter(Person::active);
	}

	/**
	 * Uses up the link and marks the person's invitation accepted, in the caller's transaction (which sets the
	 * password). Refused when the link is unknown, used, replaced or expired.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public Person redeem(UUID companyId, String token) {
		Invitation invitation = open(companyId, token).orElseThrow(() -> RequestRejectedException.invalid("token",
				"This invitation link has expired or was already used. Ask your admin to send a new one."));
		int used = this.jdbc.sql("update invitation set used_at = now() where id = :id and used_at is null")
			.param("id", invitation.id())
			.update();
		if (used == 0) {
			throw RequestRejectedException.invalid("token", "This invitation link was already used.");
		}
		Person person = this.people.get(companyId, invitation.personId());
		if (!person.active()) {
			throw RequestRejectedException.invalid("token", "This account is deactivated.");
		}
		Actor self = new Actor(Actor.Type.PERSON, person.id().toString(), person.email());
		this.people.setInvitationState(companyId, person.id(), InvitationState.ACCEPTED, self);
		return this.people.get(companyId, person.id());
	}

	private Optional<Invitation> open(UUID companyId, String token) {
		if (token == null || token.length() < 20 || token.length() > 100) {
			return Optional.empty();
		}
		return this.jdbc.sql("""
				select * from invitation
				where company_id = :company and token_hash = :hash
				  and used_at is null and revoked_at is null and expires_at > now()
				""")
			.param("company", companyId)
			.param("hash", SecretTokens.hash(token))
			.query(Invitations::invitation)
			.optional();
	}

	private Invitation get(UUID id) {
		return this.jdbc.sql("select * from invitation where id = :id")
			.param("id", id)
			.query(Invitations::invitation)
			.single();
	}

	private static Invitation invitation(ResultSet rs, int row) throws SQLException {
		return new Invitation(rs.getObject("id", UUID.class), rs.getObject("person_id", UUID.class),
				PersonRows.instant(rs, "created_at"), PersonRows.instant(rs, "expires_at"),
				PersonRows.instant(rs, "sent_at"), rs.getString("delivery_error"), PersonRows.instant(rs, "used_at"),
				PersonRows.instant(rs, "revoked_at"));
	}

}
