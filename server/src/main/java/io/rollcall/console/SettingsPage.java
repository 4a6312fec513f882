package io.rollcall.console;

import io.rollcall.company.Companies;
import io.rollcall.company.Company;
import io.rollcall.company.CompanySettings;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The company's name and the defaults its people start with. */
@Controller
@RequestMapping("/console/settings")
final class SettingsPage {

	private final Companies companies;

	SettingsPage(Companies companies) {
		Assert.notNull(companies, "companies cannot be null");
		this.companies = companies;
	}

	@GetMapping
	String show(Company company, Model model) {
		return page(company, new CompanySettings(company.name(), company.defaultTimezone(), company.defaultLanguage()),
				model);
	}

	@PostMapping
	String save(Company company, @RequestParam(defaultValue = "") String name,
			@RequestParam(defaultValue = "") String defaultTimezone,
			@RequestParam(defaultValue = "") String defaultLanguage, Actor actor, Model model,
			RedirectAttributes redirect) {
		CompanySettings settings = new CompanySettings(name, defaultTimezone, defaultLanguage);
		try {
			Company saved = this.companies.update(company.id(), settings, actor);
			Flash.good(redirect,
					saved.equals(company) ? "Nothing to save: no setting was changed." : "Settings saved.");
			return "redirect:/console/settings";
		}
		catch (RequestRejectedException ex) {
			Flash.bad(model, ex.getMessage());
			model.addAttribute("fieldInError", ex.field());
			return page(company, settings, model);
		}
	}

	private static String page(Company company, CompanySettings settings, Model model) {
		model.addAttribute("company", company);
		model.addAttribute("settings", settings);
		model.addAttribute("timezones", Companies.timeZones());
		return "console/settings";
	}

}
