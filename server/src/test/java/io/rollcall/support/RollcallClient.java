package io.rollcall.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Talks to the running service over real HTTP, naming the company by Host header as a browser on
 * {@code slug.localhost} would.
 */
public final class RollcallClient {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final int port;

	private final HttpClient http;

	public RollcallClient(int port) {
		this.port = port;
		this.http = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
	}

	public record Response(int status, String body, java.net.http.HttpHeaders headers) {

		public JsonNode json() {
			return JSON.readTree(this.body);
		}

		public String header(String name) {
			return this.headers.firstValue(name).orElse(null);
		}

	}

	/** A company just made through the operator API, with its first API key. */
	public record TestCompany(String slug, UUID id, String apiKey, UUID ownerId, String ownerEmail,
			String ownerInvitationUrl) {
	}

	public TestCompany createCompany() {
		String slug = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		String owner = "owner@" + slug + ".test";
		Response response = operator("POST", "/api/v1/companies",
				Map.of("slug", slug, "name", "Company " + slug, "ownerEmail", owner));
		if (response.status() != 201) {
			throw new IllegalStateException("Could not create a company: " + response.status() + " " + response.body());
		}
		JsonNode body = response.json();
		return new TestCompany(slug, UUID.fromString(body.path("company").path("id").asString()),
				body.path("apiKey").path("secret").asString(),
				UUID.fromString(body.path("owner").path("id").asString()), owner,
				body.path("ownerInvitationUrl").asString());
	}

	public Response operator(String method, String path, Object body) {
		return send(method, "localhost", path, "Bearer " + IntegrationTest.OPERATOR_TOKEN, body);
	}

	/** The company's person with this e-mail, as the API shows them; fails the test when there is none. */
	public JsonNode personByEmail(TestCompany company, String email) {
		for (JsonNode item : api(company, "GET", "/api/v1/people?q=" + email).json().path("items")) {
			if (item.path("email").asString().equalsIgnoreCase(email)) {
				return item;
			}
		}
		throw new AssertionError("No person " + email);
	}

	public Response api(TestCompany company, String method, String path, Object body) {
		return send(method, company.slug() + ".localhost", path, "Bearer " + company.apiKey(), body);
	}

	public Response api(TestCompany company, String method, String path) {
		return api(company, method, path, null);
	}

	/** With the given host and Authorization header (null for none); a String body is sent as it is. */
	public Response send(String method, String host, String path, String authorization, Object body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.header("Host", host)
			.header("Accept", "application/json");
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		if (body == null) {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		else {
			String text = body instanceof String s ? s : JSON.writeValueAsString(body);
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(text));
		}
		return execute(request.build());
	}

	/** A browser-like form post (for the sign-in and invitation pages), with the cookies of earlier calls. */
	public Response form(String host, String path, Map<String, String> fields) {
		String body = fields.entrySet()
			.stream()
			.map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		return execute(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Host", host)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	public Response get(String host, String path, String accept) {
		return execute(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Host", host)
			.header("Accept", accept)
			.GET()
			.build());
	}

	public Response get(String host, String path, String accept, String authorization) {
		return execute(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Host", host)
			.header("Accept", accept)
			.header("Authorization", authorization)
			.GET()
			.build());
	}

	public Response page(String host, String path) {
		return execute(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Host", host)
			.header("Accept", "text/html")
			.GET()
			.build());
	}

	private Response execute(HttpRequest request) {
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body(), response.headers());
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
