package io.rollcall.sso;

import java.util.Optional;

import io.rollcall.company.Company;
import io.rollcall.company.CurrentCompany;
import io.rollcall.directory.Invitations;
import io.rollcall.company.Companies;
import io.rollcall.directory.People;
import io.rollcall.directory.Person;
import io.rollcall.directory.PersonChanges;
import io.rollcall.directory.PersonField;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The company home page, the sign-in page and the page an invitation link opens. */
@Controller
class SignInPages {

	private final Invitations invitations;

	private final Credentials credentials;

	private final TransactionTemplate transaction;

	private final SingleSignOn singleSignOn;

	private final People people;

	SignInPages(Invitations invitations, Credentials credentials, TransactionTemplate transaction,
			SingleSignOn singleSignOn, People people) {
		this.people = people;
		this.invitations = invitations;
		this.credentials = credentials;
		this.transaction = transaction;
		this.singleSignOn = singleSignOn;
	}

	@GetMapping("/")
	String home(HttpServletRequest request, @AuthenticationPrincipal Object principal, Model model) {
		Optional<Company> company = CurrentCompany.of(request);
		if (company.isEmpty()) {
			return "sso/rollcall";
		}
		if (!(principal instanceof SignedInPerson person)) {
			return "redirect:/login";
		}
		model.addAttribute("company", company.get());
		model.addAttribute("person", person);
		model.addAttribute("timeZone", this.people.get(company.get().id(), person.personId()).timeZone());
		model.addAttribute("timeZones", Companies.timeZones());
		return "sso/home";
	}

	/** Everyone chooses their own time zone (seed 002); empty follows the company's default again. */
	@PostMapping("/profile/time-zone")
	String chooseTimeZone(HttpServletRequest request, @AuthenticationPrincipal Object principal,
			@RequestParam(defaultValue = "") String timeZone) {
		Optional<Company> company = CurrentCompany.of(request);
		if (company.isEmpty() || !(principal instanceof SignedInPerson person)) {
			return "redirect:/login";
		}
		try {
			this.people.update(company.get().id(), person.personId(),
					new PersonChanges().set(PersonField.TIME_ZONE, timeZone), person.actor());
		}
		catch (RequestRejectedException ex) {
			return "redirect:/?timeZoneRefused";
		}
		return "redirect:/?timeZoneSaved";
	}

	@GetMapping("/login")
	String login(HttpServletRequest request, Model model) {
		Optional<Company> company = CurrentCompany.of(request);
		if (company.isEmpty()) {
			return "sso/rollcall";
		}
		model.addAttribute("company", company.get());
		model.addAttribute("sso", this.singleSignOn.active(company.get().id()).orElse(null));
		return "sso/login";
	}

	@GetMapping("/invitations/{token}")
	String invitation(HttpServletRequest request, @PathVariable String token, Model model) {
		Company company = company(request);
		model.addAttribute("company", company);
		model.addAttribute("token", token);
		Optional<Person> invitee = this.invitations.invitee(company.id(), token);
		if (invitee.isEmpty()) {
			return "sso/invitation-invalid";
		}
		model.addAttribute("invitee", invitee.get());
		model.addAttribute("minLength", Credentials.MIN_LENGTH);
		return "sso/invitation";
	}

	@PostMapping("/invitations/{token}")
	String accept(HttpServletRequest request, @PathVariable String token, @RequestParam String password,
			@RequestParam String confirmation, Model model) {
		Company company = company(request);
		model.addAttribute("company", company);
		model.addAttribute("token", token);
		Optional<Person> invitee = this.invitations.invitee(company.id(), token);
		if (invitee.isEmpty()) {
			return "sso/invitation-invalid";
		}
		try {
			if (!password.equals(confirmation)) {
				throw RequestRejectedException.invalid("confirmation", "The two passwords are not the same");
			}
			this.transaction.executeWithoutResult(status -> {
				Person person = this.invitations.redeem(company.id(), token);
				this.credentials.setPassword(company.id(), person, password,
						new Actor(Actor.Type.PERSON, person.id().toString(), person.email()));
			});
		}
		catch (RequestRejectedException ex) {
			model.addAttribute("invitee", invitee.get());
			model.addAttribute("minLength", Credentials.MIN_LENGTH);
			model.addAttribute("error", ex.getMessage());
			return "sso/invitation";
		}
		return "redirect:/login?welcome";
	}

	private static Company company(HttpServletRequest request) {
		return CurrentCompany.of(request)
			.orElseThrow(() -> RequestRejectedException.notFound("This address names no company. The page"));
	}

}
