package io.rollcall.sso;

import java.util.Optional;

import io.rollcall.company.Company;
import io.rollcall.company.CurrentCompany;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Starting single sign-on from the company's sign-in page, and the pages a refused sign-in ends on. */
@Controller
final class SsoFlowPages {

	private static final Logger log = LoggerFactory.getLogger(SsoFlowPages.class);

	/** The admin who pressed "Test sign-in", put back once the provider answers. */
	static final String TESTER = SsoFlowPages.class.getName() + ".tester";

	private final CompanyClientRegistrations registrations;

	SsoFlowPages(CompanyClientRegistrations registrations) {
		Assert.notNull(registrations, "registrations cannot be null");
		this.registrations = registrations;
	}

	/** The sign-in button (and the console's "Test sign-in"): POST with a CSRF token, so no link can start it. */
	@PostMapping("/sso/start")
	String start(HttpServletRequest request, @RequestParam(defaultValue = "false") boolean test, Model model) {
		Optional<Company> company = CurrentCompany.of(request);
		if (company.isEmpty()) {
			return "redirect:/";
		}
		model.addAttribute("company", company.get());
		Authentication current = SecurityContextHolder.getContext().getAuthentication();
		if (test && !(current != null && current.getPrincipal() instanceof SignedInPerson admin
				&& admin.role().runsConsole())) {
			return refused(model, "test-not-allowed");
		}
		try {
			if (this.registrations.forCompany(company.get()).isEmpty()) {
				return refused(model, "not-configured");
			}
		}
		catch (ProviderDiscovery.DiscoveryException ex) {
			log.warn("Single sign-on of company {} cannot start: {}", company.get().slug(), ex.getMessage());
			model.addAttribute("detail", ex.getMessage());
			return refused(model, "provider-unreachable");
		}
		HttpSession session = request.getSession();
		String registrationId = CompanyClientRegistrations.registrationId(company.get());
		session.setAttribute(SsoFlowGuard.STARTED, registrationId);
		session.setAttribute(SsoFlowGuard.MODE, test ? "test" : "sign-in");
		if (test) {
			session.setAttribute(TESTER, current);
		}
		else {
			session.removeAttribute(TESTER);
		}
		return "redirect:" + SsoFlowGuard.AUTHORIZATION + registrationId;
	}

	@GetMapping(SsoFlowGuard.DEEP_LINK_PAGE)
	String startFromHome(HttpServletRequest request, Model model) {
		CurrentCompany.of(request).ifPresent(company -> model.addAttribute("company", company));
		return "sso/start-from-home";
	}

	@GetMapping("/sso/refused")
	String refusedPage(HttpServletRequest request, @RequestParam(defaultValue = "failed") String reason, Model model) {
		CurrentCompany.of(request).ifPresent(company -> model.addAttribute("company", company));
		return refused(model, reason);
	}

	private static String refused(Model model, String reason) {
		model.addAttribute("reason", reason.matches("[a-z-]{1,40}") ? reason : "failed");
		return "sso/refused";
	}

}
