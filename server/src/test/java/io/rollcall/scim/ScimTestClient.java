package io.rollcall.scim;

import java.util.Map;

import io.rollcall.support.RollcallClient;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;

/** A company with SCIM turned on and a secret token, and requests to its SCIM server as a provider sends them. */
final class ScimTestClient {

	/** The schemas and message the tests' bodies name (RFC 7643, 7644). */
	static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";

	static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

	static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

	static final String PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

	final RollcallClient client;

	final TestCompany company;

	final String token;

	private ScimTestClient(RollcallClient client, TestCompany company, String token) {
		this.client = client;
		this.company = company;
		this.token = token;
	}

	static ScimTestClient enabled(RollcallClient client) {
		TestCompany company = client.createCompany();
		Response settings = client.api(company, "PUT", "/api/v1/integrations/scim", Map.of("enabled", true));
		if (settings.status() != 200) {
			throw new IllegalStateException(settings.body());
		}
		Response token = client.api(company, "POST", "/api/v1/integrations/scim/tokens", Map.of("name", "entra"));
		if (token.status() != 201) {
			throw new IllegalStateException(token.body());
		}
		return new ScimTestClient(client, company, token.json().path("secret").asString());
	}

	Response send(String method, String path, Object body) {
		return this.client.send(method, this.company.slug() + ".localhost", "/scim/v2" + path, "Bearer " + this.token,
				body);
	}

	Response get(String path) {
		return send("GET", path, null);
	}

	Response api(String method, String path) {
		return this.client.api(this.company, method, path);
	}

	static String q(String filter) {
		return java.net.URLEncoder.encode(filter, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
	}

}
