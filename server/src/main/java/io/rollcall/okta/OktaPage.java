package io.rollcall.okta;

import io.rollcall.company.Company;
import io.rollcall.console.IntegrationPage;
import io.rollcall.platform.Actor;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Integrations → Okta, what only it has: saving the set-up, and a new event-hook secret (shown once). The page itself,
 * with the event hook to make in Okta, "Sync users" and the run history are the console's.
 */
@Controller
@RequestMapping("/console/integrations/okta")
final class OktaPage extends IntegrationPage<OktaIntegration> {

	OktaPage(OktaIntegration integration) {
		super(integration);
	}

	@PostMapping("/setup")
	String save(Company company, Actor actor, @RequestParam(required = false) String orgUrl,
			@RequestParam(required = false) String authorizationServer,
			@RequestParam(defaultValue = "token") String authMethod,
			@RequestParam(required = false) String apiToken, @RequestParam(required = false) String clientId,
			@RequestParam(required = false) String clientSecret, @RequestParam(required = false) String appId,
			@RequestParam(defaultValue = "never") String invitationPolicy,
			@RequestParam(defaultValue = "false") boolean assignManagers,
			@RequestParam(required = false) String pictureAttribute,
			@RequestParam(defaultValue = "false") boolean allowPrivatePictures,
			@RequestParam(required = false) String fullSyncAt, RedirectAttributes redirect) {
		return act(redirect, () -> {
			OktaSetup setup = integration().save(company.id(),
					new OktaSetup.Form(orgUrl, authorizationServer, authMethod,
							apiToken, clientId, clientSecret, appId, invitationPolicy, assignManagers, pictureAttribute,
							allowPrivatePictures, fullSyncAt),
					actor);
			if (setup.eventHookSecret() != null) {
				redirect.addFlashAttribute("hookSecret", setup.eventHookSecret());
			}
			return "Saved the Okta settings.";
		});
	}

	/** A new event-hook secret, shown once; the old one stops working. */
	@PostMapping("/hook-secret")
	String rotate(Company company, Actor actor, RedirectAttributes redirect) {
		return act(redirect, () -> {
			redirect.addFlashAttribute("hookSecret",
					integration().rotateHookSecret(company.id(), actor).eventHookSecret());
			return "Made a new event-hook secret: paste it into the event hook in Okta now.";
		});
	}

}
