package io.rollcall.sync;

import java.util.UUID;

import io.rollcall.events.BulkWork;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

/** A company's sync run applying its plan, for the webhooks' pace while it does. */
@Component
class SyncRunsApplying implements BulkWork {

	private final JdbcClient jdbc;

	SyncRunsApplying(JdbcClient jdbc) {
		Assert.notNull(jdbc, "jdbc cannot be null");
		this.jdbc = jdbc;
	}

	@Override
	public boolean underway(UUID companyId) {
		// Served by the partial index of active runs (sync_run_one_active).
		return this.jdbc.sql("select exists (select 1 from sync_run where company_id = :company and status = '"
				+ RunStatus.APPLYING.value() + "')")
			.param("company", companyId)
			.query(Boolean.class)
			.single();
	}

}
