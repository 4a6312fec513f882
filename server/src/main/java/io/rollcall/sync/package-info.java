/**
 * The sync engine: every source's records go through one pipeline, source records, then mapping, then a
 * stored plan (create, update, link, reactivate, deactivate, managers, invitations), then apply. Runs are
 * durable jobs; a run can be a dry run; a run that would deactivate too many people waits for approval.
 */
package io.rollcall.sync;
