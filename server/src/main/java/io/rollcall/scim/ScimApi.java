package io.rollcall.scim;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.rollcall.company.Company;
import io.rollcall.platform.Actor;
import io.rollcall.sync.InvitationPolicy;
import io.rollcall.sync.SourceSettings;
import io.rollcall.sync.SourceSettingsStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The SCIM server's set-up through the REST API, as the console's SCIM page does it. */
@Tag(name = "SCIM administration")
@RestController
@RequestMapping("/api/v1/integrations/scim")
class ScimApi {

	private final ScimAdministration administration;

	private final SourceSettingsStore sourceSettings;

	ScimApi(ScimAdministration administration, SourceSettingsStore sourceSettings) {
		this.administration = administration;
		this.sourceSettings = sourceSettings;
	}

	/**
	 * @param invitationPolicy how people SCIM creates are invited ({@code immediately} or {@code never})
	 * @param assignManagers whether the enterprise manager becomes the person's override manager
	 */
	record Settings(Boolean enabled, String deleteMode, String tenantUrl, String invitationPolicy,
			Boolean assignManagers) {
	}

	@GetMapping
	@Operation(operationId = "getScimSettings", summary = "Read the SCIM settings",
			description = "tenantUrl is what to paste into the identity provider.")
	Settings settings(Company company) {
		return settings(company, this.administration.setup(company));
	}

	@PutMapping
	@Operation(operationId = "saveScimSettings", summary = "Turn SCIM on or off, and its settings",
			description = "deleteMode says what a SCIM DELETE of a user does: deactivate (the default; nothing is lost) "
					+ "or delete; invitationPolicy and assignManagers as for every source.")
	Settings save(Company company, @RequestBody Settings body, Actor actor) {
		ScimAdministration.Setup setup = this.administration.save(company, body.enabled(),
				body.deleteMode() == null ? null : DeleteMode.of(body.deleteMode()), actor);
		if (body.invitationPolicy() != null || body.assignManagers() != null) {
			SourceSettings current = this.sourceSettings.get(company.id(), ScimUsers.SOURCE);
			this.sourceSettings.save(company.id(), ScimUsers.SOURCE, new SourceSettings(
					body.invitationPolicy() == null ? current.invitationPolicy()
							: InvitationPolicy.of(body.invitationPolicy()),
					body.assignManagers() == null ? current.assignManagers() : body.assignManagers(), false), actor);
		}
		return settings(company, setup);
	}

	private Settings settings(Company company, ScimAdministration.Setup setup) {
		SourceSettings source = this.sourceSettings.get(company.id(), ScimUsers.SOURCE);
		return new Settings(setup.enabled(), setup.deleteMode().value(), setup.tenantUrl(),
				source.invitationPolicy().value(), source.assignManagers());
	}

	@GetMapping("/tokens")
	@Operation(operationId = "listScimTokens", summary = "List SCIM secret tokens",
			description = "Never the secrets.")
	List<ScimAdministration.Token> tokens(Company company) {
		return this.administration.tokens(company.id());
	}

	record TokenRequest(String name) {
	}

	/** The answer's {@code secret} is shown this once. */
	@PostMapping("/tokens")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(operationId = "createScimToken", summary = "Make a SCIM secret token",
			description = "The answer's secret (rcs_...) is shown this once: paste it into the identity provider as the Secret "
					+ "Token.")
	ScimAdministration.NewToken createToken(Company company, @RequestBody(required = false) TokenRequest body,
			Actor actor) {
		return this.administration.createToken(company.id(), body == null ? null : body.name(), actor);
	}

	record Rotation(Integer overlapHours) {
	}

	/** A new token; the old one keeps working for {@code overlapHours} (default 24), then stops. */
	@PostMapping("/tokens/{id}/rotation")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(operationId = "rotateScimToken", summary = "Rotate a SCIM secret token",
			description = "A new token; the old one keeps working for overlapHours (default 24), then stops.")
	ScimAdministration.NewToken rotate(Company company, @PathVariable UUID id,
			@RequestBody(required = false) Rotation body, Actor actor) {
		int hours = body == null || body.overlapHours() == null ? 24 : body.overlapHours();
		return this.administration.rotateToken(company.id(), id, Duration.ofHours(hours), actor);
	}

	@DeleteMapping("/tokens/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(operationId = "revokeScimToken", summary = "Revoke a SCIM secret token",
			description = "It stops working at once.")
	void revoke(Company company, @PathVariable UUID id, Actor actor) {
		this.administration.revokeToken(company.id(), id, actor);
	}

	@GetMapping("/clients")
	@Operation(operationId = "listScimClients", summary = "List SCIM OAuth clients")
	List<ScimAdministration.Client> clients(Company company) {
		return this.administration.clients(company.id());
	}

	/** OAuth client credentials for {@code POST /scim/v2/token}; the {@code clientSecret} is shown this once. */
	@PostMapping("/clients")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(operationId = "createScimClient", summary = "Make a SCIM OAuth client",
			description = "Client credentials for POST /scim/v2/token, which answers one-hour bearer tokens; the clientSecret "
					+ "is shown this once.")
	ScimAdministration.NewClient createClient(Company company, Actor actor) {
		return this.administration.createClient(company.id(), actor);
	}

	@DeleteMapping("/clients/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(operationId = "revokeScimClient", summary = "Revoke a SCIM OAuth client",
			description = "Its client credentials and the tokens they bought stop working at once.")
	void revokeClient(Company company, @PathVariable UUID id, Actor actor) {
		this.administration.revokeClient(company.id(), id, actor);
	}

	@GetMapping("/requests")
	@Operation(operationId = "listScimRequests", summary = "Read the SCIM request log",
			description = "The last SCIM requests, newest first, with status and timing; bodies of failed requests with secrets "
					+ "masked.")
	List<ScimAdministration.Request> requests(Company company, @RequestParam(defaultValue = "100") int limit) {
		return this.administration.requests(company.id(), limit);
	}

}
