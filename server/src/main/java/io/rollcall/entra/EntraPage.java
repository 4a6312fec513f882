package io.rollcall.entra;

import io.rollcall.company.Company;
import io.rollcall.console.IntegrationPage;
import io.rollcall.platform.Actor;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Integrations → Entra ID, what only it has: Authorise (admin consent and its return), and saving the set-up. The page
 * itself, "Sync users" and the run history are the console's.
 */
@Controller
@RequestMapping("/console/integrations/entra")
final class EntraPage extends IntegrationPage<EntraIntegration> {

	EntraPage(EntraIntegration integration) {
		super(integration);
	}

	/** Off to Microsoft's admin-consent page; it sends the admin back to {@link #consent}. */
	@PostMapping("/authorise")
	String authorise(Company company, RedirectAttributes redirect) {
		return redirect(redirect, () -> integration().consentUrl(company));
	}

	@GetMapping("/consent")
	String consent(Company company, Actor actor, @RequestParam(required = false) String state,
			@RequestParam(name = "admin_consent", required = false) String adminConsent,
			@RequestParam(required = false) String error,
			@RequestParam(name = "error_description", required = false) String errorDescription,
			RedirectAttributes redirect) {
		return act(redirect,
				() -> integration().consentReturned(company, state, adminConsent, error, errorDescription, actor));
	}

	@PostMapping("/setup")
	String save(Company company, Actor actor, @RequestParam(required = false) String tenantId,
			@RequestParam(required = false) String groupId, @RequestParam(required = false) String clientId,
			@RequestParam(required = false) String clientSecret, @RequestParam(defaultValue = "global") String cloud,
			@RequestParam(required = false) String authorityUrl, @RequestParam(required = false) String graphUrl,
			@RequestParam(defaultValue = "never") String invitationPolicy,
			@RequestParam(defaultValue = "false") boolean assignManagers,
			@RequestParam(required = false) String fullSyncAt, RedirectAttributes redirect) {
		return act(redirect, () -> {
			EntraSetup setup = integration().save(company.id(), new EntraSetup.Form(tenantId, groupId, clientId,
					clientSecret, cloud, authorityUrl, graphUrl, invitationPolicy, assignManagers, fullSyncAt), actor);
			return setup.authorised() ? "Saved the Entra ID settings."
					: "Saved the Entra ID settings. Next: press Authorise and give admin consent.";
		});
	}

}
