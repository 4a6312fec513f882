package io.rollcall.events;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What an event says happened, named {@code subject.what}. The list is the contract with consumers: a type is added,
 * never renamed or dropped.
 */
public enum EventType {

	PERSON_CREATED("person.created"), PERSON_UPDATED("person.updated"), PERSON_DEACTIVATED("person.deactivated"),
	PERSON_REACTIVATED("person.reactivated"), PERSON_DELETED("person.deleted"),
	TEAM_CREATED("team.created"), TEAM_UPDATED("team.updated"), TEAM_DELETED("team.deleted"),
	TAG_CREATED("tag.created"), TAG_UPDATED("tag.updated"), TAG_DELETED("tag.deleted"),
	/** A person joined a team (primary or secondary) or was given a tag; {@code changes} names which. */
	MEMBERSHIP_ADDED("membership.added"),
	/** A person left a team or lost a tag. */
	MEMBERSHIP_REMOVED("membership.removed"),
	/** A person's own manager (the one set on them, not their team's) changed. */
	MANAGER_CHANGED("manager.changed"),
	SYNC_RUN_SUCCEEDED("sync_run.succeeded"),
	/** A run stopped before applying and waits for an admin to approve or discard it (too many departures). */
	SYNC_RUN_HELD("sync_run.held"),
	/** A run failed for good (a dry run, a problem no retry mends, or too many attempts); a failed attempt is retried. */
	SYNC_RUN_FAILED("sync_run.failed"),
	/** Sent by an admin from the console to try an endpoint; never in the feed. */
	WEBHOOK_TEST("webhook.test");

	private final String dotted;

	EventType(String dotted) {
		this.dotted = dotted;
	}

	@JsonValue
	public String dotted() {
		return this.dotted;
	}

	/** The subject kind: {@code person}, {@code team}, {@code tag}, {@code membership}, ... */
	public String subject() {
		return this.dotted.substring(0, this.dotted.indexOf('.'));
	}

	@Override
	public String toString() {
		return this.dotted;
	}

}
