package io.rollcall.identityprovider;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.rollcall.platform.BatchedDeletes;
import io.rollcall.platform.Jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

/**
 * Spring Authorization Server never deletes an authorization, so every sign-in would stay in
 * {@code oauth2_authorization} for ever: a db-scheduler task, run by one node at a time, deletes those whose every
 * token (code, access, ID, refresh) expired more than {@link #GRACE} ago, in short batches. A refresh token presented
 * after that is unknown, as it was expired anyway. The same task deletes back-channel logouts that failed more than
 * 30 days ago, and the refresh tokens listed once expired. The scan is by each authorization's {@code retain_until}, the expiry of its last token rounded up to
 * the hour (V29, written by {@link AuthorizationRows}), and its index.
 */
@Component
final class AuthorizationRetention implements Jobs {

	private static final Logger log = LoggerFactory.getLogger(AuthorizationRetention.class);

	/** Kept a little after expiry, so that a late request hears "expired" from the logs' point of view, not "unknown". */
	static final Duration GRACE = Duration.ofDays(1);

	static final int BATCH = 5_000;

	private final JdbcClient jdbc;

	private final Clock clock;

	private final BackChannelLogouts logouts;

	private final Task<Void> task;

	AuthorizationRetention(JdbcClient jdbc, Clock clock, BackChannelLogouts logouts,
			@Value("${rollcall.identity-provider.retention-check:1h}") Duration every) {
		Assert.notNull(jdbc, "jdbc cannot be null");
		Assert.notNull(clock, "clock cannot be null");
		Assert.notNull(logouts, "logouts cannot be null");
		this.jdbc = jdbc;
		this.clock = clock;
		this.logouts = logouts;
		this.task = Tasks.recurring("authorization-retention", FixedDelay.of(every)).execute((instance, context) -> {
			forgetExpired();
			forgetExpiredRefreshTokens();
			forgetFailedLogouts();
		});
	}

	@Override
	public List<Task<?>> tasks() {
		return List.of(this.task);
	}

	/** Deletes the authorizations whose every token expired before the grace period; how many. */
	long forgetExpired() {
		Timestamp before = Timestamp.from(this.clock.instant().minus(GRACE));
		long deleted = BatchedDeletes.untilDone(BATCH, batch -> this.jdbc.sql("""
				delete from oauth2_authorization where id in (
				    select authorization_id from oauth2_authorization_token where retain_until < :before
				    limit :batch)
				""").param("before", before).param("batch", batch).update());
		if (deleted > 0) {
			log.info("Authorizations: deleted {} whose tokens had all expired", deleted);
		}
		return deleted;
	}

	/**
	 * Deletes the refresh tokens listed (V29) that expired before the grace period, replaced or not: an expired one
	 * is refused whatever it was, and those of deleted authorizations are inert (a refresh token counts only with
	 * its authorization's token row). How many.
	 */
	long forgetExpiredRefreshTokens() {
		Timestamp before = Timestamp.from(this.clock.instant().minus(GRACE));
		return BatchedDeletes.untilDone(BATCH, batch -> this.jdbc.sql("""
				delete from oauth2_refresh_token where token_value in (
				    select token_value from oauth2_refresh_token where expires_at < :before limit :batch)
				""").param("before", before).param("batch", batch).update());
	}

	/** Back-channel logouts given up more than 30 days ago: the operator had a month to see and retry them. */
	int forgetFailedLogouts() {
		int deleted = this.logouts.forgetFailed();
		if (deleted > 0) {
			log.info("Back-channel logouts: deleted {} that failed more than {} days ago", deleted,
					BackChannelLogouts.FAILED_RETENTION.toDays());
		}
		return deleted;
	}

}
