package io.rollcall.directory;

import java.util.UUID;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V11 on a directory that already has identities: how each was linked is read from the audit trail, where only a
 * sign-in records {@code identity_linked}.
 */
class IdentityLinkMigrationTests {

	@Test
	void migrateWhenIdentitiesExistThenLinksASignInAloneMadeBecomeSignInLinksAndTheRestStayTheSyncs() throws Exception {
		try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
			DataSource database = postgres.getPostgresDatabase();
			Flyway.configure().dataSource(database).locations("classpath:db/migration").target("9").load().migrate();
			JdbcClient jdbc = JdbcClient.create(database);
			UUID company = UUID.randomUUID();
			jdbc.sql("insert into company (id, slug, name) values (:id, 'acme', 'Acme')").param("id", company).update();
			UUID entraRun = run(jdbc, company, "entra");
			UUID provisioned = person(jdbc, company, "entra", "oid-provisioned");
			audit(jdbc, company, entraRun.toString(), provisioned, "created", "entra", "oid-provisioned");
			UUID signedInOnly = person(jdbc, company, "entra", "oid-signed-in");
			audit(jdbc, company, "entra", signedInOnly, "identity_linked", "entra", "oid-signed-in");
			UUID signedInThenSynced = person(jdbc, company, "entra", "oid-both");
			audit(jdbc, company, "entra", signedInThenSynced, "identity_linked", "entra", "oid-both");
			audit(jdbc, company, entraRun.toString(), signedInThenSynced, "updated", null, null);
			// Okta sign-in; only Entra's runs ever touched the person: Okta did not provision them.
			UUID oktaSignIn = person(jdbc, company, "okta", "00u-signed-in");
			audit(jdbc, company, "okta", oktaSignIn, "identity_linked", "okta", "00u-signed-in");
			audit(jdbc, company, entraRun.toString(), oktaSignIn, "updated", null, null);

			Flyway.configure().dataSource(database).locations("classpath:db/migration").target("11").load().migrate();

			assertThat(linkedBy(jdbc, provisioned)).isEqualTo("sync");
			assertThat(linkedBy(jdbc, signedInOnly)).isEqualTo("sign-in");
			assertThat(linkedBy(jdbc, signedInThenSynced)).as("a run of its source touched them").isEqualTo("sync");
			assertThat(linkedBy(jdbc, oktaSignIn)).isEqualTo("sign-in");
		}
	}

	private static UUID run(JdbcClient jdbc, UUID company, String source) {
		UUID id = UUID.randomUUID();
		jdbc.sql("""
				insert into sync_run (id, company_id, source, dry_run, status, requested_by)
				values (:id, :company, :source, false, 'succeeded', 'schedule')
				""").param("id", id).param("company", company).param("source", source).update();
		return id;
	}

	private static UUID person(JdbcClient jdbc, UUID company, String source, String externalId) {
		UUID id = UUID.randomUUID();
		jdbc.sql("insert into person (id, company_id, email) values (:id, :company, :email)")
			.param("id", id)
			.param("company", company)
			.param("email", externalId + "@acme.example")
			.update();
		jdbc.sql(
				"insert into person_identity (company_id, person_id, source, external_id) values (:company, :id, :source, :ext)")
			.param("company", company)
			.param("id", id)
			.param("source", source)
			.param("ext", externalId)
			.update();
		return id;
	}

	private static void audit(JdbcClient jdbc, UUID company, String actorId, UUID person, String action, String source,
			String externalId) {
		String changes = source == null ? "{\"jobTitle\": {\"from\": null, \"to\": \"Scientist\"}}"
				: "{\"externalIds." + source + "\": {\"from\": null, \"to\": \"" + externalId + "\"}}";
		jdbc.sql(
				"""
						insert into audit_entry (company_id, actor_type, actor_id, actor_label, subject_type, subject_id, action, changes)
						values (:company, 'source', :actor, 'test', 'person', :person, :action, cast(:changes as jsonb))
						""")
			.param("company", company)
			.param("actor", actorId)
			.param("person", person)
			.param("action", action)
			.param("changes", changes)
			.update();
	}

	private static String linkedBy(JdbcClient jdbc, UUID person) {
		return jdbc.sql("select linked_by from person_identity where person_id = :p")
			.param("p", person)
			.query(String.class)
			.single();
	}

}
