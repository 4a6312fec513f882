package io.rollcall.console;

import io.rollcall.company.Company;
import io.rollcall.company.CompanyHosts;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import io.rollcall.sso.SingleSignOn;
import io.rollcall.sso.SsoSettings;
import io.rollcall.sso.SsoSettingsChange;
import io.rollcall.sso.SsoTestResult;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Single sign-on settings, and "Test sign-in", which shows what the provider sends and whom it matches. */
@Controller
@RequestMapping("/console/sso")
final class SsoPage {

	private final SingleSignOn singleSignOn;

	private final CompanyHosts hosts;

	SsoPage(SingleSignOn singleSignOn, CompanyHosts hosts) {
		Assert.notNull(singleSignOn, "singleSignOn cannot be null");
		Assert.notNull(hosts, "hosts cannot be null");
		this.singleSignOn = singleSignOn;
		this.hosts = hosts;
	}

	@GetMapping
	String show(Company company, HttpServletRequest request, Model model) {
		model.addAttribute("testResult", SsoTestResult.take(request.getSession(false)).orElse(null));
		return page(company, model);
	}

	@PostMapping
	String save(Company company, @RequestParam(defaultValue = "oidc") String provider,
			@RequestParam(defaultValue = "") String tenantId, @RequestParam(defaultValue = "") String authority,
			@RequestParam(defaultValue = "") String clientId, @RequestParam(defaultValue = "") String clientSecret,
			@RequestParam(defaultValue = "") String buttonLabel,
			@RequestParam(defaultValue = "false") boolean allowPassword,
			@RequestParam(defaultValue = "false") boolean createOnFirstSignIn, Actor actor, Model model,
			RedirectAttributes redirect) {
		// An empty secret field keeps the stored secret: the form never shows it.
		var change = new SsoSettingsChange(provider, tenantId, authority, clientId,
				clientSecret.isBlank() ? null : clientSecret, buttonLabel, allowPassword, createOnFirstSignIn, true);
		try {
			this.singleSignOn.save(company.id(), change, actor);
			Flash.good(redirect, "Single sign-on saved. Press \"Test sign-in\" to try it.");
			return "redirect:/console/sso";
		}
		catch (RequestRejectedException ex) {
			Flash.bad(model, ex.getMessage());
			model.addAttribute("fieldInError", ex.field());
			model.addAttribute("form", change);
			String page = page(company, model);
			model.addAttribute("providerName", provider);
			return page;
		}
	}

	@PostMapping("/removal")
	String remove(Company company, Actor actor, RedirectAttributes redirect) {
		this.singleSignOn.remove(company.id(), actor);
		Flash.good(redirect, "Single sign-on is off: people sign in with their e-mail and password.");
		return "redirect:/console/sso";
	}

	private String page(Company company, Model model) {
		var settings = this.singleSignOn.find(company.id());
		model.addAttribute("company", company);
		model.addAttribute("settings", settings.map(SsoSettings::shown).orElse(null));
		model.addAttribute("providerName", settings.map(s -> s.provider().json()).orElse("entra"));
		model.addAttribute("redirectUri", this.hosts.baseUrl(company) + "/login/oauth2/code/" + company.slug());
		return "console/sso";
	}

}
