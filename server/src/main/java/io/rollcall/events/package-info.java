/**
 * Events out: what changed in a company, read by the application Rollcall serves as a feed in commit order,
 * resumable from any cursor, with long polling.
 */
package io.rollcall.events;
