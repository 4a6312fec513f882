package io.rollcall.scim;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.rollcall.audit.AuditLog;
import io.rollcall.audit.FieldChange;
import io.rollcall.platform.Actor;
import io.rollcall.platform.ClusterNotices;
import io.rollcall.platform.ShortMemory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Whether a company's SCIM server is on, and what DELETE does there. */
@Component
class ScimSettingsStore {

	private final JdbcClient jdbc;

	private final AuditLog audit;

	ScimSettingsStore(JdbcClient jdbc, AuditLog audit, ClusterNotices notices) {
		this.remembered = new ShortMemory<>("SCIM settings", Duration.ofSeconds(1), notices);
		this.jdbc = jdbc;
		this.audit = audit;
	}

	/** @param deleteMode {@link DeleteMode#DEACTIVATE} (nothing lost) by default */
	record Settings(boolean enabled, DeleteMode deleteMode) {

		boolean deletes() {
			return this.deleteMode == DeleteMode.DELETE;
		}

	}

	/**
	 * Remembered for a second: every SCIM request asks whether the server is on. Saving forgets it on this node at
	 * once and on the others as it commits (a cluster notice).
	 */
	private final ShortMemory<UUID, Settings> remembered;

	Settings get(UUID companyId) {
		return this.remembered.get(companyId, this::read);
	}

	private Settings read(UUID companyId) {
		return this.jdbc.sql("select enabled, delete_mode from scim_settings where company_id = :company")
			.param("company", companyId)
			.query((rs, n) -> new Settings(rs.getBoolean(1), DeleteMode.of(rs.getString(2))))
			.optional()
			.orElse(new Settings(false, DeleteMode.DEACTIVATE));
	}

	@Transactional
	Settings save(UUID companyId, Boolean enabled, DeleteMode deleteMode, Actor actor) {
		this.remembered.forget(companyId);
		Settings before = read(companyId);
		DeleteMode mode = deleteMode == null ? before.deleteMode() : deleteMode;
		Settings after = new Settings(enabled == null ? before.enabled() : enabled, mode);
		this.jdbc.sql("""
				insert into scim_settings (company_id, enabled, delete_mode) values (:company, :enabled, :mode)
				on conflict (company_id) do update set enabled = excluded.enabled, delete_mode = excluded.delete_mode,
				    updated_at = now()
				""").param("company", companyId).param("enabled", after.enabled()).param("mode", mode.value()).update();
		if (!after.equals(before)) {
			this.audit.record(companyId, actor, "integration", null, "settings_saved_scim",
					Map.of("scim", new FieldChange(before, after)));
		}
		return after;
	}

}
