package io.rollcall.jsondirectory;

import io.rollcall.company.Company;
import io.rollcall.console.IntegrationPage;
import io.rollcall.platform.Actor;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Integrations → JSON directory, what only it has: saving the set-up. The page itself, "Sync users" and the run
 * history are the console's.
 */
@Controller
@RequestMapping("/console/integrations/jsondirectory")
final class JsonDirectoryPage extends IntegrationPage<JsonDirectoryIntegration> {

	JsonDirectoryPage(JsonDirectoryIntegration integration) {
		super(integration);
	}

	@PostMapping("/setup")
	String save(Company company, Actor actor, @RequestParam(required = false) String peopleUrl,
			@RequestParam(required = false) String token, @RequestParam(defaultValue = "never") String invitationPolicy,
			@RequestParam(defaultValue = "false") boolean assignManagers,
			@RequestParam(required = false) String fullSyncAt,
			RedirectAttributes redirect) {
		return act(redirect, () -> {
			integration().save(company.id(),
					new JsonDirectorySetup.Form(peopleUrl, token, invitationPolicy, assignManagers, fullSyncAt), actor);
			return "Saved the JSON directory settings.";
		});
	}

}
