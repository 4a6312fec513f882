package io.rollcall.operator;

import io.rollcall.company.Company;
import io.rollcall.company.NewApiKey;
import io.rollcall.directory.Invitation;
import io.rollcall.directory.Person;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** On the bare base domain, with {@code Authorization: Bearer $ROLLCALL_OPERATOR_TOKEN}. */
@Tag(name = "Operator")
@RestController
@RequestMapping("/api/v1/companies")
class OperatorApi {

	private final CompanyOnboarding onboarding;

	OperatorApi(CompanyOnboarding onboarding) {
		this.onboarding = onboarding;
	}

	record NewCompany(String slug, String name, String ownerEmail) {
	}

	/**
	 * @param apiKey the first API key; its secret is shown this once
	 * @param ownerInvitationUrl the owner's one-time link, for when no mail server is set up yet
	 */
	record CreatedCompany(Company company, NewApiKey apiKey, Person owner, Invitation ownerInvitation,
			String ownerInvitationUrl) {
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(operationId = "createCompany", summary = "Create a company",
			description = "On the bare base domain with the operator token. Makes the company at {slug}.{base-domain}, its "
					+ "owner and its first API key (the secret is shown this once), and e-mails the owner an invitation "
					+ "when a mail server is set; ownerInvitationUrl is the same one-time link.")
	CreatedCompany create(@RequestBody NewCompany request) {
		var onboarded = this.onboarding.onboard(request.slug(), request.name(), request.ownerEmail());
		return new CreatedCompany(onboarded.company(), onboarded.apiKey(), onboarded.owner(),
				onboarded.invitation().invitation(), onboarded.invitation().link());
	}

}
