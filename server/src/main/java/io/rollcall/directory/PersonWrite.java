package io.rollcall.directory;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import io.rollcall.audit.FieldChange;

/**
 * One change to one person that a sync applies in bulk through {@link DirectoryBatch}.
 *
 * @param personId the person changed; for {@link Kind#CREATE} the id the new person gets
 * @param externalId the person's id in the source; for CREATE and LINK it is stored as their identity
 * @param changes by person field JSON name, {@code primaryTeam} (a team name) or {@code customFields.<key>};
 * the {@code to} values are applied as given (already checked by the planner), the {@code from}s are history. A LINK
 * that adopts an identity a sign-in linked carries {@link LinkedBy#CHANGE} ({@code sign-in → sync}).
 */
public record PersonWrite(Kind kind, UUID personId, String email, String externalId, Map<String, FieldChange> changes) {

	public enum Kind {
		CREATE, UPDATE, LINK, DEACTIVATE, REACTIVATE, MANAGER
	}

	public PersonWrite {
		Objects.requireNonNull(kind, "kind cannot be null");
		Objects.requireNonNull(personId, "personId cannot be null");
		changes = changes == null ? Map.of() : changes;
	}

}
