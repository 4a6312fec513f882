package io.rollcall.sso;

import java.time.Duration;
import java.util.List;

import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.rollcall.audit.AuditListener;
import io.rollcall.audit.AuditRecord;
import io.rollcall.platform.BatchedDeletes;
import io.rollcall.platform.Jobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

/**
 * Sign-in sessions are Spring Session's rows in {@code sso_session} (and their attributes in
 * {@code sso_session_attributes}), read and written by its repository on every node; this class holds this module's
 * own statements on them. Expired sessions are deleted by one db-scheduler task, run by one node at a time, where
 * Spring Session would run a cron on every node. A person who leaves (deactivated or deleted, by any source or by hand)
 * has their sessions deleted in the transaction that makes them leave, so no node serves them another page; the
 * check of every request ({@link SessionCompanyGuard}) stays, for a session read just before.
 */
@Component
final class SignInSessions implements Jobs, AuditListener {

	private static final Logger log = LoggerFactory.getLogger(SignInSessions.class);

	/** Sessions deleted by one statement. */
	static final int BATCH = 10_000;

	private final JdbcClient jdbc;

	private final Task<Void> task;

	SignInSessions(JdbcClient jdbc, @Value("${rollcall.session.cleanup-every:10m}") Duration every) {
		Assert.notNull(jdbc, "jdbc cannot be null");
		Assert.isTrue(every != null && every.isPositive(),
				"rollcall.session.cleanup-every must be a positive duration");
		this.jdbc = jdbc;
		this.task = Tasks.recurring("sign-in-session-cleanup", FixedDelay.of(every))
			.execute((instance, context) -> forgetExpired());
	}

	@Override
	public List<Task<?>> tasks() {
		return List.of(this.task);
	}

	/** Deletes the sessions past their expiry, a batch at a time; how many. */
	long forgetExpired() {
		// Spring Session writes expiry times from the system clock and checks them against it, not the application's
		// Clock: so does this, or a clock moved in a test would end sessions Spring Session still serves.
		long now = System.currentTimeMillis();
		long deleted = BatchedDeletes.untilDone(BATCH, batch -> this.jdbc.sql("""
				delete from sso_session where primary_id in (
				    select primary_id from sso_session where expiry_time < :now limit :batch)
				""").param("now", now).param("batch", batch).update());
		if (deleted > 0) {
			log.debug("Sessions: deleted {} expired", deleted);
		}
		return deleted;
	}

	@Override
	public void recorded(List<AuditRecord> records) {
		List<String> leaving = records.stream()
			.filter(AuditRecord::personLeft)
			.map(record -> record.subjectId().toString())
			.toList();
		if (leaving.isEmpty()) {
			return;
		}
		// One statement whatever the number of people (a sync may deactivate thousands), by the index Spring Session
		// keeps of each session's principal name: the person's id (SignedInPerson.getName()).
		this.jdbc.sql("delete from sso_session where principal_name = any(:people)")
			.param("people", leaving.toArray(String[]::new))
			.update();
	}

}
