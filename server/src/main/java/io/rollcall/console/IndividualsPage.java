package io.rollcall.console;

import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import io.rollcall.company.Company;
import io.rollcall.directory.Invitations;
import io.rollcall.directory.Page;
import io.rollcall.directory.People;
import io.rollcall.directory.Person;
import io.rollcall.directory.PersonChanges;
import io.rollcall.directory.PersonField;
import io.rollcall.directory.PersonQuery;
import io.rollcall.directory.PersonStatus;
import io.rollcall.directory.SentInvitation;
import io.rollcall.directory.Team;
import io.rollcall.directory.Teams;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import jakarta.servlet.http.HttpServletRequest;

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
 * The list of individuals: search, filter, page through, add people and act on them row by row. The actions
 * also serve the person page, which sends {@code from} to come back to itself.
 */
@Controller
@RequestMapping("/console")
final class IndividualsPage {

	private static final int PAGE_SIZE = 50;

	private static final String LIST = "/console/people";

	private final People people;

	private final Teams teams;

	private final Invitations invitations;

	IndividualsPage(People people, Teams teams, Invitations invitations) {
		Assert.notNull(people, "people cannot be null");
		Assert.notNull(teams, "teams cannot be null");
		Assert.notNull(invitations, "invitations cannot be null");
		this.people = people;
		this.teams = teams;
		this.invitations = invitations;
	}

	@GetMapping({ "", "/" })
	String console() {
		return "redirect:" + LIST;
	}

	/**
	 * What was typed into the add-person form, to fill it again when it was refused; a flash attribute, so kept in the
	 * session, which holds only what serializes.
	 */
	record NewPerson(String email, String firstName, String lastName, boolean invite) implements java.io.Serializable {

		static final NewPerson EMPTY = new NewPerson("", "", "", false);

	}

	@GetMapping("/people")
	String list(Company company, @RequestParam(defaultValue = "") String q,
			@RequestParam(defaultValue = "all") String status, @RequestParam(required = false) String cursor,
			HttpServletRequest request, Model model) {
		PersonStatus wanted = switch (status) {
			case "active" -> PersonStatus.ACTIVE;
			case "deactivated" -> PersonStatus.DEACTIVATED;
			default -> null;
		};
		String text = q.isBlank() ? null : q.strip();
		String from = (cursor == null || cursor.isBlank()) ? null : cursor;
		Page<Person> page = this.people.list(company.id(), new PersonQuery(wanted, null, text, from, PAGE_SIZE));
		Map<UUID, String> teamNames = this.teams.list(company.id())
			.stream()
			.collect(Collectors.toMap(Team::id, Team::name));
		model.addAttribute("company", company);
		model.addAttribute("q", q);
		model.addAttribute("status", wanted == null ? "all" : wanted.column());
		model.addAttribute("cursor", from);
		model.addAttribute("page", page);
		model.addAttribute("teamNames", teamNames);
		model.addAttribute("here", Flash.here(request));
		if (!model.containsAttribute("newPerson")) {
			model.addAttribute("newPerson", NewPerson.EMPTY);
		}
		return "console/people";
	}

	@PostMapping("/people")
	String add(Company company, Actor actor, @RequestParam(defaultValue = "") String email,
			@RequestParam(defaultValue = "") String firstName, @RequestParam(defaultValue = "") String lastName,
			@RequestParam(defaultValue = "false") boolean invite, RedirectAttributes redirect) {
		Person person;
		try {
			person = this.people.create(company.id(), new PersonChanges().set(PersonField.EMAIL, email)
				.set(PersonField.FIRST_NAME, firstName)
				.set(PersonField.LAST_NAME, lastName), actor);
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
			redirect.addFlashAttribute("newPerson", new NewPerson(email, firstName, lastName, invite));
			return "redirect:" + LIST;
		}
		String added = "Added " + person.displayName()
				+ (person.displayName().equals(person.email()) ? "" : " (" + person.email() + ")") + ".";
		if (invite) {
			sendInvitation(company, person, actor, added + " ", redirect);
		}
		else {
			Flash.good(redirect, added);
		}
		return "redirect:" + LIST;
	}

	@PostMapping("/people/{id}/invitation")
	String invite(Company company, @PathVariable UUID id, @RequestParam(required = false) String from, Actor actor,
			RedirectAttributes redirect) {
		try {
			sendInvitation(company, this.people.get(company.id(), id), actor, "", redirect);
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
		}
		return Flash.redirectBack(from, LIST);
	}

	@PostMapping("/people/{id}/deactivate")
	String deactivate(Company company, @PathVariable UUID id, @RequestParam(required = false) String from,
			Actor actor, RedirectAttributes redirect) {
		try {
			Person person = this.people.deactivate(company.id(), id, actor);
			Flash.good(redirect, person.email() + " is deactivated and can no longer sign in.");
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
		}
		return Flash.redirectBack(from, LIST);
	}

	@PostMapping("/people/{id}/reactivate")
	String reactivate(Company company, @PathVariable UUID id, @RequestParam(required = false) String from,
			Actor actor, RedirectAttributes redirect) {
		try {
			Person person = this.people.reactivate(company.id(), id, actor);
			Flash.good(redirect, person.email() + " is active again.");
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
		}
		return Flash.redirectBack(from, LIST);
	}

	// The invitation is kept even when the e-mail fails, so the admin must hear why and that resending is the fix.
	private void sendInvitation(Company company, Person person, Actor actor, String prefix,
			RedirectAttributes redirect) {
		SentInvitation sent = this.invitations.send(company.id(), person.id(), actor);
		String error = sent.invitation().deliveryError();
		if (error == null) {
			Flash.good(redirect, prefix + "Invitation sent to " + person.email() + ".");
		}
		else {
			Flash.bad(redirect, prefix + "The invitation e-mail to " + person.email() + " could not be sent: "
					+ stripPeriod(error) + ". Check the mail server, then resend the invitation.");
		}
	}

	private static String stripPeriod(String text) {
		return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
	}

}
