package io.rollcall.company;

import java.util.List;
import java.util.UUID;

import io.rollcall.platform.Actor;

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
	Company company(Company company) {
		return company;
	}

	@PatchMapping("/company")
	Company update(Company company, @RequestBody CompanySettings settings, Actor actor) {
		return this.companies.update(company.id(), settings, actor);
	}

	@GetMapping("/api-keys")
	List<ApiKey> apiKeys(Company company) {
		return this.apiKeys.list(company.id());
	}

	record ApiKeyRequest(String name) {
	}

	@PostMapping("/api-keys")
	@ResponseStatus(HttpStatus.CREATED)
	NewApiKey createApiKey(Company company, @RequestBody ApiKeyRequest request, Actor actor) {
		return this.apiKeys.create(company.id(), request.name(), actor);
	}

	@DeleteMapping("/api-keys/{id}")
	ApiKey revokeApiKey(Company company, @PathVariable UUID id, Actor actor) {
		return this.apiKeys.revoke(company.id(), id, actor);
	}

}
