package io.rollcall.okta;

import io.rollcall.company.Company;
import io.rollcall.connector.IntegrationApi;
import io.rollcall.platform.Actor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Okta integration in the REST API: set-up and preferences and "Sync users" ({@link IntegrationApi}; the first
 * save answers the event-hook secret once, in {@code eventHookSecret}), and a new event-hook secret.
 */
@Tag(name = "Okta")
@RestController
@RequestMapping("/api/v1/integrations/okta")
final class OktaApi extends IntegrationApi<OktaIntegration, OktaSetup, OktaSetup.Form> {

	OktaApi(OktaIntegration integration) {
		super(integration, new Operations("Okta", "Okta", "Secrets are never shown.",
				"The org address, an API token or a service app's client credentials, and the app whose assigned "
						+ "users are synced. The first save answers eventHookSecret once: Okta sends it as the Authorization "
						+ "header of its event hook.",
				"A full run of the app's assigned users"));
	}

	/** A new event-hook secret, answered once; the old one stops working. */
	@PostMapping("/hook-secret")
	@Operation(operationId = "rotateOktaHookSecret", summary = "Make a new event-hook secret",
			description = "Answered once; the old one stops working.")
	OktaSetup rotate(Company company, Actor actor) {
		return integration().rotateHookSecret(company.id(), actor);
	}

}
