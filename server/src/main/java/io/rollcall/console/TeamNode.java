package io.rollcall.console;

import java.util.List;
import java.util.stream.Collectors;

import io.rollcall.directory.Person;
import io.rollcall.directory.Team;

/** A team in the tree, with the people who manage it and the teams under it. */
record TeamNode(Team team, List<Person> managers, List<TeamNode> children) {

	public String managerNames() {
		return this.managers.stream().map(Person::displayName).collect(Collectors.joining(", "));
	}

	// Public, as templates call only public methods. E-mails, not names, as names need not be unique.
	public String managerEmails() {
		return this.managers.stream().map(Person::email).collect(Collectors.joining(", "));
	}

}
