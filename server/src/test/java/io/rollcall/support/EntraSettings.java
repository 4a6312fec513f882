package io.rollcall.support;

import java.util.HashMap;
import java.util.Map;

import io.rollcall.emulators.entra.EntraEmulator;
import io.rollcall.emulators.entra.EntraTenant;

/** The body of {@code PUT /api/v1/integrations/entra} that connects a company to a tenant of the Entra emulator. */
public final class EntraSettings {

	private EntraSettings() {
	}

	/**
	 * Settings for {@code tenant} on {@code entra}; {@code groupId} and {@code secret} left out when null (a test of
	 * what is refused without them).
	 */
	public static Map<String, Object> of(EntraEmulator entra, EntraTenant tenant, String groupId, String secret,
			boolean assignManagers, String invitationPolicy) {
		Map<String, Object> body = new HashMap<>();
		body.put("tenantId", tenant.tenantId());
		if (groupId != null) {
			body.put("groupId", groupId);
		}
		body.put("clientId", tenant.clientId());
		if (secret != null) {
			body.put("clientSecret", secret);
		}
		body.put("cloud", "custom");
		body.put("authorityUrl", entra.authority());
		body.put("graphUrl", entra.graphUrl());
		body.put("assignManagers", assignManagers);
		body.put("invitationPolicy", invitationPolicy);
		return body;
	}

}
