package io.rollcall.console;

import java.time.Duration;
import java.util.UUID;

import io.rollcall.company.Company;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import io.rollcall.scim.DeleteMode;
import io.rollcall.scim.ScimAdministration;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The SCIM server of the company: on/off and what DELETE does, the Tenant URL, secret tokens (shown once), OAuth
 * client credentials, and the recent requests of the identity provider with why they failed.
 */
@Controller
@RequestMapping("/console/scim")
final class ScimPage {

	private static final String PAGE = "redirect:/console/scim";

	private final ScimAdministration scim;

	ScimPage(ScimAdministration scim) {
		Assert.notNull(scim, "scim cannot be null");
		this.scim = scim;
	}

	@GetMapping
	String show(Company company, Model model) {
		model.addAttribute("company", company);
		model.addAttribute("setup", this.scim.setup(company));
		model.addAttribute("tokens", this.scim.tokens(company.id()));
		model.addAttribute("clients", this.scim.clients(company.id()));
		model.addAttribute("requests", this.scim.requests(company.id(), 50));
		return "console/scim";
	}

	@PostMapping("/settings")
	String save(Company company, @RequestParam(defaultValue = "false") boolean enabled,
			@RequestParam(defaultValue = "deactivate") String deleteMode, Actor actor, RedirectAttributes redirect) {
		try {
			this.scim.save(company, enabled, DeleteMode.of(deleteMode), actor);
			Flash.good(redirect, enabled ? "SCIM is on." : "SCIM is off: identity providers are refused.");
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
		}
		return PAGE;
	}

	// Secrets ride in the flash map only, for the one page view that follows.
	@PostMapping("/tokens")
	String createToken(Company company, @RequestParam(defaultValue = "") String name, Actor actor,
			RedirectAttributes redirect) {
		try {
			ScimAdministration.NewToken token = this.scim.createToken(company.id(), name, actor);
			Flash.good(redirect, "Created the token " + token.token().name() + ".");
			redirect.addFlashAttribute("newSecret", token.secret());
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
		}
		return PAGE;
	}

	@PostMapping("/tokens/{id}/rotate")
	String rotate(Company company, @PathVariable UUID id, @RequestParam(defaultValue = "24") int overlapHours,
			Actor actor, RedirectAttributes redirect) {
		try {
			ScimAdministration.NewToken token = this.scim.rotateToken(company.id(), id, Duration.ofHours(overlapHours),
					actor);
			Flash.good(redirect, "Rotated: the old token keeps working for " + overlapHours
					+ " hours; paste the new one into the identity provider.");
			redirect.addFlashAttribute("newSecret", token.secret());
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
		}
		return PAGE;
	}

	@PostMapping("/tokens/{id}/revoke")
	String revoke(Company company, @PathVariable UUID id, Actor actor, RedirectAttributes redirect) {
		try {
			this.scim.revokeToken(company.id(), id, actor);
			Flash.good(redirect, "Revoked: the token no longer works.");
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
		}
		return PAGE;
	}

	@PostMapping("/clients")
	String createClient(Company company, Actor actor, RedirectAttributes redirect) {
		ScimAdministration.NewClient client = this.scim.createClient(company.id(), actor);
		Flash.good(redirect, "Created OAuth client credentials.");
		redirect.addFlashAttribute("newClientId", client.clientId());
		redirect.addFlashAttribute("newClientSecret", client.clientSecret());
		return PAGE;
	}

	@PostMapping("/clients/{id}/revoke")
	String revokeClient(Company company, @PathVariable UUID id, Actor actor, RedirectAttributes redirect) {
		try {
			this.scim.revokeClient(company.id(), id, actor);
			Flash.good(redirect, "Revoked the client and the tokens it was given.");
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
		}
		return PAGE;
	}

}
