package io.rollcall.sync;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rollcall.audit.AuditLog;
import io.rollcall.audit.FieldChange;
import io.rollcall.platform.Actor;
import io.rollcall.platform.ClusterNotices;
import io.rollcall.platform.ShortMemory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class SourceSettingsStore {

	private final JdbcClient jdbc;

	private final AuditLog audit;

	SourceSettingsStore(JdbcClient jdbc, AuditLog audit, ClusterNotices notices) {
		this.remembered = new ShortMemory<>("source settings", Duration.ofSeconds(5), notices);
		this.jdbc = jdbc;
		this.audit = audit;
	}

	/** Read for every pushed record, so remembered for a few seconds (see {@link ShortMemory}). */
	private final ShortMemory<List<Object>, SourceSettings> remembered;

	public SourceSettings get(UUID companyId, String source) {
		return this.remembered.get(List.of(companyId, source), key -> read(companyId, source));
	}

	private SourceSettings read(UUID companyId, String source) {
		return this.jdbc.sql("""
				select invitation_policy, assign_managers, deactivate_missing from sync_source_settings
				where company_id = :company and source = :source
				""")
			.param("company", companyId)
			.param("source", source)
			.query((rs, n) -> new SourceSettings(InvitationPolicy.of(rs.getString(1)), rs.getBoolean(2),
					rs.getBoolean(3)))
			.optional()
			.orElse(SourceSettings.defaults());
	}

	@Transactional
	public SourceSettings save(UUID companyId, String source, SourceSettings settings, Actor actor) {
		if (settings.invitationPolicy() == null) {
			throw InvitationPolicy.invalid();
		}
		SourceSettings before = read(companyId, source);
		this.remembered.forget(List.of(companyId, source));
		this.jdbc
			.sql("""
					insert into sync_source_settings (company_id, source, invitation_policy, assign_managers, deactivate_missing)
					values (:company, :source, :policy, :managers, :missing)
					on conflict (company_id, source) do update set invitation_policy = excluded.invitation_policy,
					    assign_managers = excluded.assign_managers, deactivate_missing = excluded.deactivate_missing, updated_at = now()
					""")
			.param("company", companyId)
			.param("source", source)
			.param("policy", settings.invitationPolicy().value())
			.param("managers", settings.assignManagers())
			.param("missing", settings.deactivateMissing())
			.update();
		this.audit.record(companyId, actor, "integration", null, "settings_saved_" + source,
				Map.of("settings", new FieldChange(before, settings)));
		return settings;
	}

}
