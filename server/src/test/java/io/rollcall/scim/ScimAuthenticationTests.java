package io.rollcall.scim;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SCIM tokens reach only their own company's SCIM server, and stop working the moment they are revoked. SCIM signs its
 * callers in with its own filter, without Spring Security's ({@link ScimAuthenticationFilter}): these tests hold it to
 * what the security chain answered.
 */
class ScimAuthenticationTests extends IntegrationTest {

	@Test
	void requestWhenNoTokenThenUnauthorizedScimErrorWithWwwAuthenticate() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		for (String path : List.of("/scim/v2/Users", "/scim/v2/ServiceProviderConfig", "/scim/v2/Nothing",
				"/scim/v2/token")) {
			Response response = this.client.send("GET", scim.company.slug() + ".localhost", path, null, null);
			assertThat(response.status()).as(path).isEqualTo(401);
			assertThat(response.header("WWW-Authenticate")).as(path).isEqualTo("Bearer realm=\"SCIM\"");
			assertThat(response.header("Content-Type")).as(path).startsWith("application/scim+json");
			assertThat(response.json().path("schemas").get(0).asString())
				.isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
			assertThat(response.json().path("status").asString()).isEqualTo("401");
			assertThat(response.json().path("detail").asString()).startsWith("Send a SCIM token of this company");
		}
		Response basic = this.client.send("GET", scim.company.slug() + ".localhost", "/scim/v2/Users",
				"Basic " + java.util.Base64.getEncoder().encodeToString("a:b".getBytes(StandardCharsets.UTF_8)), null);
		assertThat(basic.status()).isEqualTo(401);
		Response baseDomain = this.client.send("GET", "localhost", "/scim/v2/Users", "Bearer " + scim.token, null);
		assertThat(baseDomain.status()).as("a token names no company on the base domain").isEqualTo(401);
	}

	@Test
	void requestWhenRefusedThenInTheRequestLog() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		String host = scim.company.slug() + ".localhost";
		assertThat(this.client.send("GET", host, "/scim/v2/Groups?count=7", "Bearer nope", null).status())
			.isEqualTo(401);
		scim.client.api(scim.company, "PUT", "/api/v1/integrations/scim", Map.of("enabled", false));
		assertThat(scim.get("/Groups?count=8").status()).isEqualTo(403);
		// The log row is written as the response goes out, so the client may ask a moment before it is there.
		List<String> refused = new ArrayList<>();
		for (long end = System.nanoTime() + 5_000_000_000L; refused.size() < 2 && System.nanoTime() < end;) {
			refused.clear();
			for (JsonNode entry : scim.api("GET", "/api/v1/integrations/scim/requests").json()) {
				if (entry.path("path").asString().startsWith("/scim/v2/Groups?count=")) {
					refused.add(entry.path("status").asInt() + " " + entry.path("detail").asString());
				}
			}
		}
		assertThat(refused).hasSize(2)
			.anySatisfy(row -> assertThat(row).startsWith("401 Send a SCIM token"))
			.anySatisfy(row -> assertThat(row).startsWith("403 SCIM provisioning is turned off"));
	}

	@Test
	void requestWhenScimTurnedOffThenForbiddenScimErrorEvenForAValidToken() {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		scim.client.api(scim.company, "PUT", "/api/v1/integrations/scim", Map.of("enabled", false));
		for (String path : List.of("/Users", "/Groups", "/ServiceProviderConfig")) {
			Response response = scim.get(path);
			assertThat(response.status()).as(path).isEqualTo(403);
			assertThat(response.header("WWW-Authenticate")).as("the token is good; SCIM is off").isNull();
			assertThat(response.header("RateLimit")).as("counted: the token names the company").isNotNull();
			assertThat(response.json().path("schemas").get(0).asString())
				.isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
			assertThat(response.json().path("detail").asString())
				.startsWith("SCIM provisioning is turned off for this company");
		}
		assertThat(scim.send("POST", "/Users", Map.of("userName", "off@off.test")).status()).isEqualTo(403);
		assertThat(scim.api("GET", "/api/v1/people?q=off@off.test").json().path("items").size()).isZero();
	}

	@Test
	void requestWhenAfterAnAdmittedOneOnTheSameConnectionThenSignedInAgainFromItsOwnToken() throws IOException {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		ScimTestClient other = ScimTestClient.enabled(this.client);
		String host = scim.company.slug() + ".localhost";
		try (var connection = new KeepAliveConnection(this.port)) {
			for (int round = 0; round < 10; round++) {
				assertThat(connection.send("GET", host, "/scim/v2/Users", "Bearer " + scim.token, null).status())
					.isEqualTo(200);
				KeepAliveConnection.Answer anonymous = connection.send("GET", host, "/scim/v2/Users", null, null);
				assertThat(anonymous.status()).as("no token after a signed-in request").isEqualTo(401);
				assertThat(anonymous.header("www-authenticate")).isEqualTo("Bearer realm=\"SCIM\"");
				assertThat(connection.send("POST", host, "/scim/v2/Users", null,
						"{\"userName\":\"anonymous" + round + "@a.test\"}")
					.status()).isEqualTo(401);
				assertThat(connection.send("GET", host, "/scim/v2/Users", "Bearer " + other.token, null).status())
					.as("another company's token after a signed-in request")
					.isEqualTo(401);
			}
		}
		assertThat(scim.get("/Users?filter=" + ScimTestClient.q("userName sw \"anonymous\""))
			.json()
			.path("totalResults")
			.asInt()).isZero();
	}

	@Test
	void responsesWhenAnyThenHeadersOfATokenApi() throws IOException {
		ScimTestClient scim = ScimTestClient.enabled(this.client);
		ScimTestClient off = ScimTestClient.enabled(this.client);
		off.client.api(off.company, "PUT", "/api/v1/integrations/scim", Map.of("enabled", false));
		String host = scim.company.slug() + ".localhost";
		try (var connection = new KeepAliveConnection(this.port)) {
			List<KeepAliveConnection.Answer> answers = List.of(
					connection.send("GET", host, "/scim/v2/Users", "Bearer " + scim.token, null),
					connection.send("GET", host, "/scim/v2/Users", null, null),
					connection.send("GET", off.company.slug() + ".localhost", "/scim/v2/Users", "Bearer " + off.token,
							null));
			assertThat(answers).extracting(KeepAliveConnection.Answer::status).containsExactly(200, 401, 403);
			for (KeepAliveConnection.Answer answer : answers) {
				assertThat(answer.headers("cache-control")).as(answer.status() + "")
					.containsExactly("no-cache, no-store, max-age=0, must-revalidate");
				assertThat(answer.headers("pragma")).containsExactly("no-cache");
				assertThat(answer.headers("expires")).containsExactly("0");
				assertThat(answer.headers("x-content-type-options")).containsExactly("nosniff");
				assertThat(answer.headers("x-frame-options")).containsExactly("DENY");
				assertThat(answer.headers("strict-transport-security")).as("plain http").isEmpty();
			}
			// The token endpoint says no-store itself (RFC 6749 5.1): once, not twice.
			KeepAliveConnection.Answer token = connection.send("POST", host, "/scim/v2/token", null,
					"grant_type=client_credentials&client_id=nobody&client_secret=nothing");
			assertThat(token.status()).isEqualTo(401);
			assertThat(token.headers("cache-control")).containsExactly("no-store");
			assertThat(token.headers("x-content-type-options")).containsExactly("nosniff");
			KeepAliveConnection.Answer secure = connection.send("GET", host, "/scim/v2/Users", "Bearer " + scim.token,
					null, "X-Forwarded-Proto: https");
			assertThat(secure.status()).isEqualTo(200);
			assertThat(secure.headers("strict-transport-security"))
				.containsExactly("max-age=31536000 ; includeSubDomains");
		}
	}

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

	/** One keep-alive HTTP/1.1 connection, so that requests follow each other on it as a provider's do. */
	private static final class KeepAliveConnection implements AutoCloseable {

		record Answer(int status, Map<String, List<String>> headers, String body) {

			List<String> headers(String name) {
				return this.headers.getOrDefault(name, List.of());
			}

			String header(String name) {
				List<String> values = headers(name);
				return values.isEmpty() ? null : values.get(0);
			}

		}

		private final Socket socket;

		private final OutputStream out;

		private final InputStream in;

		KeepAliveConnection(int port) throws IOException {
			this.socket = new Socket("127.0.0.1", port);
			this.socket.setSoTimeout(30_000);
			this.out = this.socket.getOutputStream();
			this.in = new BufferedInputStream(this.socket.getInputStream());
		}

		Answer send(String method, String host, String path, String authorization, String body, String... headers)
				throws IOException {
			StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
			if (authorization != null) {
				request.append("Authorization: ").append(authorization).append("\r\n");
			}
			for (String header : headers) {
				request.append(header).append("\r\n");
			}
			byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
			if (body != null) {
				request.append("Content-Type: ")
					.append(body.startsWith("{") ? "application/scim+json" : "application/x-www-form-urlencoded")
					.append("\r\nContent-Length: ")
					.append(content.length)
					.append("\r\n");
			}
			this.out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
			this.out.write(content);
			this.out.flush();
			String[] status = line().split(" ");
			Map<String, List<String>> fields = new java.util.LinkedHashMap<>();
			for (String line = line(); !line.isEmpty(); line = line()) {
				int colon = line.indexOf(':');
				fields
					.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), n -> new ArrayList<>())
					.add(line.substring(colon + 1).strip());
			}
			assertThat(fields.get("connection")).as("the connection stays open").isNull();
			int length = Integer.parseInt(fields.getOrDefault("content-length", List.of("0")).get(0));
			return new Answer(Integer.parseInt(status[1]), fields,
					new String(this.in.readNBytes(length), StandardCharsets.UTF_8));
		}

		private String line() throws IOException {
			ByteArrayOutputStream line = new ByteArrayOutputStream();
			for (int b = this.in.read(); b != '\n'; b = this.in.read()) {
				if (b < 0) {
					throw new IOException("The connection closed");
				}
				if (b != '\r') {
					line.write(b);
				}
			}
			return line.toString(StandardCharsets.ISO_8859_1);
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

}
