package io.rollcall.company;

import java.util.List;
import java.util.UUID;

import io.rollcall.platform.Actor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

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

/** The company's own settings and API keys, on the company's host. */
@Tag(name = "Company")
@RestController
@RequestMapping("/api/v1")
class CompanyApi {

	private final Companies companies;

	private final ApiKeys apiKeys;

	CompanyApi(Companies companies, ApiKeys apiKeys) {
		this.companies = companies;
		this.apiKeys = apiKeys;
	}

	@GetMapping("/company")
	@Operation(operationId = "getCompany", summary = "Read the company",
			description = "The company the address names, with its settings.")
	Company company(Company company) {
		return company;
	}

	@PatchMapping("/company")
	@Operation(operationId = "updateCompany", summary = "Change the company's settings",
			description = "Name, default time zone and language, and the safety hold: a sync that would deactivate more than "
					+ "deactivationHoldPercent of the active people (and at least deactivationHoldMinimum) waits for "
					+ "approval.")
	Company update(Company company, @RequestBody CompanySettings settings, Actor actor) {
		return this.companies.update(company.id(), settings, actor);
	}

	@GetMapping("/api-keys")
	@Operation(operationId = "listApiKeys", summary = "List API keys",
			description = "Names, prefixes and last use; never the secrets.")
	List<ApiKey> apiKeys(Company company) {
		return this.apiKeys.list(company.id());
	}

	record ApiKeyRequest(String name) {
	}

	@PostMapping("/api-keys")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(operationId = "createApiKey", summary = "Make an API key",
			description = "The answer's secret is shown this once; Rollcall keeps only its hash.")
	NewApiKey createApiKey(Company company, @RequestBody ApiKeyRequest request, Actor actor) {
		return this.apiKeys.create(company.id(), request.name(), actor);
	}

	@DeleteMapping("/api-keys/{id}")
	@Operation(operationId = "revokeApiKey", summary = "Revoke an API key",
			description = "It stops working at once.")
	ApiKey revokeApiKey(Company company, @PathVariable UUID id, Actor actor) {
		return this.apiKeys.revoke(company.id(), id, actor);
	}

}
