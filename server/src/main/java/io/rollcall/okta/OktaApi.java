package io.rollcall.okta;

import io.rollcall.company.Company;
import io.rollcall.platform.Actor;
import io.rollcall.sync.SyncRun;

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
@RestController
@RequestMapping("/api/v1/integrations/okta")
final class OktaApi {

	private final OktaIntegration integration;

	OktaApi(OktaIntegration integration) {
		this.integration = integration;
	}

	@GetMapping
	OktaSetup setup(Company company) {
		return this.integration.setup(company.id());
	}

	/** Saves the set-up; the first save answers the event-hook secret once ({@code eventHookSecret}). */
	@PutMapping
	OktaSetup save(Company company, @RequestBody OktaSetup.Form form, Actor actor) {
		return this.integration.save(company.id(), form, actor);
	}

	/** A new event-hook secret, answered once; the old one stops working. */
	@PostMapping("/hook-secret")
	OktaSetup rotate(Company company, Actor actor) {
		return this.integration.rotateHookSecret(company.id(), actor);
	}

	record RunRequest(Boolean dryRun) {
	}

	/** "Sync users": a full run; {@code {"dryRun": true}} only plans it. */
	@PostMapping("/sync-runs")
	@ResponseStatus(HttpStatus.ACCEPTED)
	SyncRun sync(Company company, @RequestBody(required = false) RunRequest request, Actor actor) {
		return this.integration.sync(company.id(), request != null && Boolean.TRUE.equals(request.dryRun()), actor);
	}

}
