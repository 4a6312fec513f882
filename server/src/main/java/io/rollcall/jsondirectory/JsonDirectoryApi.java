package io.rollcall.jsondirectory;

import io.rollcall.connector.IntegrationApi;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The JSON directory in the REST API: set-up and preferences and "Sync users", nothing of its own. */
@Tag(name = "JSON directory")
@RestController
@RequestMapping("/api/v1/integrations/jsondirectory")
final class JsonDirectoryApi
		extends IntegrationApi<JsonDirectoryIntegration, JsonDirectorySetup, JsonDirectorySetup.Form> {

	JsonDirectoryApi(JsonDirectoryIntegration integration) {
		super(integration, new Operations("JsonDirectory", "the JSON directory", "The token is never shown.",
				"The people endpoint's address and the bearer token it wants (a blank token keeps the stored one), "
						+ "the invitation policy, managers and the daily sync's time.",
				"A full run of everyone the people endpoint lists"));
	}

}
