/**
 * The API as its users meet it: the OpenAPI document at {@code /api/openapi} (tenancy, credentials, errors and
 * paging described once, internal arguments hidden) and the page at {@code /api/docs} that shows it.
 */
package io.rollcall.apidocs;
