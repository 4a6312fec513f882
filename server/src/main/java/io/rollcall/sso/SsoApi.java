package io.rollcall.sso;

import io.rollcall.company.Company;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;

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
@RestController
@RequestMapping("/api/v1/integrations/sso")
final class SsoApi {

	private final SingleSignOn singleSignOn;

	SsoApi(SingleSignOn singleSignOn) {
		Assert.notNull(singleSignOn, "singleSignOn cannot be null");
		this.singleSignOn = singleSignOn;
	}

	@GetMapping
	SsoSettings show(Company company) {
		return this.singleSignOn.find(company.id())
			.orElseThrow(() -> RequestRejectedException.notFound("Single sign-on of this company (none is set up)"));
	}

	@PutMapping
	SsoSettings save(Company company, @RequestBody SsoSettingsChange change, Actor actor) {
		return this.singleSignOn.save(company.id(), change, actor);
	}

	@DeleteMapping
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void remove(Company company, Actor actor) {
		this.singleSignOn.remove(company.id(), actor);
	}

}
