/**
 * Events out: what changed in a company, read by the application Rollcall serves as a feed in commit order,
 * resumable from any cursor, with long polling, and sent to the company's webhook endpoints, signed as Standard
 * Webhooks say, at least once and in order per subject.
 */
package io.rollcall.events;
