package io.rollcall.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

import io.rollcall.directory.Invitations;
import io.rollcall.mapping.SourceRecord;
import io.rollcall.platform.Actor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The engine for sources that push people one at a time (SCIM): one record is matched, planned and applied with
 * the same rules as a run (matching, teams, managers, invitations, audit, events) inside the caller's
 * transaction, with no run and no stored plan.
 */
@Service
public class RecordPush {

	private static final Logger log = LoggerFactory.getLogger(RecordPush.class);

	private final SyncPlanner planner;

	private final SyncApplier applier;

	private final SourceSettingsStore settings;

	private final Invitations invitations;

	RecordPush(SyncPlanner planner, SyncApplier applier, SourceSettingsStore settings, Invitations invitations) {
		this.planner = planner;
		this.applier = applier;
		this.settings = settings;
		this.invitations = invitations;
	}

	/**
	 * What a push did.
	 *
	 * @param personId the person the record is now, null when it was refused
	 * @param actions what was done, in plan order
	 * @param problems why the record (or its manager) was not applied; empty when all went in
	 */
	public record Result(UUID personId, List<PlanKind> actions, List<RecordProblem> problems) {

		public boolean created() {
			return this.actions.contains(PlanKind.CREATE);
		}

		/** Whether the record itself was left out: nothing was done, for a reason of its own (not its manager's). */
		public boolean refused() {
			return this.actions.isEmpty() && !this.problems.isEmpty()
					&& this.problems.stream().allMatch(RecordProblem::refusesRecord);
		}

	}

	/**
	 * Plans and applies one record.
	 *
	 * @param personId the person the client addressed by id (it is then matched to that person, and its external
	 * id linked when it differs); null to match by external id, then e-mail, like a run
	 */
	@Transactional
	public Result apply(UUID companyId, String source, UUID personId, SourceRecord record, Actor actor) {
		Objects.requireNonNull(companyId, "companyId cannot be null");
		Objects.requireNonNull(record, "record cannot be null");
		SourceSettings sourceSettings = this.settings.get(companyId, source);
		SyncPlanner.OnePlan plan = this.planner.planOne(companyId, source, sourceSettings, record, personId);
		List<PlanStore.Item> items = plan.items();
		List<PlanKind> actions = new ArrayList<>();
		Map<Integer, List<PlanStore.Item>> byPhase = new TreeMap<>();
		for (PlanStore.Item item : items) {
			if (!item.kind().applied()) {
				continue; // its problem is in plan.problems()
			}
			actions.add(item.kind());
			byPhase.computeIfAbsent(item.phase(), p -> new ArrayList<>()).add(item);
		}
		UUID subject = plan.personId();
		for (Map.Entry<Integer, List<PlanStore.Item>> phase : byPhase.entrySet()) {
			if (phase.getKey() == PlanKind.INVITE.phase()) {
				phase.getValue().forEach(item -> inviteAfterCommit(companyId, item.personId(), actor));
			}
			else {
				this.applier.applyItems(companyId, source, null, phase.getValue(), actor);
			}
		}
		return new Result(subject, List.copyOf(actions), plan.problems());
	}

	// The e-mail goes out once the person is committed, and never for a push that was rolled back.
	private void inviteAfterCommit(UUID companyId, UUID personId, Actor actor) {
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				try {
					RecordPush.this.invitations.send(companyId, personId, actor);
				}
				catch (RuntimeException ex) {
					log.info("Invitation of pushed person {} not sent: {}", personId, ex.getMessage());
				}
			}
		});
	}

}
