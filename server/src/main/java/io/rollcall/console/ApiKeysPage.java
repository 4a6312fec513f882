package io.rollcall.console;

import java.util.UUID;

import io.rollcall.company.ApiKey;
import io.rollcall.company.ApiKeys;
import io.rollcall.company.Company;
import io.rollcall.company.NewApiKey;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The company's API keys: list, create (the secret is shown once, on the page right after) and revoke. */
@Controller
@RequestMapping("/console/api-keys")
final class ApiKeysPage {

	private static final String KEYS = "redirect:/console/api-keys";

	private final ApiKeys apiKeys;

	ApiKeysPage(ApiKeys apiKeys) {
		Assert.notNull(apiKeys, "apiKeys cannot be null");
		this.apiKeys = apiKeys;
	}

	@GetMapping
	String list(Company company, Model model) {
		model.addAttribute("company", company);
		model.addAttribute("keys", this.apiKeys.list(company.id()));
		return "console/api-keys";
	}

	// The secret rides in the flash map only, so it exists for the one page view that follows and nowhere else.
	@PostMapping
	String create(Company company, @RequestParam(defaultValue = "") String name, Actor actor,
			RedirectAttributes redirect) {
		try {
			NewApiKey key = this.apiKeys.create(company.id(), name, actor);
			Flash.good(redirect, "Created the API key " + key.key().name() + ".");
			redirect.addFlashAttribute("newKeySecret", key.secret());
			redirect.addFlashAttribute("newKeyName", key.key().name());
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
			redirect.addFlashAttribute("newKeyNameInput", name);
		}
		return KEYS;
	}

	@PostMapping("/{id}/revoke")
	String revoke(Company company, @PathVariable UUID id, Actor actor, RedirectAttributes redirect) {
		try {
			ApiKey key = this.apiKeys.revoke(company.id(), id, actor);
			Flash.good(redirect, "Revoked the API key " + key.name() + ": it no longer works.");
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
		}
		return KEYS;
	}

}
