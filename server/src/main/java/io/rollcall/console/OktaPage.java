package io.rollcall.console;

import io.rollcall.company.Company;
import io.rollcall.okta.OktaIntegration;
import io.rollcall.okta.OktaSetup;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import io.rollcall.sync.SyncRun;
import io.rollcall.sync.SyncRuns;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Integrations → Okta: the set-up form, the event hook to make in Okta (its URL, and its secret shown once),
 * preferences, "Sync users" and the run history.
 */
@Controller
@RequestMapping("/console/integrations/okta")
final class OktaPage {

	private static final String PAGE = "/console/integrations/okta";

	private final OktaIntegration integration;

	private final SyncRuns runs;

	OktaPage(OktaIntegration integration, SyncRuns runs) {
		Assert.notNull(integration, "integration cannot be null");
		Assert.notNull(runs, "runs cannot be null");
		this.integration = integration;
		this.runs = runs;
	}

	@GetMapping
	String page(Company company, Model model) {
		model.addAttribute("company", company);
		model.addAttribute("setup", this.integration.setup(company.id()));
		model.addAttribute("active", this.runs.active(company.id(), "okta").map(RunLine::of).orElse(null));
		model.addAttribute("history", this.runs.history(company.id(), "okta", 20).stream().map(RunLine::of).toList());
		return "console/okta";
	}

	@PostMapping("/setup")
	String save(Company company, Actor actor, @RequestParam(required = false) String orgUrl,
			@RequestParam(required = false) String authorizationServer, @RequestParam(defaultValue = "token") String authMethod,
			@RequestParam(required = false) String apiToken, @RequestParam(required = false) String clientId,
			@RequestParam(required = false) String clientSecret, @RequestParam(required = false) String appId,
			@RequestParam(defaultValue = "never") String invitationPolicy,
			@RequestParam(defaultValue = "false") boolean assignManagers,
			@RequestParam(required = false) String pictureAttribute,
			@RequestParam(defaultValue = "false") boolean allowPrivatePictures,
			@RequestParam(required = false) String fullSyncAt, RedirectAttributes redirect) {
		try {
			OktaSetup setup = this.integration.save(company.id(), new OktaSetup.Form(orgUrl, authorizationServer, authMethod,
					apiToken, clientId, clientSecret, appId, invitationPolicy, assignManagers, pictureAttribute,
					allowPrivatePictures, fullSyncAt), actor);
			Flash.good(redirect, "Saved the Okta settings.");
			if (setup.eventHookSecret() != null) {
				redirect.addFlashAttribute("hookSecret", setup.eventHookSecret());
			}
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
		}
		return "redirect:" + PAGE;
	}

	/** A new event-hook secret, shown once; the old one stops working. */
	@PostMapping("/hook-secret")
	String rotate(Company company, Actor actor, RedirectAttributes redirect) {
		try {
			redirect.addFlashAttribute("hookSecret", this.integration.rotateHookSecret(company.id(), actor).eventHookSecret());
			Flash.good(redirect, "Made a new event-hook secret: paste it into the event hook in Okta now.");
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
		}
		return "redirect:" + PAGE;
	}

	/** "Sync users": a full run through the engine; the admin watches it on the run's page. */
	@PostMapping("/sync")
	String sync(Company company, Actor actor, @RequestParam(defaultValue = "false") boolean dryRun,
			RedirectAttributes redirect) {
		try {
			SyncRun run = this.integration.sync(company.id(), dryRun, actor);
			return "redirect:/console/sync-runs/" + run.id();
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
			return "redirect:" + PAGE;
		}
	}

}
