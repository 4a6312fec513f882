package io.rollcall.events;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.rollcall.audit.AuditRecord;
import io.rollcall.audit.FieldChange;

/**
 * Which events a recorded change makes. A person's change is split by what a consumer acts on: its profile
 * ({@code person.updated}), its teams and tags ({@code membership.*}, one event per team or tag) and its own manager
 * ({@code manager.changed}). Changes of other kinds (settings, keys, invitations sent) make none.
 */
final class EventVocabulary {

	static final String PRIMARY_TEAM = "primaryTeamId";

	static final String SECONDARY_TEAMS = "secondaryTeamIds";

	static final String OVERRIDE_MANAGER = "overrideManagerId";

	/** A person's tags by name, as a change by hand gives them all at once. */
	static final String TAGS = "tags";

	/**
	 * One event to write: the subject it carries is read when the transaction is about to commit.
	 *
	 * @param unlessSecondaryTeam a team joined or left as primary team by a change that did not touch the secondary
	 * teams: the event is dropped when the person, as the transaction leaves them, has it as a secondary team (they
	 * were in it before and are still); null for every other event
	 */
	record Draft(EventType type, String subjectType, UUID subjectId, Map<String, FieldChange> changes,
			String unlessSecondaryTeam) {

		Draft(EventType type, String subjectType, UUID subjectId, Map<String, FieldChange> changes) {
			this(type, subjectType, subjectId, changes, null);
		}

		boolean deletion() {
			return this.type == EventType.PERSON_DELETED || this.type == EventType.TEAM_DELETED
					|| this.type == EventType.TAG_DELETED;
		}

	}

	private EventVocabulary() {
	}

	static List<Draft> of(AuditRecord record) {
		String action = record.action();
		UUID id = record.subjectId();
		Map<String, FieldChange> changes = record.changes();
		return switch (record.subjectType()) {
			case "person" -> person(id, action, changes);
			case "team" -> switch (action) {
				case "created" -> List.of(new Draft(EventType.TEAM_CREATED, "team", id, changes));
				case "updated" -> List.of(new Draft(EventType.TEAM_UPDATED, "team", id, changes));
				case "deleted" -> List.of(new Draft(EventType.TEAM_DELETED, "team", id, changes));
				default -> List.of();
			};
			case "tag" -> switch (action) {
				case "created" -> List.of(new Draft(EventType.TAG_CREATED, "tag", id, changes));
				case "renamed", "updated" -> List.of(new Draft(EventType.TAG_UPDATED, "tag", id, changes));
				case "deleted" -> List.of(new Draft(EventType.TAG_DELETED, "tag", id, changes));
				default -> List.of();
			};
			default -> List.of();
		};
	}

	private static List<Draft> person(UUID id, String action, Map<String, FieldChange> changes) {
		List<Draft> drafts = new ArrayList<>();
		switch (action) {
			case "created" -> {
				drafts.add(new Draft(EventType.PERSON_CREATED, "person", id, changes));
				memberships(id, changes, drafts);
				tags(id, changes, drafts);
				manager(id, changes, drafts, true);
			}
			// A link to a source, an accepted invitation, a sign-in link: all change what the API shows of the person.
			case "updated", "linked", "identity_linked", "invitation_accepted" -> {
				Map<String, FieldChange> profile = new LinkedHashMap<>(changes);
				profile.remove(PRIMARY_TEAM);
				profile.remove(SECONDARY_TEAMS);
				profile.remove(OVERRIDE_MANAGER);
				profile.remove(TAGS);
				if (!profile.isEmpty() || changes.isEmpty()) {
					drafts.add(new Draft(EventType.PERSON_UPDATED, "person", id, profile));
				}
				memberships(id, changes, drafts);
				tags(id, changes, drafts);
				manager(id, changes, drafts, false);
			}
			case "deactivated" -> drafts.add(new Draft(EventType.PERSON_DEACTIVATED, "person", id, changes));
			case "reactivated" -> drafts.add(new Draft(EventType.PERSON_REACTIVATED, "person", id, changes));
			case "deleted" -> drafts.add(new Draft(EventType.PERSON_DELETED, "person", id, changes));
			case "tagged" -> tag(id, changes, EventType.MEMBERSHIP_ADDED, drafts);
			case "untagged" -> tag(id, changes, EventType.MEMBERSHIP_REMOVED, drafts);
			default -> {
				// invitation sent or not delivered, password set: nothing the host application acts on
			}
		}
		return drafts;
	}

	private static void memberships(UUID id, Map<String, FieldChange> changes, List<Draft> drafts) {
		Set<Object> before = new LinkedHashSet<>();
		Set<Object> after = new LinkedHashSet<>();
		FieldChange primary = changes.get(PRIMARY_TEAM);
		if (primary != null) {
			addPresent(before, primary.from());
			addPresent(after, primary.to());
		}
		FieldChange secondary = changes.get(SECONDARY_TEAMS);
		if (secondary != null) {
			addAll(before, secondary.from());
			addAll(after, secondary.to());
		}
		// Secondary teams the change left as they were are not in it: a primary team's move is checked against them
		// once the subject is read.
		boolean secondaryUnknown = secondary == null;
		// A team that moved from secondary to primary (or back) is still a membership: neither left nor joined.
		for (Object team : before) {
			if (!after.contains(team)) {
				drafts.add(new Draft(EventType.MEMBERSHIP_REMOVED, "person", id,
						Map.of("team", new FieldChange(team.toString(), null)),
						secondaryUnknown ? team.toString() : null));
			}
		}
		for (Object team : after) {
			if (!before.contains(team)) {
				drafts.add(new Draft(EventType.MEMBERSHIP_ADDED, "person", id,
						Map.of("team", new FieldChange(null, team.toString())),
						secondaryUnknown ? team.toString() : null));
			}
		}
	}

	/** Tags given or taken by a change of the whole list (names compared without case, as tags are named). */
	private static void tags(UUID id, Map<String, FieldChange> changes, List<Draft> drafts) {
		FieldChange tags = changes.get(TAGS);
		if (tags == null) {
			return;
		}
		Map<String, String> before = byLowerName(tags.from());
		Map<String, String> after = byLowerName(tags.to());
		before.forEach((key, name) -> {
			if (!after.containsKey(key)) {
				drafts.add(new Draft(EventType.MEMBERSHIP_REMOVED, "person", id,
						Map.of("tag", new FieldChange(name, null))));
			}
		});
		after.forEach((key, name) -> {
			if (!before.containsKey(key)) {
				drafts.add(new Draft(EventType.MEMBERSHIP_ADDED, "person", id,
						Map.of("tag", new FieldChange(null, name))));
			}
		});
	}

	private static Map<String, String> byLowerName(Object names) {
		Map<String, String> byKey = new LinkedHashMap<>();
		if (names instanceof Collection<?> collection) {
			collection.forEach(
					name -> byKey.putIfAbsent(name.toString().toLowerCase(java.util.Locale.ROOT), name.toString()));
		}
		return byKey;
	}

	private static void manager(UUID id, Map<String, FieldChange> changes, List<Draft> drafts, boolean created) {
		FieldChange manager = changes.get(OVERRIDE_MANAGER);
		if (manager != null && (!created || manager.to() != null)) {
			drafts.add(new Draft(EventType.MANAGER_CHANGED, "person", id, Map.of(OVERRIDE_MANAGER, manager)));
		}
	}

	private static void tag(UUID id, Map<String, FieldChange> changes, EventType type, List<Draft> drafts) {
		FieldChange tag = changes.get("tags");
		drafts.add(new Draft(type, "person", id,
				Map.of("tag", tag == null ? new FieldChange(null, null) : tag)));
	}

	private static void addPresent(Set<Object> set, Object value) {
		if (value != null) {
			set.add(value.toString());
		}
	}

	private static void addAll(Set<Object> set, Object values) {
		if (values instanceof Collection<?> collection) {
			collection.forEach(value -> addPresent(set, value));
		}
	}

}
