package io.rollcall.entra;

import java.util.Map;

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
 * The Entra ID integration in the REST API: set-up and preferences, the consent URL to open, and "Sync users". Run
 * history and plans are the engine's ({@code /api/v1/integrations/entra/sync-runs}, {@code /api/v1/sync-runs/{id}}).
 */
@Tag(name = "Entra ID")
@RestController
@RequestMapping("/api/v1/integrations/entra")
final class EntraApi {

	private final EntraIntegration integration;

	EntraApi(EntraIntegration integration) {
		this.integration = integration;
	}

	@GetMapping
	@Operation(operationId = "getEntraSetup", summary = "Read the Entra ID set-up",
			description = "The client secret is never shown; the tenant ID only masked, with its last four characters.")
	EntraSetup setup(Company company) {
		return this.integration.setup(company.id());
	}

	@PutMapping
	@Operation(operationId = "saveEntraSetup", summary = "Save the Entra ID set-up",
			description = "Tenant, security group and app registration; leave clientSecret out to keep the stored one, and "
			+ "tenantId out (or send it back masked, as read) to keep the stored tenant. Then "
			+ "authorise it (POST .../authorisation).")
	EntraSetup save(Company company, @RequestBody EntraSetup.Form form, Actor actor) {
		return this.integration.save(company.id(), form, actor);
	}

	/** The admin-consent URL for a Global Administrator to open; its answer comes back to the console. */
	@PostMapping("/authorisation")
	@Operation(operationId = "authoriseEntra", summary = "Ask for admin consent",
			description = "Answers consentUrl, for a Global Administrator to open; the answer comes back to the console, which "
			+ "then subscribes to change notifications.")
	Map<String, String> authorise(Company company) {
		return Map.of("consentUrl", this.integration.consentUrl(company).toString());
	}

	@io.swagger.v3.oas.annotations.media.Schema(name = "EntraRunRequest")
	record RunRequest(Boolean dryRun) {
	}

	/** "Sync users": a full run; {@code {"dryRun": true}} only plans it. */
	@PostMapping("/sync-runs")
	@ResponseStatus(HttpStatus.ACCEPTED)
	@Operation(operationId = "syncEntra", summary = "Sync users from Entra ID",
			description = "A full run of the group's members (nested groups included), after which every photo is checked again; "
			+ "{\"dryRun\": true} only plans it.")
	SyncRun sync(Company company, @RequestBody(required = false) RunRequest request, Actor actor) {
		return this.integration.sync(company.id(), request != null && Boolean.TRUE.equals(request.dryRun()), actor);
	}

}
