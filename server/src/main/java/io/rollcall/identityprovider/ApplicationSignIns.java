package io.rollcall.identityprovider;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.Assert;

/**
 * Who signed in to which application, at which company, when and how (password or single sign-on): one row each time
 * the authorization server issues a code for a new authorization (table {@code application_sign_in}, V19). Only the
 * person's id is kept, never a token or a code; their name and e-mail are read from the directory when shown.
 * Retention: the newest {@link #KEPT} per application and company; each new row drops the older ones.
 */
final class ApplicationSignIns {

	/** How many sign-ins are kept, and shown, per application and company. */
	static final int KEPT = 50;

	/** The most rows one sign-in deletes beyond the newest {@link #KEPT}: normally one is there. */
	private static final int PUSHED_OUT = 8;

	private final JdbcClient jdbc;

	ApplicationSignIns(JdbcClient jdbc) {
		Assert.notNull(jdbc, "jdbc cannot be null");
		this.jdbc = jdbc;
	}

	record Row(Instant at, UUID personId, String signedInWith) {
	}

	void record(UUID companyId, String registeredClientId, UUID personId, String signedInWith) {
		this.jdbc.sql("""
				insert into application_sign_in (company_id, registered_client_id, person_id, signed_in_with)
				values (:company, :client, :person, :with)
				""")
			.param("company", companyId)
			.param("client", registeredClientId)
			.param("person", personId)
			.param("with", signedInWith == null ? "unknown" : signedInWith)
			.update();
		// The bound: the rows just older than the newest KEPT of this application at this company, read from the newest
		// end of the index. Each sign-in pushes one row out; a few more are taken for sign-ins made side by side. "Every
		// row older than the KEPT-th" read the index from its oldest end, over every row deleted since the last vacuum:
		// 1 ms a sign-in at 400 a second, and growing. Rows another sign-in is deleting are left to it (skip locked):
		// two sign-ins locking the same rows in another order deadlocked, and a sign-in answered 500.
		this.jdbc
			.sql("""
					delete from application_sign_in
					where id in (select id from application_sign_in where company_id = :company and registered_client_id = :client
					             order by id desc offset :kept limit :pushedOut for update skip locked)
					""")
			.param("company", companyId)
			.param("client", registeredClientId)
			.param("kept", KEPT)
			.param("pushedOut", PUSHED_OUT)
			.update();
	}

	/** Newest first. */
	List<Row> recent(UUID companyId, String registeredClientId) {
		return this.jdbc.sql("""
				select signed_in_at, person_id, signed_in_with from application_sign_in
				where company_id = :company and registered_client_id = :client
				order by id desc limit :kept
				""")
			.param("company", companyId)
			.param("client", registeredClientId)
			.param("kept", KEPT)
			.query((rs, n) -> new Row(rs.getObject(1, Timestamp.class).toInstant(), rs.getObject(2, UUID.class),
					rs.getString(3)))
			.list();
	}

}
