package io.rollcall.apidocs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.rollcall.support.IntegrationTest;
import io.rollcall.support.RollcallClient.Response;
import io.rollcall.support.RollcallClient.TestCompany;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document as a client's developer meets it: open without a key, stating its credentials on every
 * operation, free of internal arguments, and the same as the committed {@code server/api/openapi.json} that the
 * build lints and generates the test client from.
 */
class ApiDocumentationTests extends IntegrationTest {

	/** The committed document; the build validates it and generates the test client from it (server/pom.xml). */
	static final Path COMMITTED = Path.of("api/openapi.json");

	/** Where the live document is written when it differs, to compare or copy. */
	static final Path LIVE = Path.of("target/openapi.json");

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	private RequestMappingHandlerMapping handlers;

	@Test
	void openApiWhenReadThenSameAsCommittedDocument() throws Exception {
		JsonNode live = document();
		boolean refresh = Boolean.getBoolean("rollcall.openapi.refresh");
		if (refresh || !Files.exists(COMMITTED)) {
			Files.writeString(COMMITTED, JSON.writeValueAsString(live) + "\n", StandardCharsets.UTF_8);
		}
		JsonNode committed = JSON.readTree(Files.readString(COMMITTED, StandardCharsets.UTF_8));
		if (!live.equals(committed)) {
			Files.writeString(LIVE, JSON.writeValueAsString(live) + "\n", StandardCharsets.UTF_8);
		}
		assertThat(live)
			.as("The API changed but server/api/openapi.json did not. Compare it with server/target/openapi.json "
					+ "(the live document), then copy that over it, or run: ./rollcall test -pl server -am -DskipITs "
					+ "-Dtest=ApiDocumentationTests -Dsurefire.failIfNoSpecifiedTests=false -Drollcall.openapi.refresh=true")
			.isEqualTo(committed);
	}

	@Test
	void openApiWhenReadThenEachCredentialIsASecurityScheme() {
		JsonNode schemes = document().path("components").path("securitySchemes");

		assertThat(schemes.path("apiKey").path("type").asString()).isEqualTo("http");
		assertThat(schemes.path("apiKey").path("scheme").asString()).isEqualTo("bearer");
		assertThat(schemes.path("operatorToken").path("scheme").asString()).isEqualTo("bearer");
		assertThat(schemes.path("scimToken").path("scheme").asString()).isEqualTo("bearer");
		assertThat(schemes.path("scimOAuth").path("flows").path("clientCredentials").path("tokenUrl").asString())
			.isEqualTo("/scim/v2/token");
		assertThat(schemes.path("oktaHookSecret").path("in").asString()).isEqualTo("header");
		assertThat(schemes.path("oktaHookSecret").path("name").asString()).isEqualTo("Authorization");
	}

	@Test
	void openApiWhenReadThenEveryOperationStatesItsCredentialsAndNoInternalParameter() {
		JsonNode paths = document().path("paths");
		List<String> problems = new ArrayList<>();
		paths.properties().forEach(path -> path.getValue().properties().forEach(method -> {
			String where = method.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
			JsonNode operation = method.getValue();
			for (JsonNode parameter : operation.path("parameters")) {
				String name = parameter.path("name").asString().toLowerCase(Locale.ROOT);
				if (name.equals("company") || name.equals("actor") || name.equals("authorization")) {
					problems.add(where + " has the internal parameter " + name);
				}
			}
			if (operation.path("operationId").asString().isBlank() || operation.path("summary").asString().isBlank()
					|| operation.path("tags").isEmpty()) {
				problems.add(where + " lacks an operationId, a summary or a tag");
			}
			if (!operation.has("security")) {
				problems.add(where + " does not say which credentials it takes");
			}
			List<String> schemes = new ArrayList<>();
			operation.path("security").forEach(requirement -> requirement.propertyNames().forEach(schemes::add));
			String expected = expectedSchemes(path.getKey(), method.getKey());
			if (!String.join(",", schemes).equals(expected)) {
				problems.add(where + " takes " + schemes + ", expected [" + expected + "]");
			}
		}));

		assertThat(problems).isEmpty();
		assertThat(paths.path("/api/v1/people").path("get").path("parameters").toString())
			.doesNotContain("\"company\"");
	}

	@Test
	void openApiWhenReadThenFailuresAreProblemsNamingTheirFieldAndPagingIsSharedOnce() {
		JsonNode document = document();

		JsonNode problem = document.path("components").path("schemas").path("Problem");
		assertThat(problem.path("properties").has("field")).isTrue();
		assertThat(problem.path("properties").has("detail")).isTrue();
		JsonNode createPerson = document.path("paths").path("/api/v1/people").path("post");
		assertThat(createPerson.path("responses").path("400").path("$ref").asString())
			.isEqualTo("#/components/responses/BadRequest");
		assertThat(document.path("components")
			.path("responses")
			.path("BadRequest")
			.path("content")
			.has(
					"application/problem+json"))
			.isTrue();
		assertThat(createPerson.path("requestBody").path("content").path("application/json").has("example")).isTrue();
		List<String> listPeople = new ArrayList<>();
		document.path("paths")
			.path("/api/v1/people")
			.path("get")
			.path("parameters")
			.forEach(p -> listPeople.add(p.path("$ref").asString(p.path("name").asString())));
		assertThat(listPeople).contains("#/components/parameters/cursor", "#/components/parameters/limit");
		assertThat(document.path("info").path("description").asString()).contains("## Paging", "## Credentials",
				"{company}.{base-domain}");
		assertThat(document.path("info").path("title").asString()).isEqualTo("Rollcall API");
		assertThat(document.path("info").path("version").asString()).isNotEqualTo("v0");
	}

	@Test
	void openApiWhenExampleFileNamesAnOperationThenItsExampleIsShown() throws Exception {
		JsonNode document = document();
		List<String> missing = new ArrayList<>();
		for (var example : new org.springframework.core.io.support.PathMatchingResourcePatternResolver()
			.getResources("classpath:apidocs/examples/*.json")) {
			String[] name = example.getFilename().split("\\.");
			JsonNode operation = operation(document, name[0]);
			boolean shown = operation != null && (name[1].equals("request")
					? operation.path("requestBody").path("content").toString().contains("\"example\"")
					: operation.path("responses").toString().contains("\"example\""));
			if (!shown) {
				missing.add(example.getFilename());
			}
		}
		assertThat(missing).as("examples whose operation id or kind names no operation").isEmpty();
	}

	/** springdoc names a schema by its class's simple name and keeps one of two that share it, silently. */
	@Test
	void openApiWhenTwoTypesShareASimpleNameThenEachHasItsOwnSchemaName() {
		Map<String, Class<?>> named = new HashMap<>();
		List<String> clashes = new ArrayList<>();
		this.handlers.getHandlerMethods().forEach((mapping, handler) -> {
			if (mapping.getPatternValues()
				.stream()
				.noneMatch(p -> p.startsWith("/api/v1") || p.startsWith("/scim/v2")
						|| p.startsWith("/hooks"))) {
				return;
			}
			Set<Class<?>> types = new LinkedHashSet<>();
			collect(handler.getMethod().getGenericReturnType(), types);
			for (var parameter : handler.getMethodParameters()) {
				if (parameter.hasParameterAnnotation(org.springframework.web.bind.annotation.RequestBody.class)) {
					collect(parameter.getGenericParameterType(), types);
				}
			}
			for (Class<?> type : types) {
				var schema = type.getAnnotation(io.swagger.v3.oas.annotations.media.Schema.class);
				String name = schema != null && !schema.name().isEmpty() ? schema.name() : type.getSimpleName();
				Class<?> earlier = named.putIfAbsent(name, type);
				if (earlier != null && earlier != type) {
					clashes.add(name + ": " + earlier.getName() + " and " + type.getName()
							+ " (give one @Schema(name = ...))");
				}
			}
		});

		assertThat(clashes).isEmpty();
	}

	private static void collect(java.lang.reflect.Type type, Set<Class<?>> types) {
		if (type instanceof java.lang.reflect.ParameterizedType parameterized) {
			collect(parameterized.getRawType(), types);
			for (var argument : parameterized.getActualTypeArguments()) {
				collect(argument, types);
			}
		}
		else if (type instanceof Class<?> c && c.getName().startsWith("io.rollcall.") && !c.isEnum()
				&& c.getTypeParameters().length == 0 && types.add(c)) {
			if (c.isRecord()) {
				for (var component : c.getRecordComponents()) {
					collect(component.getGenericType(), types);
				}
			}
			if (c.isSealed()) {
				for (Class<?> permitted : c.getPermittedSubclasses()) {
					collect(permitted, types);
				}
			}
		}
	}

	@Test
	void docsWhenOpenedWithoutKeyThenPageAndItsFilesAnswer() {
		TestCompany company = this.client.createCompany();
		for (String host : List.of("localhost", company.slug() + ".localhost")) {
			Response page = this.client.page(host, "/api/docs");
			assertThat(page.status()).as(host).isEqualTo(200);
			assertThat(page.body()).contains("swagger-ui-bundle.js", "/js/api-docs.js");
			assertThat(this.client.get(host, "/api/openapi", "application/json").status()).isEqualTo(200);
		}
		assertThat(this.client.page("localhost", "/api/swagger-ui/swagger-ui-bundle.js").status()).isEqualTo(200);
		assertThat(this.client.page("localhost", "/api/swagger-ui/swagger-ui.css").status()).isEqualTo(200);
		assertThat(this.client.page("localhost", "/js/api-docs.js").status()).isEqualTo(200);
		// The data stays behind the key.
		assertThat(this.client.send("GET", company.slug() + ".localhost", "/api/v1/people", null, null).status())
			.isEqualTo(401);
	}

	private static String expectedSchemes(String path, String method) {
		if (path.startsWith("/api/v1/companies") || path.startsWith("/api/v1/applications")) {
			return "operatorToken";
		}
		if (path.startsWith("/api/")) {
			return "apiKey";
		}
		if (path.equals("/scim/v2/token")) {
			return "";
		}
		if (path.startsWith("/scim/")) {
			return "scimToken,scimOAuth";
		}
		return path.equals("/hooks/okta") && method.equals("post") ? "oktaHookSecret" : "";
	}

	private static JsonNode operation(JsonNode document, String operationId) {
		for (JsonNode path : document.path("paths")) {
			for (JsonNode operation : path) {
				if (operation.path("operationId").asString().equals(operationId)) {
					return operation;
				}
			}
		}
		return null;
	}

	private JsonNode document() {
		Response response = this.client.get("localhost", "/api/openapi", "application/json");
		assertThat(response.status()).isEqualTo(200);
		return response.json();
	}

}
