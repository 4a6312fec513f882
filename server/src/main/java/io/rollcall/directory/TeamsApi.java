package io.rollcall.directory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.rollcall.company.Company;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import io.swagger.v3.oas.annotations.Operation;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@io.swagger.v3.oas.annotations.tags.Tag(name = "Teams")
@RestController
@RequestMapping("/api/v1/teams")
class TeamsApi {

	private final Teams teams;

	TeamsApi(Teams teams) {
		this.teams = teams;
	}

	@GetMapping
	@Operation(operationId = "listTeams", summary = "List teams",
			description = "Every team of the company with its parent, managers and member count.")
	List<Team> list(Company company) {
		return this.teams.list(company.id());
	}

	@GetMapping("/{id}")
	@Operation(operationId = "getTeam", summary = "Read a team")
	Team get(Company company, @PathVariable UUID id) {
		return this.teams.get(company.id(), id);
	}

	record NewTeam(String name, UUID parentId) {
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(operationId = "createTeam", summary = "Add a team",
			description = "A team name is unique in the company; parentId (optional) places it under another team.")
	Team create(Company company, @RequestBody NewTeam request, Actor actor) {
		return this.teams.create(company.id(), request.name(), request.parentId(), actor);
	}

	/** {@code name}, {@code parentId} (null makes it a top-level team) and {@code managerIds}, each optional. */
	@PatchMapping("/{id}")
	@Operation(operationId = "updateTeam", summary = "Change a team",
			description = "Any of name, parentId (null makes it a top-level team) and managerIds (the whole list of managers, "
					+ "person ids). A parent that would make a loop is refused.")
	Team update(Company company, @PathVariable UUID id, @RequestBody Map<String, Object> body, Actor actor) {
		for (String key : body.keySet()) {
			if (!List.of("name", "parentId", "managerIds").contains(key)) {
				throw RequestRejectedException.invalid(key,
						"Unknown field '" + key + "'. Known fields: [name, parentId, managerIds]");
			}
		}
		String name = null;
		if (body.containsKey("name")) {
			if (!(body.get("name") instanceof String s)) {
				throw RequestRejectedException.invalid("name", "'name' must be text");
			}
			name = s;
		}
		UUID parentId = body.get("parentId") == null ? null : id("parentId", body.get("parentId"));
		List<UUID> managerIds = null;
		if (body.containsKey("managerIds")) {
			if (!(body.get("managerIds") instanceof List<?> list)) {
				throw RequestRejectedException.invalid("managerIds", "'managerIds' must be a list of person ids");
			}
			managerIds = new ArrayList<>();
			for (Object value : list) {
				managerIds.add(id("managerIds", value));
			}
		}
		return this.teams.update(company.id(), id, new TeamChanges(name, body.containsKey("parentId"), parentId,
				managerIds), actor);
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(operationId = "deleteTeam", summary = "Delete a team",
			description = "Its members lose it as their primary or secondary team; child teams move to the top level.")
	void delete(Company company, @PathVariable UUID id, Actor actor) {
		this.teams.delete(company.id(), id, actor);
	}

	private static UUID id(String field, Object value) {
		try {
			return UUID.fromString(String.valueOf(value));
		}
		catch (IllegalArgumentException ex) {
			throw RequestRejectedException.invalid(field, "'" + value + "' is not an id");
		}
	}

}
