package io.rollcall.sync;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.rollcall.audit.FieldChange;
import io.rollcall.directory.DirectoryBatch;

/**
 * A new person's manager, set as they are created when the manager exists by then. A first sync of 100,000 people
 * otherwise writes each of them twice: created, then given their manager in the plan's manager phase, with a second
 * audit entry and a second event. The manager items stay in the plan, for its counts and its history, and are marked
 * applied with the creation; the others (a manager listed after their report, or not there any more) wait for the
 * manager phase as before.
 * <p>
 * The manager items are planned in the order of the records, as the creations are, so each chunk of creations finds
 * its people's items just after the last one taken: one short read of the pending items per chunk, never the
 * run's. One instance per pass of the applier.
 */
final class ManagersAtCreation {

	private final PlanStore store;

	private final DirectoryBatch directory;

	/** The last manager item read for a person of an earlier chunk: those before it are left for the manager phase. */
	private int after;

	ManagersAtCreation(PlanStore store, DirectoryBatch directory) {
		this.store = store;
		this.directory = directory;
	}

	/**
	 * A chunk of the people phase, its creations given the managers they can have now, and the manager items taken.
	 *
	 * @param planned the chunk as planned, for applying item by item (without managers) when the chunk fails
	 */
	record Folded(List<PlanStore.Item> planned, List<PlanStore.Item> chunk, List<Integer> managerItems) {

		static Folded none(List<PlanStore.Item> chunk) {
			return new Folded(chunk, chunk, List.of());
		}

	}

	Folded fold(UUID runId, UUID companyId, List<PlanStore.Item> chunk) {
		Map<UUID, Integer> created = new HashMap<>();
		for (int i = 0; i < chunk.size(); i++) {
			if (chunk.get(i).kind() == PlanKind.CREATE) {
				created.put(chunk.get(i).personId(), i);
			}
		}
		if (created.isEmpty()) {
			return Folded.none(chunk);
		}
		// Twice the chunk: room for items left behind by earlier chunks (their manager came later).
		Map<UUID, PlanStore.ManagerItem> wanted = new LinkedHashMap<>();
		for (PlanStore.ManagerItem item : this.store.pendingManagers(runId, this.after, 2 * chunk.size())) {
			if (created.containsKey(item.personId())) {
				// In the records' order: whatever was read before it belongs to earlier records, and is not read again.
				this.after = item.seq();
				if (item.managerId() != null) {
					wanted.put(item.personId(), item);
				}
			}
		}
		if (wanted.isEmpty()) {
			return Folded.none(chunk);
		}
		Set<UUID> elsewhere = new HashSet<>();
		wanted.values()
			.stream()
			.map(PlanStore.ManagerItem::managerId)
			.filter(m -> !created.containsKey(m))
			.forEach(elsewhere::add);
		Set<UUID> existing = this.directory.existingPeople(companyId, elsewhere);
		List<PlanStore.Item> folded = new ArrayList<>(chunk);
		List<Integer> taken = new ArrayList<>();
		wanted.forEach((person, item) -> {
			UUID manager = item.managerId();
			Integer managerAt = created.get(manager);
			// Created earlier in this chunk's batch (its row is there when the report's is inserted), or already there.
			boolean there = managerAt != null ? managerAt < created.get(person) : existing.contains(manager);
			if (!there) {
				return;
			}
			int at = created.get(person);
			PlanStore.Item creation = folded.get(at);
			Map<String, FieldChange> changes = new LinkedHashMap<>(creation.changes());
			changes.put(ManagerLinking.OVERRIDE_MANAGER, new FieldChange(null, manager.toString()));
			folded.set(at, new PlanStore.Item(creation.seq(), creation.kind(), creation.externalId(),
					creation.personId(), creation.label(), changes, creation.message()));
			taken.add(item.seq());
		});
		return new Folded(chunk, folded, taken);
	}

}
