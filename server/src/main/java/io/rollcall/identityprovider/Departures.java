package io.rollcall.identityprovider;

import java.util.ArrayList;
import java.util.List;

import io.rollcall.audit.AuditListener;
import io.rollcall.audit.AuditRecord;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

/**
 * A person who leaves (deactivated or deleted, by any source or by hand) loses their applications' access in the
 * same transaction: every authorization issued to them is deleted, so their refresh tokens, access tokens (at
 * introspection and userinfo) and codes stop working the moment the change commits, and each application that held
 * tokens for them is queued a back-channel logout. Heard through the audit, so no writer of the directory is missed.
 */
@Component
final class Departures implements AuditListener {

	private final JdbcClient jdbc;

	private final BackChannelLogouts logouts;

	Departures(JdbcClient jdbc, BackChannelLogouts logouts) {
		Assert.notNull(jdbc, "jdbc cannot be null");
		Assert.notNull(logouts, "logouts cannot be null");
		this.jdbc = jdbc;
		this.logouts = logouts;
	}

	@Override
	public void recorded(List<AuditRecord> records) {
		List<java.util.UUID> companies = new ArrayList<>();
		List<String> people = new ArrayList<>();
		for (AuditRecord record : records) {
			if (record.personLeft()) {
				companies.add(record.companyId());
				people.add(record.subjectId().toString());
			}
		}
		if (people.isEmpty()) {
			return;
		}
		// One statement each whatever the number of people: a sync deactivating thousands pays two round trips.
		int queued = this.jdbc.sql("""
				insert into backchannel_logout (company_id, person_id, registered_client_id)
				select distinct d.company_id, cast(d.person_id as uuid), a.registered_client_id
				from unnest(cast(:companies as uuid[]), cast(:people as text[])) as d(company_id, person_id)
				join oauth2_authorization a on a.principal_name = d.person_id
				""")
			.param("companies", companies.toArray(java.util.UUID[]::new))
			.param("people", people.toArray(String[]::new))
			.update();
		this.jdbc.sql("delete from oauth2_authorization where principal_name = any(:people)")
			.param("people", people.toArray(String[]::new))
			.update();
		if (queued > 0) {
			this.logouts.wakeAfterCommit();
		}
	}

}
