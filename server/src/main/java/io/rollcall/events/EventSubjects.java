package io.rollcall.events;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * Reads subjects of one kind as the API shows them, for the events that carry them. The module that owns the kind
 * implements it (people and teams: directory; sync runs: sync), so that an event's subject is the same JSON as the
 * API's without this module knowing the tables.
 */
public interface EventSubjects {

	/** The kind, as in an audit entry: {@code person}, {@code team}, {@code tag}, {@code sync_run}. */
	String subjectType();

	/** The subjects of the company that still exist, by id, in one query however many are asked for. */
	Map<UUID, ?> load(UUID companyId, Collection<UUID> ids);

}
