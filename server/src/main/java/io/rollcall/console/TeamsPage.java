package io.rollcall.console;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.rollcall.company.Company;
import io.rollcall.directory.People;
import io.rollcall.directory.Person;
import io.rollcall.directory.Team;
import io.rollcall.directory.TeamChanges;
import io.rollcall.directory.Teams;
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

/** The team tree: create teams, arrange them under one another, name their managers, delete them. */
@Controller
@RequestMapping("/console/teams")
final class TeamsPage {

	private static final String TREE = "redirect:/console/teams";

	private final Teams teams;

	private final People people;

	TeamsPage(Teams teams, People people) {
		Assert.notNull(teams, "teams cannot be null");
		Assert.notNull(people, "people cannot be null");
		this.teams = teams;
		this.people = people;
	}

	@GetMapping
	String tree(Company company, Model model) {
		List<Team> teams = this.teams.list(company.id());
		List<UUID> managerIds = teams.stream().flatMap(t -> t.managerIds().stream()).distinct().toList();
		Map<UUID, Person> managers = this.people.load(company.id(), managerIds)
			.stream()
			.collect(Collectors.toMap(Person::id, Function.identity()));
		model.addAttribute("company", company);
		model.addAttribute("teams", teams);
		model.addAttribute("roots", tree(teams, managers));
		return "console/teams";
	}

	@PostMapping
	String create(Company company, @RequestParam(defaultValue = "") String name,
			@RequestParam(required = false) UUID parentId, Actor actor, RedirectAttributes redirect) {
		try {
			Team team = this.teams.create(company.id(), name, parentId, actor);
			Flash.good(redirect, "Created the team " + team.name() + ".");
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
			redirect.addFlashAttribute("newTeamName", name);
		}
		return TREE;
	}

	@PostMapping("/{id}/parent")
	String parent(Company company, @PathVariable UUID id, @RequestParam(required = false) UUID parentId, Actor actor,
			RedirectAttributes redirect) {
		try {
			Team team = this.teams.update(company.id(), id, TeamChanges.parent(parentId), actor);
			Flash.good(redirect, parentId == null ? team.name() + " is now a top-level team."
					: "Moved " + team.name() + " under " + this.teams.get(company.id(), parentId).name() + ".");
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
		}
		return TREE;
	}

	/** {@code managers} is a comma-separated list of e-mails; empty removes every manager. */
	@PostMapping("/{id}/managers")
	String managers(Company company, @PathVariable UUID id, @RequestParam(defaultValue = "") String managers,
			Actor actor, RedirectAttributes redirect) {
		try {
			List<UUID> managerIds = new ArrayList<>();
			List<String> unknown = new ArrayList<>();
			for (String email : Arrays.stream(managers.split("[,;\\s]+")).filter(e -> !e.isBlank()).toList()) {
				this.people.findByEmail(company.id(), email)
					.ifPresentOrElse(person -> managerIds.add(person.id()), () -> unknown.add(email));
			}
			if (!unknown.isEmpty()) {
				throw RequestRejectedException.invalid("managers",
						"No one has the e-mail" + (unknown.size() == 1 ? " " : "s ") + String.join(", ", unknown)
								+ ". Enter e-mails of people in the directory, separated by commas.");
			}
			Team team = this.teams.update(company.id(), id, TeamChanges.managers(managerIds), actor);
			Flash.good(redirect, managerIds.isEmpty() ? team.name() + " has no managers now."
					: "Managers of " + team.name() + ": " + this.people.load(company.id(), team.managerIds())
						.stream()
						.map(Person::displayName)
						.collect(Collectors.joining(", ")) + ".");
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
		}
		return TREE;
	}

	@PostMapping("/{id}/delete")
	String delete(Company company, @PathVariable UUID id, Actor actor, RedirectAttributes redirect) {
		try {
			Team team = this.teams.get(company.id(), id);
			boolean hadChildren = this.teams.list(company.id()).stream().anyMatch(t -> id.equals(t.parentId()));
			this.teams.delete(company.id(), id, actor);
			// Say what else the deletion changed, so it surprises no one later.
			Flash.good(redirect, "Deleted the team " + team.name() + "."
					+ (team.memberCount() > 0 ? " Its members have no primary team now." : "")
					+ (hadChildren ? " The teams under it are top-level teams now." : ""));
		}
		catch (RequestRejectedException ex) {
			Flash.bad(redirect, ex.getMessage());
		}
		return TREE;
	}

	/** Roots first, each level alphabetical (the order {@link Teams#list} gives). */
	private static List<TeamNode> tree(List<Team> teams, Map<UUID, Person> managers) {
		Set<UUID> ids = teams.stream().map(Team::id).collect(Collectors.toSet());
		Map<UUID, List<Team>> children = new LinkedHashMap<>();
		List<Team> roots = new ArrayList<>();
		for (Team team : teams) {
			if (team.parentId() == null || !ids.contains(team.parentId())) {
				roots.add(team);
			}
			else {
				children.computeIfAbsent(team.parentId(), k -> new ArrayList<>()).add(team);
			}
		}
		Set<UUID> placed = new HashSet<>();
		return roots.stream().map(root -> node(root, children, managers, placed)).toList();
	}

	private static TeamNode node(Team team, Map<UUID, List<Team>> children, Map<UUID, Person> managers,
			Set<UUID> placed) {
		placed.add(team.id());
		List<TeamNode> below = children.getOrDefault(team.id(), List.of())
			.stream()
			.filter(child -> !placed.contains(child.id()))
			.map(child -> node(child, children, managers, placed))
			.toList();
		List<Person> teamManagers = team.managerIds().stream().map(managers::get).filter(Objects::nonNull).toList();
		return new TeamNode(team, teamManagers, below);
	}

}
