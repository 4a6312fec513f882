package io.rollcall.entra;

import java.util.Map;

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
 * The Entra ID integration in the REST API: set-up and preferences, the consent URL to open, and "Sync users". Run
 * history and plans are the engine's ({@code /api/v1/integrations/entra/sync-runs}, {@code /api/v1/sync-runs/{id}}).
 */
@RestController
@RequestMapping("/api/v1/integrations/entra")
final class EntraApi {

	private final EntraIntegration integration;

	EntraApi(EntraIntegration integration) {
		this.integration = integration;
	}

	@GetMapping
	EntraSetup setup(Company company) {
		return this.integration.setup(company.id());
	}

	@PutMapping
	EntraSetup save(Company company, @RequestBody EntraSetup.Form form, Actor actor) {
		return this.integration.save(company.id(), form, actor);
	}

	/** The admin-consent URL for a Global Administrator to open; its answer comes back to the console. */
	@PostMapping("/authorisation")
	Map<String, String> authorise(Company company) {
		return Map.of("consentUrl", this.integration.consentUrl(company).toString());
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
