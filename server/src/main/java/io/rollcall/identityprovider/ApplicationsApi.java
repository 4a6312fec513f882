package io.rollcall.identityprovider;

import java.util.List;

import io.rollcall.identityprovider.Applications.NewApplication;
import io.rollcall.identityprovider.Applications.RegisteredApplication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** On the bare base domain, with {@code Authorization: Bearer $ROLLCALL_OPERATOR_TOKEN}. */
@Tag(name = "Operator")
@RestController
@RequestMapping("/api/v1/applications")
class ApplicationsApi {

	private final Applications applications;

	ApplicationsApi(Applications applications) {
		this.applications = applications;
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(operationId = "registerApplication",
			summary = "Register an application that signs people in through Rollcall",
			description = "On the bare base domain with the operator token. The application becomes a client of every "
					+ "company's OpenID Provider at https://{slug}.{base-domain}: a '{slug}' in its URIs stands for the "
					+ "company's slug. clientAuthentication is 'client_secret_basic' (the secret is shown this once), "
					+ "'private_key_jwt' (RFC 7523: the application signs an RS256 assertion whose aud is the company's "
					+ "issuer or token endpoint; its public keys given as 'jwksUri' or inline as 'jwks', a JWK Set of "
					+ "public keys only) or 'none' for a public client, which must use PKCE. ID tokens are signed with "
					+ "RS256 unless idTokenSigningAlgorithm asks for 'ES256'; access tokens are signed with ES256.")
	RegisteredApplication register(@RequestBody NewApplication request) {
		return this.applications.register(request);
	}

	@GetMapping
	@Operation(operationId = "listApplications", summary = "List the registered applications",
			description = "On the bare base domain with the operator token: the applications the operator registered "
					+ "for every company (not those a company registered for itself in its console). Secrets are never "
					+ "shown again.")
	List<RegisteredApplication> list() {
		return this.applications.list();
	}

	@PostMapping("/{id}/secret")
	@Operation(operationId = "rotateApplicationSecret", summary = "Replace an application's client secret",
			description = "On the bare base domain with the operator token, for an application the operator registered. "
					+ "The answer holds the new clientSecret, shown this once; the old secret is refused at once (no "
					+ "overlap), so give the new one to the application first-thing. Tokens already issued stay valid. "
					+ "A public client ('none') has no secret: 400.")
	RegisteredApplication rotateSecret(@PathVariable String id) {
		return this.applications.rotateSecret(id);
	}

}
