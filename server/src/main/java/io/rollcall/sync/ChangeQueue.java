package io.rollcall.sync;

import java.util.UUID;

/**
 * Where a source's changes wait before a run takes them in (Entra's notifications, Okta's events): counted in the
 * integration's health and in the metric {@code rollcall_changes_waiting}, together with the changes already in a
 * run that has not succeeded yet.
 */
public interface ChangeQueue {

	/** The source whose changes these are, as {@link Source#kind()}. */
	String source();

	/** Changes waiting for a run; {@code companyId} null for every company. */
	long waiting(UUID companyId);

}
