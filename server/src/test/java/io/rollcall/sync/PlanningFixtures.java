package io.rollcall.sync;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rollcall.directory.InvitationState;
import io.rollcall.directory.Person;
import io.rollcall.directory.PersonField;
import io.rollcall.directory.PersonStatus;
import io.rollcall.directory.Role;
import io.rollcall.mapping.MappedPerson;
import io.rollcall.mapping.SourceRecord;

/** Small factories for the planner's unit tests: people and records (the sink that keeps a plan is {@link PlanItems}). */
final class PlanningFixtures {

	private PlanningFixtures() {
	}

	/** An active learner with only an e-mail, linked to nothing. */
	static Person person(UUID id, String email) {
		return person(id, email, PersonStatus.ACTIVE, Role.LEARNER, null, Map.of(), Map.of(), null);
	}

	static Person person(UUID id, String email, PersonStatus status, Role role, UUID primaryTeamId,
			Map<String, Object> customFields, Map<String, String> externalIds, UUID overrideManagerId) {
		return new Person(id, email, null, null, null, null, null, null, null, primaryTeamId, List.of(), null, null,
				null, null, null, null, null, null, null, null, null, null, null, null, customFields, List.of(), status,
				InvitationState.NOT_INVITED, role, overrideManagerId, overrideManagerId, null, externalIds,
				Instant.EPOCH, Instant.EPOCH);
	}

	static SourceRecord record(String externalId, boolean enabled, String managerRef) {
		return new SourceRecord(externalId, Map.of(), enabled, managerRef, null, List.of());
	}

	/** A record mapped to these fields, with no team and no custom fields. */
	static MappedPerson mapped(String externalId, Map<PersonField, String> fields) {
		return new MappedPerson(record(externalId, true, null), fields, null, false, Map.of(), List.of());
	}

	static MappedPerson mapped(String externalId, String email) {
		Map<PersonField, String> fields = new LinkedHashMap<>();
		fields.put(PersonField.EMAIL, email);
		return mapped(externalId, fields);
	}

	static Map<String, UUID> ids(Object... pairs) {
		Map<String, UUID> ids = new HashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			ids.put((String) pairs[i], (UUID) pairs[i + 1]);
		}
		return ids;
	}

}
