package io.rollcall.sso;

import io.rollcall.company.Company;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/integrations/sso}: the company's single sign-on. {@code PUT} sets it up or changes it (fields left
 * out keep their value; {@code clientSecret} is write-only), {@code DELETE} turns it off.
 */
@Tag(name = "Single sign-on")
@RestController
@RequestMapping("/api/v1/integrations/sso")
final class SsoApi {

	private final SingleSignOn singleSignOn;

	SsoApi(SingleSignOn singleSignOn) {
		Assert.notNull(singleSignOn, "singleSignOn cannot be null");
		this.singleSignOn = singleSignOn;
	}

	@GetMapping
	@Operation(operationId = "getSso", summary = "Read the single sign-on set-up",
			description = "404 when none is set up. The client secret is never shown; the tenant ID only masked, with its last "
					+ "four characters.")
	SsoSettings show(Company company) {
		return this.singleSignOn.find(company.id())
			.map(SsoSettings::shown)
			.orElseThrow(() -> RequestRejectedException.notFound("Single sign-on of this company (none is set up)"));
	}

	@PutMapping
	@Operation(operationId = "saveSso", summary = "Set up single sign-on",
			description = "provider is entra, okta or oidc; Rollcall reads the provider's discovery document. Leave "
					+ "clientSecret out to keep the stored one, \"\" for a public client; leave tenantId out (or send it back "
					+ "masked, as read) to keep the stored tenant.")
	SsoSettings save(Company company, @RequestBody SsoSettingsChange change, Actor actor) {
		return this.singleSignOn.save(company.id(), change, actor).shown();
	}

	@DeleteMapping
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(operationId = "removeSso", summary = "Remove single sign-on",
			description = "People sign in with their password again.")
	void remove(Company company, Actor actor) {
		this.singleSignOn.remove(company.id(), actor);
	}

}
