package io.rollcall.directory;

import java.util.List;
import java.util.UUID;

/**
 * What to change about a team. {@code parentId} is applied only when {@code setParent} is true, so that
 * "no change" and "remove the parent" can be told apart; null lists and names leave things as they are.
 */
public record TeamChanges(String name, boolean setParent, UUID parentId, List<UUID> managerIds) {

	public static TeamChanges rename(String name) {
		return new TeamChanges(name, false, null, null);
	}

	public static TeamChanges parent(UUID parentId) {
		return new TeamChanges(null, true, parentId, null);
	}

	public static TeamChanges managers(List<UUID> managerIds) {
		return new TeamChanges(null, false, null, managerIds);
	}

}
