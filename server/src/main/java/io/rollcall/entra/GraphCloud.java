package io.rollcall.entra;

import java.net.URI;
import java.util.Locale;

/**
 * Where a tenant's sign-in authority and Graph live: the global service, the US Government and China national
 * clouds, or a custom pair (another national cloud, or a local emulator).
 *
 * @param authority e.g. {@code https://login.microsoftonline.com}, without the tenant
 * @param graph Graph's base including the version, e.g. {@code https://graph.microsoft.com/v1.0}
 */
record GraphCloud(String name, String authority, String graph) {

	static final String GLOBAL = "global";

	static final String US_GOV = "usGov";

	static final String CHINA = "china";

	static final String CUSTOM = "custom";

	static GraphCloud of(String name, String customAuthority, String customGraph) {
		return switch (name) {
			case GLOBAL ->
				new GraphCloud(name, "https://login.microsoftonline.com", "https://graph.microsoft.com/v1.0");
			case US_GOV -> new GraphCloud(name, "https://login.microsoftonline.us", "https://graph.microsoft.us/v1.0");
			case CHINA ->
				new GraphCloud(name, "https://login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn/v1.0");
			case CUSTOM -> new GraphCloud(name, trimSlash(customAuthority), trimSlash(customGraph));
			default -> throw new IllegalArgumentException("Unknown cloud " + name);
		};
	}

	/** The client-credentials scope: Graph's origin with {@code /.default}. */
	String scope() {
		URI uri = URI.create(this.graph);
		if (CUSTOM.equals(this.name)) {
			// A custom authority (an emulator, a sovereign cloud) names Graph by its usual resource id.
			return "https://graph.microsoft.com/.default";
		}
		return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getAuthority() + "/.default";
	}

	String tokenUrl(String tenantId) {
		return this.authority + "/" + tenantId + "/oauth2/v2.0/token";
	}

	String adminConsentUrl(String tenantId) {
		return this.authority + "/" + tenantId + "/adminconsent";
	}

	private static String trimSlash(String url) {
		if (url == null) {
			return null;
		}
		String value = url.strip();
		while (value.endsWith("/")) {
			value = value.substring(0, value.length() - 1);
		}
		return value;
	}

}
