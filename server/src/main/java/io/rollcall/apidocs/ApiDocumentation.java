package io.rollcall.apidocs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rollcall.company.Company;
import io.rollcall.directory.PersonField;
import io.rollcall.platform.Actor;
import io.rollcall.sync.SourceKind;
import io.rollcall.sync.SourceKinds;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.ExternalDocumentation;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.media.UUIDSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.OAuthFlows;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.servers.ServerVariable;
import io.swagger.v3.oas.models.servers.ServerVariables;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The OpenAPI document at {@code /api/openapi}. What every operation shares (its credentials by where it lives, the
 * RFC 9457 error body, cursor paging) is said once here and referenced, so the controllers only name and describe
 * their operations; request and response examples live beside the overview in {@code apidocs/examples}, keyed by
 * operation id.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

	static final String API_KEY = "apiKey";

	static final String OPERATOR_TOKEN = "operatorToken";

	static final String SCIM_TOKEN = "scimToken";

	static final String SCIM_OAUTH = "scimOAuth";

	static final String OKTA_HOOK_SECRET = "oktaHookSecret";

	static final String PROBLEM = "Problem";

	/** The body of adding or changing a person, read as a map by the API: described from the directory's own fields. */
	static final String PERSON_FIELDS = "PersonFields";

	static final String SCIM_RESOURCE = "ScimResource";

	static final String SCIM_ERROR = "ScimError";

	static final String SCIM_TOKEN_REQUEST = "ScimTokenRequest";

	static final String SCIM_ACCESS_TOKEN = "ScimAccessToken";

	private static final String PROBLEM_JSON = "application/problem+json";

	private static final String SCIM_JSON = "application/scim+json";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static {
		// Resolved from the host and the credentials, never sent by a caller: not parameters of any operation.
		SpringDocUtils.getConfig().addRequestWrapperToIgnore(Company.class, Actor.class);
	}

	@Bean
	OpenAPI rollcallOpenApi(ObjectProvider<BuildProperties> build) {
		String version = Optional.ofNullable(build.getIfAvailable()).map(BuildProperties::getVersion).orElse("dev");
		return new OpenAPI()
			.info(new Info().title("Rollcall API")
				.version(version)
				.description(text("apidocs/overview.md")))
			.servers(List.of(
					new Server().url("/").description("This address"),
					new Server().url("{scheme}://{company}.{baseDomain}")
						.description("A company's address")
						.variables(new ServerVariables()
							.addServerVariable("scheme", new ServerVariable()._default("http")
								._enum(List.of("http", "https")))
							.addServerVariable("company", new ServerVariable()._default("acme")
								.description("the company's slug"))
							.addServerVariable("baseDomain", new ServerVariable()._default("localhost:8080")
								.description("ROLLCALL_BASE_DOMAIN, with the port when it is not the scheme's")))))
			.tags(tags())
			.components(new Components().securitySchemes(securitySchemes())
				.schemas(new LinkedHashMap<>(Map.of(PROBLEM, problemSchema(), PERSON_FIELDS, personFieldsSchema(),
						SCIM_TOKEN_REQUEST, scimTokenRequestSchema())))
				.parameters(pagingParameters())
				.responses(problemResponses()));
	}

	/** Credentials, errors and paging on every operation, by where it lives; then the examples. */
	@Bean
	OpenApiCustomizer rollcallOperations(SourceKinds sources) {
		Map<String, JsonNode> examples = examples();
		String kinds = kinds(sources);
		return openApi -> {
			// Named only by what this customizer adds, after springdoc has dropped the schemas nothing named yet.
			openApi.getComponents()
				.addSchemas(SCIM_RESOURCE, scimResourceSchema())
				.addSchemas(SCIM_ERROR, scimErrorSchema())
				.addSchemas(SCIM_ACCESS_TOKEN, scimAccessTokenSchema());
			scimRateLimitHeaders().forEach(openApi.getComponents()::addHeaders);
			describeProperties(openApi.getComponents().getSchemas(), kinds);
			openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
				secure(path, method, operation);
				operation.setDescription(readable(operation.getDescription()));
				// The security schemes say how credentials are sent; a header parameter would say it twice.
				if (operation.getParameters() != null) {
					operation.getParameters()
						.removeIf(p -> "header".equals(p.getIn()) && "Authorization".equalsIgnoreCase(p.getName()));
				}
				if (path.startsWith("/api/")) {
					describeKind(operation, kinds);
					describeFailures(path, method, operation);
					referencePaging(operation);
				}
				else if (path.startsWith("/scim/v2/") && !path.equals("/scim/v2/token")) {
					describeScim(operation);
				}
				else if (path.equals("/scim/v2/token")) {
					describeScimToken(operation);
				}
				else if (path.startsWith("/hooks/")) {
					describeDelivery(operation);
				}
				addExamples(operation, examples);
			}));
		};
	}

	/**
	 * Fields their records' Javadoc (which describes the others, see the therapi scribe in server/pom.xml) leaves
	 * unsaid.
	 */
	private static Map<String, Map<String, String>> propertyNotes(String kinds) {
		return Map.of(
				"SyncRun", Map.of("done", "How many plan items are applied", "source", kinds),
				"PlanItem", Map.of(
						"seq", "The item's position in the plan; pass the last one as after for the next page",
						"changes", "Field by field, from and to"),
				"PagePerson", Map.of("nextCursor", "Pass it as cursor for the next page; null on the last page"),
				"AuditPage", Map.of("nextCursor", "Pass it as cursor for the next page; null on the last page"));
	}

	/** The sources' kinds as the document lists them, e.g. "csv, entra or scim", in the order Integrations shows them. */
	static String kinds(SourceKinds sources) {
		List<String> kinds = sources.all().stream().map(SourceKind::kind).toList();
		return kinds.size() < 2 ? String.join("", kinds)
				: String.join(", ", kinds.subList(0, kinds.size() - 1)) + " or " + kinds.getLast();
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static void describeProperties(Map<String, Schema> schemas, String kinds) {
		schemas.values().forEach(schema -> {
			schema.setDescription(readable(schema.getDescription()));
			if (schema.getProperties() != null) {
				((Map<String, Schema>) schema.getProperties()).values()
					.forEach(property -> property.setDescription(readable(property.getDescription())));
			}
		});
		propertyNotes(kinds).forEach((schema, notes) -> {
			Schema<?> described = schemas.get(schema);
			if (described != null && described.getProperties() != null) {
				notes.forEach((property, note) -> {
					Schema<?> field = described.getProperties().get(property);
					if (field != null && field.getDescription() == null) {
						field.setDescription(note);
					}
				});
			}
		});
	}

	private static final Pattern LINK = Pattern.compile("\\{@link(?:plain)?\\s+([^}\\s]+)(?:\\s+([^}]+))?}");

	private static final Pattern VALUE = Pattern.compile("\\{@value\\s+([\\w.]+)#(\\w+)}");

	/** Javadoc written for Rollcall's developers, as an API's reader sees it: a link is its name, a constant its value. */
	static String readable(String javadoc) {
		if (javadoc == null || !javadoc.contains("{@")) {
			return javadoc;
		}
		String linked = LINK.matcher(javadoc)
			.replaceAll(link -> Matcher.quoteReplacement(
					(link.group(2) != null ? link.group(2).strip() : link.group(1)).replace('#', '.')));
		return VALUE.matcher(linked).replaceAll(value -> {
			try {
				Object constant = Class.forName(value.group(1)).getField(value.group(2)).get(null);
				return Matcher.quoteReplacement("<code>" + constant + "</code>");
			}
			catch (ReflectiveOperationException | LinkageError ex) {
				return Matcher.quoteReplacement(value.group(2));
			}
		});
	}

	private static void describeKind(Operation operation, String kinds) {
		if (operation.getParameters() != null) {
			operation.getParameters()
				.stream()
				.filter(p -> "path".equals(p.getIn()) && "kind".equals(p.getName()) && p.getDescription() == null)
				.forEach(p -> p.setDescription("The source: " + kinds));
		}
	}

	private static List<Tag> tags() {
		return List.of(
				tag("People", "The people of the company's directory: list, read, add, change, deactivate, invite."),
				tag("Teams", "Teams and their hierarchy, managers and members."),
				tag("Directory", "Tags, custom fields and the audit history of every change."),
				tag("Company", "The company's own settings and its API keys."),
				tag("Sync runs",
						"One engine for every source: start a run or preview it (dry run), follow it, read its "
								+ "plan, approve a held run, and the field mappings of each source."),
				tag("CSV", "Upload a CSV file, then start a sync run of kind csv with its upload id."),
				tag("Entra ID", "Microsoft Entra ID: set-up, admin consent and runs. Graph's change notifications "
						+ "arrive at /hooks/entra."),
				tag("Okta", "Okta: set-up, the event-hook secret and runs. Event hooks arrive at /hooks/okta."),
				tag("SCIM administration", "Turn SCIM on, make and rotate secret tokens and OAuth clients, read the "
						+ "request log."),
				tag("Single sign-on", "The company's OpenID Connect provider for people's sign-in."),
				new Tag().name("SCIM 2.0")
					.description("The SCIM 2.0 protocol (RFC 7643, RFC 7644) for identity providers that push people. "
							+ "Users become people and Groups become tags, each write going through the sync engine "
							+ "with no run. Rollcall's choices: filters on userName, externalId, emails, name and "
							+ "displayName (an attribute that cannot be filtered is a 400 invalidFilter, never an "
							+ "empty list); PATCH as Entra ID and Okta send it; ETags with If-Match; no bulk, no "
							+ "sorting beyond sortBy, no password changes; bodies as application/scim+json; errors as "
							+ "RFC 7644 errors. GET /scim/v2/ServiceProviderConfig, /Schemas and /ResourceTypes "
							+ "describe the rest.")
					.externalDocs(new ExternalDocumentation().description("RFC 7644")
						.url("https://www.rfc-editor.org/rfc/rfc7644")),
				tag("Webhook receivers", "Where identity providers tell Rollcall about changes. The receivers record "
						+ "and acknowledge at once; workers do the work."),
				tag("Operator", "On the bare base domain with the operator token: create companies."));
	}

	private static Tag tag(String name, String description) {
		return new Tag().name(name).description(description);
	}

	private static Map<String, SecurityScheme> securitySchemes() {
		Map<String, SecurityScheme> schemes = new LinkedHashMap<>();
		schemes.put(API_KEY, new SecurityScheme().type(SecurityScheme.Type.HTTP)
			.scheme("bearer")
			.bearerFormat("rk_...")
			.description("An API key of the company whose address is called: made in the console (API keys) or by "
					+ "POST /api/v1/api-keys, shown once. It works on that company's address only."));
		schemes.put(OPERATOR_TOKEN, new SecurityScheme().type(SecurityScheme.Type.HTTP)
			.scheme("bearer")
			.description("The operator token (ROLLCALL_OPERATOR_TOKEN), on the bare base domain only."));
		schemes.put(SCIM_TOKEN, new SecurityScheme().type(SecurityScheme.Type.HTTP)
			.scheme("bearer")
			.bearerFormat("rcs_...")
			.description("A SCIM secret token of the company (POST /api/v1/integrations/scim/tokens), pasted into "
					+ "the identity provider with the tenant URL {company address}/scim/v2."));
		schemes.put(SCIM_OAUTH, new SecurityScheme().type(SecurityScheme.Type.OAUTH2)
			.description("OAuth 2.0 client credentials of a SCIM client (POST /api/v1/integrations/scim/clients) buy "
					+ "one-hour bearer tokens at POST /scim/v2/token on the company's address.")
			.flows(new OAuthFlows().clientCredentials(new OAuthFlow().tokenUrl("/scim/v2/token")
				.scopes(new io.swagger.v3.oas.models.security.Scopes()))));
		schemes.put(OKTA_HOOK_SECRET, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
			.in(SecurityScheme.In.HEADER)
			.name("Authorization")
			.description("The event-hook secret of the company's Okta set-up (okta_hook_...), which Okta sends as "
					+ "the whole Authorization header."));
		return schemes;
	}

	@SuppressWarnings("rawtypes")
	private static Schema problemSchema() {
		return new ObjectSchema().description("An RFC 9457 problem: what went wrong and what to do about it.")
			.addProperty("type", new StringSchema().description("about:blank when given: the status says the kind")
				.example("about:blank"))
			.addProperty("title", new StringSchema().description("The status's reason phrase").example("Bad Request"))
			.addProperty("status", new IntegerSchema().description("The HTTP status").example(400))
			.addProperty("detail", new StringSchema().description("What went wrong and what to do, for a person")
				.example("'email' is not an e-mail address"))
			.addProperty("instance", new StringSchema().description("The path of the request")
				.example("/api/v1/people"))
			.addProperty("field", new StringSchema()
				.description("The request's field at fault, when one is: a dotted path with indexes for nested "
						+ "fields, e.g. mappings[2].transform")
				.example("email"))
			.required(List.of("title", "status", "detail"));
	}

	@SuppressWarnings("rawtypes")
	private static Schema personFieldsSchema() {
		ObjectSchema schema = new ObjectSchema();
		schema.description("A person's fields. Adding a person needs email; a change sends only the fields it changes, "
				+ "and null clears one. An unknown field is a 400 naming it.");
		for (PersonField field : PersonField.values()) {
			schema.addProperty(field.jsonName(), fieldSchema(field.kind()).nullable(true));
		}
		schema.addProperty("secondaryTeamIds", new ArraySchema().items(new UUIDSchema())
			.description("Teams besides the primary one"));
		schema.addProperty("tags", new ArraySchema().items(new StringSchema()).description("Tag names"));
		schema.addProperty("customFields", new ObjectSchema().additionalProperties(true)
			.description("Values by custom field key (GET /api/v1/custom-fields); null removes one"));
		schema.addProperty("role", new StringSchema()._enum(List.of("owner", "admin", "learner"))
			.description("Owners and admins run the console; default learner"));
		schema.addProperty("invite", new BooleanSchema()
			.description("When adding: also send the invitation e-mail (not stored)"));
		return schema;
	}

	@SuppressWarnings("rawtypes")
	private static Schema fieldSchema(PersonField.Kind kind) {
		return switch (kind) {
			case TEXT -> new StringSchema().maxLength(500);
			case EMAIL -> new StringSchema().format("email");
			case SIGN_IN_NAME -> new StringSchema().maxLength(256)
				.description("The name single sign-on knows them by when it is not their e-mail, e.g. jdoe; unique");
			case LANGUAGE -> new StringSchema().description("A language tag, e.g. en or pt-BR");
			case TIME_ZONE -> new StringSchema()
				.description("An IANA time zone, e.g. Europe/London; null follows the company's default");
			case URL -> new StringSchema().format("uri");
			case DATE -> new StringSchema().format("date");
			case PHONE -> new StringSchema().description("E.164, e.g. +442071838750");
			case TEAM -> new UUIDSchema().description("A team's id");
			case PERSON -> new UUIDSchema().description("A person's id");
		};
	}

	private static Map<String, Parameter> pagingParameters() {
		Map<String, Parameter> parameters = new LinkedHashMap<>();
		parameters.put("cursor", new Parameter().in("query")
			.name("cursor")
			.required(false)
			.description("Where the previous page ended: its nextCursor, passed back as it is. Leave it out for the "
					+ "first page. See Paging in the API description.")
			.schema(new StringSchema()));
		parameters.put("limit", new Parameter().in("query")
			.name("limit")
			.required(false)
			.description("How many items a page holds, 1 to 200.")
			.schema(new IntegerSchema().minimum(java.math.BigDecimal.ONE)
				.maximum(java.math.BigDecimal.valueOf(200))
				._default(50)
				.format("int32")));
		return parameters;
	}

	private static Map<String, ApiResponse> problemResponses() {
		Map<String, ApiResponse> responses = new LinkedHashMap<>();
		responses.put("BadRequest", problem("The request is not valid; field names the part at fault", 400,
				"Bad Request", "'email' is not an e-mail address", "email"));
		responses.put("Unauthorized", problem("No credential, or not a valid one for this address", 401,
				"Unauthorized", "Send a valid API key of this company as 'Authorization: Bearer <key>'", null));
		responses.put("Forbidden", problem("The credential may not do this here", 403, "Forbidden",
				"These credentials may not do this here", null));
		responses.put("NotFound", problem("Nothing of this company has that id (or the address names no company)", 404,
				"Not Found", "There is no person 0b7e5c1a-3f7e-4d5e-9a51-2f0c4f1d2e3b", null));
		responses.put("Conflict", problem("It clashes with what is stored (a name or e-mail already taken)", 409,
				"Conflict", "That already exists", null));
		return responses;
	}

	private static ApiResponse problem(String description, int status, String title, String detail, String field) {
		Map<String, Object> value = new LinkedHashMap<>();
		value.put("title", title);
		value.put("status", status);
		value.put("detail", detail);
		if (field != null) {
			value.put("field", field);
		}
		return new ApiResponse().description(description)
			.content(new Content().addMediaType(PROBLEM_JSON, new MediaType()
				.schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))
				.addExamples(title.replace(" ", ""), new Example().value(value))));
	}

	private static void secure(String path, PathItem.HttpMethod method, Operation operation) {
		if (path.startsWith("/api/v1/companies") || path.startsWith("/api/v1/applications")) {
			operation.setSecurity(List.of(new SecurityRequirement().addList(OPERATOR_TOKEN)));
		}
		else if (path.startsWith("/api/")) {
			operation.setSecurity(List.of(new SecurityRequirement().addList(API_KEY)));
		}
		else if (path.equals("/scim/v2/token")) {
			// Bought with client credentials in the form or in Basic authentication, answered as OAuth errors.
			operation.setSecurity(List.of());
		}
		else if (path.startsWith("/scim/")) {
			operation.setSecurity(List.of(new SecurityRequirement().addList(SCIM_TOKEN),
					new SecurityRequirement().addList(SCIM_OAUTH)));
		}
		else if (path.startsWith("/hooks/okta") && method == PathItem.HttpMethod.POST) {
			operation.setSecurity(List.of(new SecurityRequirement().addList(OKTA_HOOK_SECRET)));
		}
		else {
			// Graph's notifications carry their clientState in the body; Okta's verification carries no secret.
			operation.setSecurity(List.of());
		}
	}

	private static void describeFailures(String path, PathItem.HttpMethod method, Operation operation) {
		ApiResponses responses = operation.getResponses();
		boolean takesInput = operation.getRequestBody() != null
				|| (operation.getParameters() != null && !operation.getParameters().isEmpty());
		if (takesInput) {
			responses.putIfAbsent("400", ref("BadRequest"));
		}
		responses.putIfAbsent("401", ref("Unauthorized"));
		responses.putIfAbsent("403", ref("Forbidden"));
		if (!path.startsWith("/api/v1/companies")) {
			responses.putIfAbsent("404", ref("NotFound"));
		}
		if (method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PUT
				|| method == PathItem.HttpMethod.PATCH) {
			responses.putIfAbsent("409", ref("Conflict"));
		}
	}

	/** The RFC 7644 query parameters each SCIM list or read takes (the endpoint reads them from the request). */
	private static final Map<String, List<String>> SCIM_QUERY = Map.of(
			"scimListUsers",
			List.of("filter", "startIndex", "count", "attributes", "excludedAttributes", "sortBy", "sortOrder"),
			"scimListGroups", List.of("filter", "startIndex", "count", "attributes", "excludedAttributes"),
			"scimGetUser", List.of("attributes", "excludedAttributes"),
			"scimGetGroup", List.of("attributes", "excludedAttributes"));

	private static Parameter scimQuery(String name) {
		Parameter parameter = new Parameter().in("query").name(name);
		return switch (name) {
			case "filter" -> parameter.schema(new StringSchema())
				.description("An RFC 7644 filter, e.g. userName eq \"ann@acme.test\"");
			case "startIndex" -> parameter.schema(new IntegerSchema())
				.description("1-based index of the first result (default 1)");
			case "count" ->
				parameter.schema(new IntegerSchema()).description("Results per page, at most 1000 (default 100)");
			case "attributes" ->
				parameter.schema(new StringSchema()).description("Only these attributes (comma-separated)");
			case "excludedAttributes" -> parameter.schema(new StringSchema())
				.description("All but these attributes (comma-separated)");
			case "sortBy" -> parameter.schema(new StringSchema()).description("An attribute to sort by");
			case "sortOrder" -> parameter.schema(new StringSchema()).description("ascending (default) or descending");
			default -> throw new IllegalArgumentException("No SCIM query parameter " + name);
		};
	}

	/** SCIM bodies are read and written as text by the endpoint; their shape is RFC 7643's, named here. */
	private static void describeScim(Operation operation) {
		Schema<?> resource = new Schema<>().$ref("#/components/schemas/" + SCIM_RESOURCE);
		String id = operation.getOperationId();
		SCIM_QUERY.getOrDefault(id, List.of()).forEach(name -> operation.addParametersItem(scimQuery(name)));
		// springdoc cannot see the statuses of a ResponseEntity: creation answers 201, deletion 204 with no body.
		if (id.startsWith("scimCreate") && operation.getResponses().containsKey("200")) {
			operation.getResponses().put("201", operation.getResponses().remove("200").description("Created"));
		}
		else if (id.startsWith("scimDelete")) {
			operation.getResponses().remove("200");
			operation.getResponses().put("204", new ApiResponse().description("Deleted"));
		}
		if (operation.getRequestBody() != null) {
			operation.getRequestBody()
				.required(true)
				.content(new Content().addMediaType(SCIM_JSON, new MediaType().schema(resource)));
		}
		operation.getResponses().forEach((status, answer) -> {
			if (status.startsWith("2") && answer.getContent() != null) {
				answer.content(new Content().addMediaType(SCIM_JSON, new MediaType().schema(resource)));
			}
		});
		Content error = new Content().addMediaType(SCIM_JSON,
				new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + SCIM_ERROR)));
		ApiResponses responses = operation.getResponses();
		responses.putIfAbsent("400", new ApiResponse().description("Not valid: scimType says why (invalidFilter, "
				+ "invalidSyntax, invalidValue, ...)")
			.content(error));
		responses.putIfAbsent("401",
				new ApiResponse().description("No valid SCIM token of this company").content(error));
		responses.putIfAbsent("404", new ApiResponse().description("No such resource in this company").content(error));
		responses.putIfAbsent("429", new ApiResponse()
			.description("More requests a second than the company may send; retry after Retry-After seconds")
			.content(error));
		// Counted, and so told the limit, once the token names the company: every answer but 401.
		responses.forEach((status, answer) -> {
			if (!status.equals("401") && answer.get$ref() == null) {
				for (String name : scimRateLimitHeaders().keySet()) {
					if (!name.equals("Retry-After") || status.equals("429")) {
						answer.addHeaderObject(name, new Header().$ref("#/components/headers/" + name));
					}
				}
			}
		});
	}

	/** The per-company SCIM limit's fields ({@code scim.ScimAuthenticationFilter}), described once. */
	private static Map<String, Header> scimRateLimitHeaders() {
		Map<String, Header> headers = new LinkedHashMap<>();
		headers.put("RateLimit-Policy", new Header()
			.description("The company's SCIM limit on all nodes together, as the IETF draft "
					+ "draft-ietf-httpapi-ratelimit-headers says it: q requests a window of w seconds")
			.schema(new StringSchema().example("\"company\";q=3000;w=1")));
		headers.put("RateLimit", new Header()
			.description("What is left of the limit, as the node that answers knows it: r requests in the t seconds "
					+ "(rounded up) until the window ends")
			.schema(new StringSchema().example("\"company\";r=2841;t=1")));
		headers.put("Retry-After", new Header()
			.description("Seconds until the company may send again: what is left of the second, rounded up")
			.schema(new IntegerSchema().example(1)));
		return headers;
	}

	/** A provider's delivery to its receiver: JSON in the provider's own shape, read as bytes. */
	private static void describeDelivery(Operation operation) {
		if (operation.getRequestBody() != null) {
			operation.getRequestBody()
				.content(new Content().addMediaType("application/json", new MediaType().schema(new ObjectSchema())));
		}
	}

	private static void describeScimToken(Operation operation) {
		operation.getResponses().forEach((status, answer) -> {
			if (status.startsWith("2")) {
				answer.content(new Content().addMediaType("application/json",
						new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + SCIM_ACCESS_TOKEN))));
			}
		});
		Content error = new Content().addMediaType("application/json", new MediaType().schema(new ObjectSchema()
			.addProperty("error", new StringSchema()._enum(List.of("unsupported_grant_type", "invalid_client")))));
		operation.getResponses()
			.putIfAbsent("400", new ApiResponse().description("Not client_credentials").content(error));
		operation.getResponses()
			.putIfAbsent("401", new ApiResponse().description("Not a client of this company")
				.content(error));
	}

	@SuppressWarnings("rawtypes")
	private static Schema scimResourceSchema() {
		return new ObjectSchema()
			.description("A SCIM resource (RFC 7643): a User (core and enterprise schemas), a Group, "
					+ "a ListResponse, a PatchOp or a discovery document, as its schemas attribute says.")
			.addProperty("schemas", new ArraySchema().items(new StringSchema()))
			.additionalProperties(true)
			.required(List.of("schemas"));
	}

	@SuppressWarnings("rawtypes")
	private static Schema scimErrorSchema() {
		return new ObjectSchema().description("An RFC 7644 error.")
			.addProperty("schemas", new ArraySchema().items(new StringSchema()
				._enum(List.of("urn:ietf:params:scim:api:messages:2.0:Error"))))
			.addProperty("status", new StringSchema().example("400"))
			.addProperty("scimType", new StringSchema().example("invalidFilter"))
			.addProperty("detail", new StringSchema().example("Filtering on 'nickName' is not supported"));
	}

	@SuppressWarnings("rawtypes")
	private static Schema scimTokenRequestSchema() {
		return new ObjectSchema()
			.description("OAuth 2.0 client credentials (RFC 6749 section 4.4); the client may send "
					+ "client_id and client_secret in Basic authentication instead.")
			.addProperty("grant_type", new StringSchema()._enum(List.of("client_credentials")))
			.addProperty("client_id", new StringSchema())
			.addProperty("client_secret", new StringSchema())
			.required(List.of("grant_type"));
	}

	@SuppressWarnings("rawtypes")
	private static Schema scimAccessTokenSchema() {
		return new ObjectSchema().description("A bearer token for /scim/v2 of this company.")
			.addProperty("access_token", new StringSchema())
			.addProperty("token_type", new StringSchema()._enum(List.of("Bearer")))
			.addProperty("expires_in", new IntegerSchema().description("Seconds: 3600"));
	}

	private static ApiResponse ref(String name) {
		return new ApiResponse().$ref("#/components/responses/" + name);
	}

	/** A list read by cursor names the one description of paging instead of its own. */
	private static void referencePaging(Operation operation) {
		List<Parameter> parameters = operation.getParameters();
		if (parameters == null || parameters.stream().noneMatch(p -> "cursor".equals(p.getName()))) {
			return;
		}
		List<Parameter> referenced = new ArrayList<>();
		for (Parameter parameter : parameters) {
			if ("cursor".equals(parameter.getName()) || "limit".equals(parameter.getName())) {
				referenced.add(new Parameter().$ref("#/components/parameters/" + parameter.getName()));
			}
			else {
				referenced.add(parameter);
			}
		}
		operation.setParameters(referenced);
	}

	private static void addExamples(Operation operation, Map<String, JsonNode> examples) {
		String id = operation.getOperationId();
		JsonNode request = examples.get(id + ".request");
		if (request != null && operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
			operation.getRequestBody().getContent().values().forEach(media -> media.setExample(plain(request)));
		}
		JsonNode response = examples.get(id + ".response");
		if (response != null) {
			operation.getResponses().forEach((status, answer) -> {
				if (status.startsWith("2") && answer.getContent() != null) {
					answer.getContent().values().forEach(media -> media.setExample(plain(response)));
				}
			});
		}
	}

	/** swagger-core writes plain maps and lists as JSON; a Jackson 3 tree it would not know. */
	private static Object plain(JsonNode node) {
		return JSON.convertValue(node, Object.class);
	}

	private static Map<String, JsonNode> examples() {
		Map<String, JsonNode> examples = new LinkedHashMap<>();
		try {
			for (Resource resource : new PathMatchingResourcePatternResolver()
				.getResources("classpath:apidocs/examples/*.json")) {
				String name = resource.getFilename();
				try (InputStream in = resource.getInputStream()) {
					examples.put(name.substring(0, name.length() - ".json".length()), JSON.readTree(in));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return examples;
	}

	private static String text(String path) {
		try (InputStream in = new ClassPathResource(path).getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
