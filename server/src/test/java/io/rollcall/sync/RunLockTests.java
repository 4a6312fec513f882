package io.rollcall.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.rollcall.platform.Actor;
import io.rollcall.support.Eventually;
import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.TestCompany;
import io.rollcall.support.ScriptedSource;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static io.rollcall.support.ScriptedSource.person;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worst case of a skewed clock, or of a node frozen past its heartbeats: db-scheduler gives a run's job to a
 * second node while the first still carries the run. The run's advisory lock keeps the second from touching it.
 */
class RunLockTests extends IntegrationTest {

	private static final Actor ADMIN = new Actor(Actor.Type.PERSON, null, "admin@example.com");

	@Autowired
	ScriptedSource source;

	@Autowired
	SyncRuns runs;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	@Autowired
	TransactionTemplate transaction;

	@Test
	void runWhenAnotherNodeHoldsItsLockThenItsJobLeavesItAloneAndAppliesItOnceReleased() throws Exception {
		TestCompany company = this.client.createCompany();
		this.source.script(company.id(),
				List.of(person("locked-1", "locked@example.com", "Lock", "Ed", "Sales", null)));
		try (Connection otherNode = this.dataSource.getConnection()) {
			// The run is started and its job queued only once this commits: by then "another node" holds its lock.
			UUID runId = this.transaction.execute(tx -> {
				UUID id = this.runs.start(company.id(), ScriptedSource.KIND, false, null, Map.of(), ADMIN).id();
				lock(otherNode, "pg_try_advisory_lock", id);
				return id;
			});

			// Its job ran, found the lock taken and handed the run back, due again a few seconds later.
			Eventually.await(Duration.ofSeconds(10), () -> handedBack(runId));
			assertThat(this.runs.find(runId).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
			assertThat(people(company.id(), "locked@example.com")).isZero();

			lock(otherNode, "pg_advisory_unlock", runId); // the other node is done with it
			Eventually.await(Duration.ofSeconds(20),
					() -> this.runs.find(runId).orElseThrow().status() == RunStatus.SUCCEEDED);
		}
		assertThat(people(company.id(), "locked@example.com")).isOne();
	}

	private static boolean lock(Connection connection, String function, UUID runId) {
		try (PreparedStatement statement = connection
			.prepareStatement("select " + function + "(" + RunLock.KEY + ")")) {
			statement.setObject(1, runId);
			try (ResultSet row = statement.executeQuery()) {
				row.next();
				assertThat(row.getBoolean(1)).as(function).isTrue();
				return true;
			}
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private boolean handedBack(UUID runId) {
		return this.jdbc.sql("""
				select exists (select 1 from scheduled_tasks where task_name = 'sync-run' and task_instance = :id
				    and not picked and execution_time > now() + interval '1 second')
				""").param("id", runId.toString()).query(Boolean.class).single();
	}

	private long people(UUID companyId, String email) {
		return this.jdbc.sql("select count(*) from person where company_id = :c and email = :e")
			.param("c", companyId)
			.param("e", email)
			.query(Long.class)
			.single();
	}

}
