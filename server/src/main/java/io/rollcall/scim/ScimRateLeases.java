package io.rollcall.scim;

import java.util.List;
import java.util.UUID;

import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.rollcall.platform.BatchedDeletes;
import io.rollcall.platform.Jobs;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

/**
 * The companies' SCIM request budgets shared by the nodes, in {@code scim_rate_lease} (V28): a lease is one statement
 * that takes what is left of the chunk under the row's lock, by the database's clock, so that nodes whose clocks
 * differ count the same seconds. A db-scheduler task, run by one node at a time, deletes the rows of past seconds.
 */
@Component
final class ScimRateLeases implements ScimRateLimit.Budget, Jobs {

	/** Seconds a row is kept after its second: only the current one is ever written. */
	static final int KEPT_SECONDS = 60;

	private final JdbcClient jdbc;

	private final Task<Void> task;

	ScimRateLeases(JdbcClient jdbc) {
		Assert.notNull(jdbc, "jdbc cannot be null");
		this.jdbc = jdbc;
		this.task = Tasks.recurring("scim-rate-lease-retention", FixedDelay.ofMinutes(1))
			.execute((instance, context) -> forgetPast());
	}

	@Override
	public List<Task<?>> tasks() {
		return List.of(this.task);
	}

	/**
	 * Outside any transaction (SCIM's filter has none), so the row's lock is held for this statement only. Both
	 * {@code set} expressions read the row as it was: granted is {@link ScimRateLimit#granted} of the old taken;
	 * {@code returning} reads the row as written, so what is left counts this lease.
	 */
	@Override
	public ScimRateLimit.Lease take(UUID companyId, int limit, int chunk) {
		return this.jdbc.sql("""
				insert into scim_rate_lease (company_id, epoch_second, taken, granted)
				values (:company, floor(extract(epoch from statement_timestamp()))::bigint, least(:chunk, :limit),
				        least(:chunk, :limit))
				on conflict (company_id, epoch_second) do update
				    set granted = least(:chunk, greatest(0, :limit - scim_rate_lease.taken)),
				        taken = least(:limit, scim_rate_lease.taken + :chunk)
				returning floor(extract(epoch from statement_timestamp()) * 1000)::bigint, granted,
				          greatest(0, :limit - taken)
				""")
			.param("company", companyId)
			.param("limit", limit)
			.param("chunk", chunk)
			.query((rs, n) -> new ScimRateLimit.Lease(rs.getLong(1), rs.getInt(2), rs.getInt(3)))
			.single();
	}

	/** Deletes the rows of seconds past; how many. */
	long forgetPast() {
		return BatchedDeletes.untilDone(10_000, batch -> this.jdbc.sql("""
				delete from scim_rate_lease where ctid = any (array(
				    select ctid from scim_rate_lease
				    where epoch_second < floor(extract(epoch from now()))::bigint - :kept
				    limit :batch))
				""").param("kept", KEPT_SECONDS).param("batch", batch).update());
	}

}
