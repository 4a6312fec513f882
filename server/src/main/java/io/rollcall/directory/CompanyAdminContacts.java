package io.rollcall.directory;

import java.util.List;
import java.util.UUID;

import io.rollcall.events.WebhookAlarmRecipients;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The company's active owners and admins, for the e-mail that says one of its webhook endpoints was disabled. */
@Component
class CompanyAdminContacts implements WebhookAlarmRecipients {

	private final JdbcClient jdbc;

	CompanyAdminContacts(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public List<String> emails(UUID companyId) {
		return this.jdbc.sql("""
				select email from person
				where company_id = :company and role in ('owner', 'admin') and status = 'active' and email is not null
				order by role desc, email
				""")
			.param("company", companyId)
			.query(String.class)
			.list();
	}

}
