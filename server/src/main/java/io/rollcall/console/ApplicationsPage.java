package io.rollcall.console;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.rollcall.company.Company;
import io.rollcall.company.CompanyHosts;
import io.rollcall.identityprovider.Applications;
import io.rollcall.identityprovider.Applications.CompanyApplication;
import io.rollcall.identityprovider.Applications.NewApplication;
import io.rollcall.identityprovider.Applications.RegisteredApplication;
import io.rollcall.identityprovider.TrySignIn;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

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
 * The applications that sign people in through this company's issuer: the platform's (registered by the operator,
 * read-only here) and the company's own, which admins register, rotate the secret of (shown once) and delete; each
 * with its recent sign-ins and "Try it", a real sign-in whose ID token's claims the page shows.
 */
@Controller
@RequestMapping("/console/applications")
final class ApplicationsPage {

	private static final String LIST = "redirect:/console/applications";

	/** The try under way in this session, between the start and the callback. */
	private static final String PENDING = ApplicationsPage.class.getName() + ".try";

	private final Applications applications;

	private final TrySignIn trySignIn;

	private final CompanyHosts hosts;

	ApplicationsPage(Applications applications, TrySignIn trySignIn, CompanyHosts hosts) {
		Assert.notNull(applications, "applications cannot be null");
		Assert.notNull(trySignIn, "trySignIn cannot be null");
		Assert.notNull(hosts, "hosts cannot be null");
		this.applications = applications;
		this.trySignIn = trySignIn;
		this.hosts = hosts;
	}

	@GetMapping
	String list(Company company, Model model) {
		model.addAttribute("company", company);
		model.addAttribute("applications", this.applications.list(company.id()));
		model.addAttribute("issuer", this.hosts.baseUrl(company));
		return "console/applications";
	}

	// The secret rides in the flash map only, so it exists for the one page view that follows and nowhere else.
	@PostMapping
	String register(Company company, @RequestParam(defaultValue = "") String name,
			@RequestParam(defaultValue = "") String redirectUris,
			@RequestParam(defaultValue = "") String postLogoutRedirectUris,
			@RequestParam(defaultValue = "") String backChannelLogoutUri,
			@RequestParam(defaultValue = "client_secret_basic") String clientAuthentication, Actor actor,
			RedirectAttributes redirect) {
		try {
			RegisteredApplication registered = this.applications.register(company.id(), new NewApplication(name,
					lines(redirectUris), lines(postLogoutRedirectUris), backChannelLogoutUri, clientAuthentication),
					actor);
			Flash.good(redirect, "Registered " + registered.name() + ".");
			if (registered.clientSecret() != null) {
				redirect.addFlashAttribute("newSecret", registered.clientSecret());
			}
			return "redirect:/console/applications/" + registered.id();
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
			redirect.addFlashAttribute("fieldInError", ex.field());
			Map<String, String> form = new LinkedHashMap<>();
			form.put("name", name);
			form.put("redirectUris", redirectUris);
			form.put("postLogoutRedirectUris", postLogoutRedirectUris);
			form.put("backChannelLogoutUri", backChannelLogoutUri);
			form.put("clientAuthentication", clientAuthentication);
			redirect.addFlashAttribute("form", form);
			return LIST;
		}
	}

	@GetMapping("/{id}")
	String show(Company company, @PathVariable String id, Model model) {
		CompanyApplication application = this.applications.get(company.id(), id);
		model.addAttribute("company", company);
		model.addAttribute("app", application);
		model.addAttribute("signIns", this.applications.recentSignIns(company.id(), id));
		model.addAttribute("issuer", this.hosts.baseUrl(company));
		// A try's result rides in the flash map: shown once, for the application it was for.
		if (model.getAttribute("tryResult") instanceof TrySignIn.Result result && !id.equals(result.applicationId())) {
			model.addAttribute("tryResult", null);
		}
		return "console/application";
	}

	@PostMapping("/{id}/secret")
	String rotate(Company company, @PathVariable String id, Actor actor, RedirectAttributes redirect) {
		try {
			RegisteredApplication rotated = this.applications.rotateSecret(company.id(), id, actor);
			Flash.good(redirect, "Rotated the secret of " + rotated.name() + ": the old one stopped working just now. "
					+ "Give the new one to the application.");
			redirect.addFlashAttribute("newSecret", rotated.clientSecret());
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
		}
		return "redirect:/console/applications/" + id;
	}

	@PostMapping("/{id}/delete")
	String delete(Company company, @PathVariable String id, Actor actor, RedirectAttributes redirect) {
		try {
			CompanyApplication application = this.applications.get(company.id(), id);
			this.applications.delete(company.id(), id, actor);
			Flash.good(redirect, "Deleted " + application.name() + ": its tokens no longer work.");
			return LIST;
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
			return "redirect:/console/applications/" + id;
		}
	}

	/** Off to the company's authorize endpoint, as the company's test client; back at {@link #tried}. */
	@PostMapping("/{id}/try")
	String tryIt(Company company, @PathVariable String id, HttpServletRequest request) {
		TrySignIn.Pending pending = this.trySignIn.start(company, id);
		request.getSession().setAttribute(PENDING, pending);
		return "redirect:" + pending.authorizeUri();
	}

	@GetMapping("/try/callback")
	String tried(Company company, @RequestParam Map<String, String> callback, HttpServletRequest request,
			RedirectAttributes redirect) {
		HttpSession session = request.getSession(false);
		Object pending = session == null ? null : session.getAttribute(PENDING);
		if (!(pending instanceof TrySignIn.Pending started)) {
			Flash.bad(redirect, "No try is under way in this browser: open an application and press Try it.");
			return LIST;
		}
		session.removeAttribute(PENDING);
		TrySignIn.Result result = this.trySignIn.finish(company, started, callback);
		redirect.addFlashAttribute("tryResult", result);
		return "redirect:/console/applications/" + started.applicationId() + "#try-result";
	}

	private static List<String> lines(String text) {
		return Arrays.stream(text.split("[\\r\\n]+")).map(String::strip).filter(line -> !line.isEmpty()).toList();
	}

}
