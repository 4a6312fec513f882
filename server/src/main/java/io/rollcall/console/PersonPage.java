package io.rollcall.console;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

import io.rollcall.company.Companies;
import io.rollcall.company.Company;
import io.rollcall.directory.Invitations;
import io.rollcall.directory.People;
import io.rollcall.directory.Person;
import io.rollcall.directory.PersonChanges;
import io.rollcall.directory.PersonField;
import io.rollcall.directory.Role;
import io.rollcall.directory.Team;
import io.rollcall.directory.Teams;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** One person: their whole profile, teams, manager and history, and the form to edit what an admin may edit. */
@Controller
@RequestMapping("/console/people/{id}")
final class PersonPage {

	private static final int HISTORY_SIZE = 50;

	private final People people;

	private final Teams teams;

	private final Invitations invitations;

	private final PersonHistory history;

	PersonPage(People people, Teams teams, Invitations invitations, PersonHistory history) {
		Assert.notNull(people, "people cannot be null");
		Assert.notNull(teams, "teams cannot be null");
		Assert.notNull(invitations, "invitations cannot be null");
		Assert.notNull(history, "history cannot be null");
		this.people = people;
		this.teams = teams;
		this.invitations = invitations;
		this.history = history;
	}

	@GetMapping
	String show(Company company, @PathVariable UUID id, @RequestParam(required = false) Long before, Model model) {
		Person person = this.people.get(company.id(), id);
		model.addAttribute("form", PersonForm.of(person, overrideManagerEmail(company, person)));
		describe(company, person, before, model);
		return "console/person";
	}

	@PostMapping
	String save(Company company, @PathVariable UUID id, @ModelAttribute("form") PersonForm form, Actor actor,
			Model model, RedirectAttributes redirect) {
		Person before = this.people.get(company.id(), id);
		try {
			PersonChanges changes = changes(company, before, form);
			if (changes == null) {
				Flash.good(redirect, "Nothing to save: no field was changed.");
			}
			else {
				Person after = this.people.update(company.id(), id, changes, actor);
				// People.update leaves updatedAt alone when every value turns out equal once normalised.
				Flash.good(redirect, Objects.equals(after.updatedAt(), before.updatedAt())
						? "Nothing to save: no field was changed."
						: "Saved the changes to " + after.displayName() + ".");
			}
			return "redirect:/console/people/" + id;
		}
		catch (RequestRejectedException ex) {
			Flash.bad(model, ex.getMessage());
			model.addAttribute("fieldInError", ex.field());
			describe(company, before, null, model);
			return "console/person";
		}
	}

	/** Only what differs from the person as they are, so an unchanged field is never written; null when none differs. */
	private PersonChanges changes(Company company, Person person, PersonForm form) {
		PersonForm current = PersonForm.of(person, overrideManagerEmail(company, person));
		PersonChanges changes = new PersonChanges();
		boolean changed = false;
		Map<PersonField, String> was = current.fields();
		for (Map.Entry<PersonField, String> field : form.fields().entrySet()) {
			String value = PersonForm.valueOf(field.getValue());
			if (!Objects.equals(value, PersonForm.valueOf(was.get(field.getKey())))) {
				changes.set(field.getKey(), value);
				changed = true;
			}
		}
		String managerEmail = PersonForm.valueOf(form.overrideManagerEmail());
		String currentManagerEmail = current.overrideManagerEmail();
		if (managerEmail == null ? currentManagerEmail != null : !managerEmail.equalsIgnoreCase(currentManagerEmail)) {
			String managerId = (managerEmail == null) ? null
					: this.people.findByEmail(company.id(), managerEmail)
						.map(manager -> manager.id().toString())
						.orElseThrow(() -> RequestRejectedException.invalid("overrideManagerId",
								"No one has the e-mail "
										+ managerEmail
										+ ". Enter the e-mail of a person in the directory, or leave the manager"
										+ " empty to use the primary team's manager."));
			changes.set(PersonField.OVERRIDE_MANAGER, managerId);
			changed = true;
		}
		// The owner's role is not the console's to change; its field is shown read-only and ignored.
		String roleInput = PersonForm.valueOf(form.role());
		if (person.role() != Role.OWNER && roleInput != null) {
			Role role = switch (roleInput) {
				case "admin" -> Role.ADMIN;
				case "learner" -> Role.LEARNER;
				default -> throw RequestRejectedException.invalid("role", "The role must be admin or learner");
			};
			if (role != person.role()) {
				changes.role(role);
				changed = true;
			}
		}
		return changed ? changes : null;
	}

	private String overrideManagerEmail(Company company, Person person) {
		if (person.overrideManagerId() == null) {
			return null;
		}
		return this.people.find(company.id(), person.overrideManagerId()).map(Person::email).orElse(null);
	}

	private void describe(Company company, Person person, Long before, Model model) {
		List<Team> teams = this.teams.list(company.id());
		Map<UUID, String> teamNames = teams.stream().collect(Collectors.toMap(Team::id, Team::name));
		model.addAttribute("company", company);
		model.addAttribute("person", person);
		model.addAttribute("teams", teams);
		model.addAttribute("timeZones", Companies.timeZones());
		model.addAttribute("primaryTeam",
				person.primaryTeamId() == null ? null : teamNames.get(person.primaryTeamId()));
		model.addAttribute("secondaryTeams",
				person.secondaryTeamIds().stream().map(teamNames::get).filter(Objects::nonNull).sorted().toList());
		model.addAttribute("manager",
				person.managerId() == null ? null : this.people.find(company.id(), person.managerId()).orElse(null));
		model.addAttribute("invitation", this.invitations.latest(company.id(), person.id()).orElse(null));
		model.addAttribute("history", this.history.of(company.id(), person.id(), before, HISTORY_SIZE));
		model.addAttribute("here", "/console/people/" + person.id());
	}

}
