package io.rollcall.connector;

import java.util.UUID;

import io.rollcall.company.Companies;
import io.rollcall.company.CompanyHosts;
import io.rollcall.platform.RollcallProperties;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Where a provider delivers its change notifications or events to Rollcall. */
@Component
public final class HookAddresses {

	private final Environment environment;

	private final String baseDomain;

	private final Companies companies;

	private final CompanyHosts hosts;

	HookAddresses(Environment environment, RollcallProperties properties, Companies companies, CompanyHosts hosts) {
		this.environment = environment;
		this.baseDomain = properties.baseDomain();
		this.companies = companies;
		this.hosts = hosts;
	}

	/**
	 * The URL set in {@code property}, else the company's own address with {@code path}.
	 *
	 * @param path the receiver's path, e.g. {@code /hooks/entra}
	 */
	public String of(UUID companyId, String property, String path) {
		String configured = this.environment.getProperty(property);
		if (configured != null && !configured.isBlank()) {
			return configured;
		}
		if ("localhost".equals(this.baseDomain)) {
			// Names under .localhost reach browsers, but not every HTTP client resolves them: use the loopback address.
			return "http://127.0.0.1:" + this.environment.getProperty("local.server.port",
					this.environment.getProperty("server.port", "8080")) + path;
		}
		return this.hosts.baseUrl(this.companies.get(companyId)) + path;
	}

}
