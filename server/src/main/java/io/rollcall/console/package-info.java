/**
 * The admin console: server-rendered pages where owners and admins run their company's directory. A source's own
 * actions on its integration's page are its {@link io.rollcall.console.IntegrationPage}, in the source's package.
 */
@org.springframework.modulith.ApplicationModule(
		allowedDependencies = { "company", "directory", "audit", "platform", "sync", "csv", "mapping", "sso", "scim",
				"connector", "events", "identityprovider" })
package io.rollcall.console;
