package io.rollcall.directory;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rollcall.company.Company;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@io.swagger.v3.oas.annotations.tags.Tag(name = "People")
@RestController
@RequestMapping("/api/v1/people")
class PeopleApi {

	private final People people;

	private final Invitations invitations;

	PeopleApi(People people, Invitations invitations) {
		this.people = people;
		this.invitations = invitations;
	}

	/** People ordered by last then first name; follow {@code nextCursor} for the next page. */
	@GetMapping
	@Operation(operationId = "listPeople", summary = "List people",
			description = "People ordered by last name, then first name, a page at a time (see Paging). status narrows to "
					+ "active or deactivated people, team to the members of one team (primary or secondary), q to people "
					+ "whose name, e-mail or job title contains it.")
	Page<Person> list(Company company, @RequestParam(required = false) String status,
			@RequestParam(required = false) UUID team, @RequestParam(required = false) String q,
			@RequestParam(required = false) String cursor, @RequestParam(defaultValue = "50") int limit) {
		if (limit < 1 || limit > 200) {
			throw RequestRejectedException.invalid("limit", "'limit' must be between 1 and 200");
		}
		PersonStatus personStatus = null;
		if (status != null && !status.isBlank()) {
			try {
				personStatus = PersonStatus.of(status);
			}
			catch (IllegalArgumentException ex) {
				throw RequestRejectedException.invalid("status", "'status' must be active or deactivated");
			}
		}
		return this.people.list(company.id(), new PersonQuery(personStatus, team, q, cursor, limit));
	}

	@GetMapping("/{id}")
	@Operation(operationId = "getPerson", summary = "Read a person")
	Person get(Company company, @PathVariable UUID id) {
		return this.people.get(company.id(), id);
	}

	/** Adds a person by hand; {@code "invite": true} also sends the invitation. */
	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(operationId = "createPerson", summary = "Add a person",
			description = "Adds a person by hand with the given fields (email is required and unique in the company). With "
					+ "\"invite\": true the invitation e-mail is sent at once and the answer shows the person as invited. The "
					+ "change is audited with the API key as its author.")
	@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
			schema = @Schema(ref = "#/components/schemas/PersonFields")))
	Person create(Company company, @RequestBody Map<String, Object> body, Actor actor) {
		Map<String, Object> fields = new java.util.LinkedHashMap<>(body);
		Object invite = fields.remove("invite");
		if (invite != null && !(invite instanceof Boolean)) {
			throw RequestRejectedException.invalid("invite", "'invite' must be true or false");
		}
		Person person = this.people.create(company.id(), PersonChanges.fromJson(fields), actor);
		if (Boolean.TRUE.equals(invite)) {
			this.invitations.send(company.id(), person.id(), actor);
			return this.people.get(company.id(), person.id());
		}
		return person;
	}

	/** Changes the given fields (null clears one); fields not given stay as they are. */
	@PatchMapping("/{id}")
	@Operation(operationId = "updatePerson", summary = "Change a person",
			description = "Changes the given fields only; null clears one, fields not sent stay as they are. A field a source "
					+ "keeps in step (Entra ID, Okta, SCIM) may be overwritten by its next sync.")
	@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
			schema = @Schema(ref = "#/components/schemas/PersonFields")))
	Person update(Company company, @PathVariable UUID id, @RequestBody Map<String, Object> body, Actor actor) {
		return this.people.update(company.id(), id, PersonChanges.fromJson(body), actor);
	}

	@PostMapping("/{id}/deactivate")
	@Operation(operationId = "deactivatePerson", summary = "Deactivate a person",
			description = "The person can no longer sign in; they stay in the directory, with their history, and can be "
					+ "reactivated. The company owner cannot be deactivated.")
	Person deactivate(Company company, @PathVariable UUID id, Actor actor) {
		return this.people.deactivate(company.id(), id, actor);
	}

	@PostMapping("/{id}/reactivate")
	@Operation(operationId = "reactivatePerson", summary = "Reactivate a person")
	Person reactivate(Company company, @PathVariable UUID id, Actor actor) {
		return this.people.reactivate(company.id(), id, actor);
	}

	@GetMapping("/{id}/invitation")
	@Operation(operationId = "getInvitation", summary = "Read a person's latest invitation",
			description = "404 when the person was never invited.")
	ResponseEntity<Invitation> invitation(Company company, @PathVariable UUID id) {
		this.people.get(company.id(), id);
		return ResponseEntity.of(this.invitations.latest(company.id(), id));
	}

	/** Sends the invitation, or sends it again with a new link (the old link stops working). */
	@PostMapping("/{id}/invitation")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(operationId = "invitePerson", summary = "Invite a person, or invite again",
			description = "Sends the invitation e-mail with a one-time link to choose a password; sending again makes a new "
					+ "link and the old one stops working.")
	Invitation invite(Company company, @PathVariable UUID id, Actor actor) {
		return this.invitations.send(company.id(), id, actor).invitation();
	}

}
