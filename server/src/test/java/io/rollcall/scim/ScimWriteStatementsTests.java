package io.rollcall.scim;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.rollcall.platform.Actor;
import io.rollcall.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import static io.rollcall.scim.ScimTestClient.USER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one SCIM write costs the database, in statements: a POST and a PATCH of a user are run as the endpoint runs
 * them, in a transaction whose connection counts the statements prepared on it (a batch counts once, as it goes in one
 * round trip), from the first check to the commit, the events' subjects and rows included. Issue 19: a write was 17
 * statements (POST) and 15 (PATCH) in its transaction; each one added back shows here.
 */
class ScimWriteStatementsTests extends IntegrationTest {

	@Autowired
	ScimUsers users;

	@Autowired
	DataSource dataSource;

	@Autowired
	PlatformTransactionManager transactions;

	@Autowired
	ObjectMapper json;

	@Test
	void scimWriteWhenUserCreatedThenPatchedThenFewStatementsEach() throws Exception {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		UUID company = scim.company.id();
		Actor actor = new Actor(Actor.Type.SOURCE, "scim", "SCIM (entra)");
		ObjectNode body = this.json.valueToTree(Map.of("schemas", List.of(USER), "userName", "ana@contoso.test",
				"externalId", "ext-ana", "name", Map.of("givenName", "Ana", "familyName", "Lima"), "emails",
				List.of(Map.of("value", "ana@contoso.test", "type", "work", "primary", true)), "title", "Engineer",
				"active", true));

		Counted<ObjectNode> created = counted(() -> this.users.create(company, body, actor, "https://scim.test"));
		UUID id = UUID.fromString(created.result().path("id").asString());
		Counted<ObjectNode> patched = counted(() -> this.users.patch(company, id,
				ScimPatch.parse(this.json.readTree("""
						{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
						 "Operations": [{"op": "replace", "path": "title", "value": "Pilot"}]}
						""")), actor, "https://scim.test"));

		assertThat(created.result().path("userName").asString()).isEqualTo("ana@contoso.test");
		assertThat(patched.result().path("title").asString()).isEqualTo("Pilot");
		// BEGIN and COMMIT are not statements prepared, so not counted. POST: the uniqueness checks (1), the engine's
		// match by external id and e-mail (2), the person, their identity, the audit entry, the client's document (4),
		// the answer (1), the event's subject and row (2).
		assertThat(created.statements()).as("statements of one SCIM POST").hasSizeLessThanOrEqualTo(10);
		// PATCH: the client's document (1), the engine's match and the person (2), the update, the audit entry, the
		// document (3), the answer (1), the event's subject and row (2).
		assertThat(patched.statements()).as("statements of one SCIM PATCH").hasSizeLessThanOrEqualTo(9);
		assertThat(scim.get("/Users/" + id).json().path("title").asString()).isEqualTo("Pilot");
		assertThat(scim.send("POST", "/Users", Map.of("schemas", List.of(USER), "userName", "ana@contoso.test"))
			.status()).as("the same userName again").isEqualTo(409);
	}

	/** @param statements the SQL of each statement prepared, but the settings reads remembered across requests */
	private record Counted<T>(T result, List<String> statements) {
	}

	/**
	 * Reads of settings that are remembered for seconds (a company's source settings and field mappings), so paid
	 * once per company every few seconds, not per request; a company new to this test has them read once.
	 */
	private static boolean remembered(String sql) {
		return sql.contains("from sync_source_settings") || sql.contains("from field_mapping_set");
	}

	/**
	 * Runs the work in a transaction of its own on a connection that counts what is prepared on it: bound before the
	 * transaction begins, the transaction manager and every JDBC call of this thread use it.
	 */
	private <T> Counted<T> counted(Supplier<T> work) throws Exception {
		List<String> statements = new java.util.concurrent.CopyOnWriteArrayList<>();
		try (Connection real = this.dataSource.getConnection()) {
			Connection counting = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
					new Class<?>[] { Connection.class }, (proxy, method, args) -> {
						if (method.getName().equals("prepareStatement") || method.getName().equals("prepareCall")) {
							String sql = ((String) args[0]).strip().replaceAll("\\s+", " ");
							if (!remembered(sql)) {
								statements.add(sql);
							}
						}
						else if (method.getName().equals("createStatement")) {
							statements.add("(a statement without parameters)");
						}
						try {
							return method.invoke(real, args);
						}
						catch (InvocationTargetException ex) {
							throw ex.getCause();
						}
					});
			TransactionSynchronizationManager.bindResource(this.dataSource, new ConnectionHolder(counting));
			try {
				T result = new TransactionTemplate(this.transactions).execute(status -> work.get());
				return new Counted<>(result, List.copyOf(statements));
			}
			finally {
				TransactionSynchronizationManager.unbindResource(this.dataSource);
			}
		}
	}

}
