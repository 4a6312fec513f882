/**
 * Okta over its management API and event hooks: the set-up, the API client, the source the engine reads, the
 * event-hook receiver and its worker, pictures fetched safely, and the daily full sync.
 */
package io.rollcall.okta;
