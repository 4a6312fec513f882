package io.rollcall.entra;

import java.util.Map;

import io.rollcall.company.Company;
import io.rollcall.connector.IntegrationApi;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Entra ID integration in the REST API: set-up and preferences and "Sync users" ({@link IntegrationApi}), and the
 * consent URL to open.
 */
@Tag(name = "Entra ID")
@RestController
@RequestMapping("/api/v1/integrations/entra")
final class EntraApi extends IntegrationApi<EntraIntegration, EntraSetup, EntraSetup.Form> {

	private static final Operations OPERATIONS = new Operations("Entra", "Entra ID",
			"The client secret is never shown; the tenant ID only masked, with its last four characters.",
			"Tenant, security group and app registration; leave clientSecret out to keep the stored one, and "
					+ "tenantId out (or send it back masked, as read) to keep the stored tenant. Then "
					+ "authorise it (POST .../authorisation).",
			"A full run of the group's members (nested groups included), after which every photo is checked again");

	EntraApi(EntraIntegration integration) {
		super(integration, OPERATIONS);
	}

	/** The admin-consent URL for a Global Administrator to open; its answer comes back to the console. */
	@PostMapping("/authorisation")
	@Operation(operationId = "authoriseEntra", summary = "Ask for admin consent",
			description = "Answers consentUrl, for a Global Administrator to open; the answer comes back to the console, which "
					+ "then subscribes to change notifications.")
	Map<String, String> authorise(Company company) {
		return Map.of("consentUrl", integration().consentUrl(company).toString());
	}

}
