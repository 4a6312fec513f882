package io.rollcall.identityprovider;

import io.rollcall.support.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** The hourly scan for expired authorizations reads an index, not the whole table. */
class AuthorizationRetentionTests extends IntegrationTest {

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private TransactionTemplate transactions;

	@Test
	void forgetExpiredWhenPlannedThenFoundByTheExpiryIndexNotByScanningEveryAuthorization() {
		String plan = this.transactions.execute(status -> {
			// The test database is small enough for a scan to be cheapest; what matters is that the index fits the query.
			this.jdbc.sql("set local enable_seqscan = off").update();
			return String.join("\n", this.jdbc.sql("""
					explain select authorization_id from oauth2_authorization_token
					where retain_until < now() - interval '1 day'
					limit 5000
					""").query(String.class).list());
		});
		assertThat(plan).contains("oauth2_authorization_token_retain_until");
	}

}
