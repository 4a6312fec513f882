package io.rollcall.okta;

import io.rollcall.company.Company;
import io.rollcall.platform.Actor;
import io.rollcall.sync.SyncRun;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Okta integration in the REST API: set-up and preferences, a new event-hook secret, and "Sync users". Run
 * history and plans are the engine's ({@code /api/v1/integrations/okta/sync-runs}, {@code /api/v1/sync-runs/{id}}).
 */
@Tag(name = "Okta")
@RestController
@RequestMapping("/api/v1/integrations/okta")
final class OktaApi {

	private final OktaIntegration integration;

	OktaApi(OktaIntegration integration) {
		this.integration = integration;
	}

	@GetMapping
	@Operation(operationId = "getOktaSetup", summary = "Read the Okta set-up",
			description = "Secrets are never shown.")
	OktaSetup setup(Company company) {
		return this.integration.setup(company.id());
	}

	/** Saves the set-up; the first save answers the event-hook secret once ({@code eventHookSecret}). */
	@PutMapping
	@Operation(operationId = "saveOktaSetup", summary = "Save the Okta set-up",
			description = "The org address, an API token or a service app's client credentials, and the app whose assigned "
			+ "users are synced. The first save answers eventHookSecret once: Okta sends it as the Authorization "
			+ "header of its event hook.")
	OktaSetup save(Company company, @RequestBody OktaSetup.Form form, Actor actor) {
		return this.integration.save(company.id(), form, actor);
	}

	/** A new event-hook secret, answered once; the old one stops working. */
	@PostMapping("/hook-secret")
	@Operation(operationId = "rotateOktaHookSecret", summary = "Make a new event-hook secret",
			description = "Answered once; the old one stops working.")
	OktaSetup rotate(Company company, Actor actor) {
		return this.integration.rotateHookSecret(company.id(), actor);
	}

	@io.swagger.v3.oas.annotations.media.Schema(name = "OktaRunRequest")
	record RunRequest(Boolean dryRun) {
	}

	/** "Sync users": a full run; {@code {"dryRun": true}} only plans it. */
	@PostMapping("/sync-runs")
	@ResponseStatus(HttpStatus.ACCEPTED)
	@Operation(operationId = "syncOkta", summary = "Sync users from Okta",
			description = "A full run of the app's assigned users; {\"dryRun\": true} only plans it.")
	SyncRun sync(Company company, @RequestBody(required = false) RunRequest request, Actor actor) {
		return this.integration.sync(company.id(), request != null && Boolean.TRUE.equals(request.dryRun()), actor);
	}

}
