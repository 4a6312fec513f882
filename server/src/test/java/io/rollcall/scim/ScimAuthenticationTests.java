package io.rollcall.scim;

import java.util.List;
import java.util.Map;

import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** SCIM tokens reach only their own company's SCIM server, and stop working the moment they are revoked. */
class ScimAuthenticationTests extends IntegrationTest {

	@Test
	void requestWhenTokenOfAnotherCompanyThenUnauthorizedAndNothingWritten() {
		ScimTestClient a = ScimTestClient.enabled(this.client);
		ScimTestClient b = ScimTestClient.enabled(this.client);
		String bUser = ScimInteropTests.create(b, Map.of("userName", "only-b@b.test")).path("id").asString();
		String bHost = b.company.slug() + ".localhost";
		Response read = this.client.send("GET", bHost, "/scim/v2/Users", "Bearer " + a.token, null);
		assertThat(read.status()).isEqualTo(401);
		Response readOne = this.client.send("GET", bHost, "/scim/v2/Users/" + bUser, "Bearer " + a.token, null);
		assertThat(readOne.status()).isEqualTo(401);
		Response write = this.client.send("POST", bHost, "/scim/v2/Users", "Bearer " + a.token,
				Map.of("userName", "intruder@a.test"));
		assertThat(write.status()).isEqualTo(401);
		// On its own host, A's token does not see B's people either.
		assertThat(a.get("/Users/" + bUser).status()).isEqualTo(404);
		assertThat(a.send("PATCH", "/Users/" + bUser, Map.of("Operations",
				List.of(Map.of("op", "replace", "path", "active", "value", false))))
			.status()).isEqualTo(404);
		assertThat(b.api("GET", "/api/v1/people/" + bUser).json().path("status").asString()).isEqualTo("active");
		assertThat(b.get("/Users?filter=" + ScimTestClient.q("userName eq \"intruder@a.test\""))
			.json()
			.path("totalResults")
			.asInt()).isZero();
	}

	@Test
	void requestWhenScimTokenOnRestApiOrApiKeyOnScimThenUnauthorized() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		String host = scim.company.slug() + ".localhost";
		assertThat(this.client.send("GET", host, "/api/v1/people", "Bearer " + scim.token, null).status())
			.isEqualTo(401);
		assertThat(this.client.send("GET", host, "/scim/v2/Users", "Bearer " + scim.company.apiKey(), null).status())
			.isEqualTo(401);
	}

	@Test
	void requestWhenTokenRevokedThenRefusedAtOnce() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		assertThat(scim.get("/Users").status()).isEqualTo(200);
		String tokenId = scim.api("GET", "/api/v1/integrations/scim/tokens").json().get(0).path("id").asString();
		assertThat(scim.api("DELETE", "/api/v1/integrations/scim/tokens/" + tokenId).status()).isEqualTo(204);
		Response refused = scim.get("/Users");
		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.json().path("schemas").get(0).asString())
			.isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
	}

	@Test
	void requestWhenAdmittedThenRateLimitFieldsSayTheDefaultLimitAndWhatIsLeft() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		Response admitted = scim.get("/Users");
		assertThat(admitted.status()).isEqualTo(200);
		int limit = ScimRateLimit.forThisNode();
		assertThat(admitted.header("RateLimit-Policy")).isEqualTo("\"company\";q=" + limit + ";w=1");
		String rateLimit = admitted.header("RateLimit");
		assertThat(rateLimit).matches("\"company\";r=\\d+;t=1");
		assertThat(Integer.parseInt(rateLimit.replaceAll(".*r=(\\d+).*", "$1"))).isBetween(0, limit - 1);
		assertThat(admitted.header("Retry-After")).isNull();
		Response anonymous = this.client.send("GET", scim.company.slug() + ".localhost", "/scim/v2/Users", null, null);
		assertThat(anonymous.status()).isEqualTo(401);
		assertThat(anonymous.header("RateLimit")).as("counted for a company only once its token is known").isNull();
	}

	@Test
	void rotateWhenOverlapThenBothWorkUntilOldExpires() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		String tokenId = scim.api("GET", "/api/v1/integrations/scim/tokens").json().get(0).path("id").asString();
		Response rotated = scim.client.api(scim.company, "POST",
				"/api/v1/integrations/scim/tokens/" + tokenId + "/rotation",
				Map.of("overlapHours", 1));
		assertThat(rotated.status()).isEqualTo(201);
		String fresh = rotated.json().path("secret").asString();
		String host = scim.company.slug() + ".localhost";
		assertThat(scim.get("/Users").status()).isEqualTo(200);
		assertThat(this.client.send("GET", host, "/scim/v2/Users", "Bearer " + fresh, null).status()).isEqualTo(200);
		Response immediate = scim.client.api(scim.company, "POST",
				"/api/v1/integrations/scim/tokens/" + rotated.json().path("token").path("id").asString() + "/rotation",
				Map.of("overlapHours", 0));
		assertThat(immediate.status()).isEqualTo(201);
		assertThat(this.client.send("GET", host, "/scim/v2/Users", "Bearer " + fresh, null).status()).isEqualTo(401);
	}

	@Test
	void requestWhenScimTurnedOffThenForbidden() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		assertThat(scim.get("/Users").status()).as("on, and remembered as on").isEqualTo(200);
		scim.client.api(scim.company, "PUT", "/api/v1/integrations/scim", Map.of("enabled", false));
		Response response = scim.get("/Users");
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.json().path("status").asString()).isEqualTo("403");
	}

	@Test
	void tokenWhenClientCredentialsThenShortLivedBearerForThisCompanyOnly() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		ScimTestClient other = ScimTestClient.enabled(this.client);
		Response client = scim.client.api(scim.company, "POST", "/api/v1/integrations/scim/clients", null);
		assertThat(client.status()).isEqualTo(201);
		String form = "grant_type=client_credentials&client_id=" + client.json().path("clientId").asString()
				+ "&client_secret=" + client.json().path("clientSecret").asString();
		String host = scim.company.slug() + ".localhost";
		Response refusedElsewhere = formPost(other.company.slug() + ".localhost", form);
		assertThat(refusedElsewhere.status()).isEqualTo(401);
		Response token = formPost(host, form);
		assertThat(token.status()).as(token.body()).isEqualTo(200);
		assertThat(token.json().path("expires_in").asInt()).isEqualTo(3600);
		String bearer = token.json().path("access_token").asString();
		assertThat(this.client.send("GET", host, "/scim/v2/Users", "Bearer " + bearer, null).status()).isEqualTo(200);
		assertThat(
				this.client.send("GET", other.company.slug() + ".localhost", "/scim/v2/Users", "Bearer " + bearer, null)
					.status())
			.isEqualTo(401);
		Response wrongSecret = formPost(host, form.replaceAll("client_secret=.*", "client_secret=nope"));
		assertThat(wrongSecret.status()).isEqualTo(401);
		// Revoking the client stops the access tokens it bought, at once, though the token was just used.
		assertThat(scim.client.api(scim.company, "DELETE",
				"/api/v1/integrations/scim/clients/" + client.json().path("id").asString(), null)
			.status()).isEqualTo(204);
		assertThat(this.client.send("GET", host, "/scim/v2/Users", "Bearer " + bearer, null).status()).isEqualTo(401);
	}

	private Response formPost(String host, String form) {
		try {
			var request = java.net.http.HttpRequest
				.newBuilder(java.net.URI.create("http://127.0.0.1:" + this.port + "/scim/v2/token"))
				.header("Host", host)
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString(form))
				.build();
			var response = java.net.http.HttpClient.newHttpClient()
				.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body(), response.headers());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
