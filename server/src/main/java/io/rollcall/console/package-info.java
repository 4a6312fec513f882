/**
 * The admin console: server-rendered pages where owners and admins run their company's directory.
 */
@org.springframework.modulith.ApplicationModule(
		allowedDependencies = { "company", "directory", "audit", "platform", "sync", "csv", "mapping", "sso", "scim", "entra",
				"okta", "jsondirectory", "connector", "events", "identityprovider" })
package io.rollcall.console;
