package io.rollcall.scim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;

import io.rollcall.company.Company;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The SCIM 2.0 protocol (RFC 7644) at {@code /scim/v2}: Users, Groups and the discovery documents. Bodies are read
 * as text and answered as {@code application/scim+json}, whichever of it or {@code application/json} the client
 * sends; every failure is an RFC 7644 error, and no client input leads to a 500. Users and Groups reach these methods
 * through {@link ScimEndpointFilter}, without MVC's dispatch; the mappings serve the rest and the documentation.
 */
// The query parameters lists and reads share (filter, paging, attributes) are described once, in ApiDocumentation.
@Tag(name = "SCIM 2.0")
@Controller
// Answers are ResponseEntity either way; the mark is what makes springdoc describe this controller.
@ResponseBody
@RequestMapping("/scim/v2")
class ScimEndpoint {

	static final String SCIM_JSON = "application/scim+json";

	static final String LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

	static final int MAX_BODY = 1_000_000;

	static final int MAX_COUNT = 1000;

	/** Writes the answers' JSON as the nodes hold it (compact, in their order), as {@code JsonNode.toString} did. */
	private static final JsonMapper ANSWERS = JsonMapper.builder().build();

	private static final Logger log = LoggerFactory.getLogger(ScimEndpoint.class);

	private final ScimUsers users;

	private final ScimGroups groups;

	private final ScimAdministration administration;

	private final ScimTokens tokens;

	private final ScimRequestLog requestLog;

	private final ObjectMapper json;

	ScimEndpoint(ScimUsers users, ScimGroups groups, ScimAdministration administration, ScimTokens tokens,
			ScimRequestLog requestLog, ObjectMapper json) {
		this.users = users;
		this.groups = groups;
		this.administration = administration;
		this.tokens = tokens;
		this.requestLog = requestLog;
		this.json = json;
	}

	@GetMapping("/Users")
	@Operation(operationId = "scimListUsers", summary = "List or find users",
			description = "An RFC 7644 ListResponse. Filters on the attributes Rollcall stores (id, userName, externalId, "
					+ "emails, active, displayName, name.givenName, name.familyName, title, department, employeeNumber, "
					+ "phoneNumbers, addresses, manager, meta.created, meta.lastModified) are answered by the database; any "
					+ "other attribute is a 400 invalidFilter, never an empty list.")
	ResponseEntity<byte[]> listUsers(Company company, HttpServletRequest request) {
		return handle(request, null, () -> {
			Paging paging = Paging.of(request);
			ScimUsers.Listing listing = this.users.list(company.id(), request.getParameter("filter"),
					request.getParameter("sortBy"), "descending".equalsIgnoreCase(request.getParameter("sortOrder")),
					paging.startIndex(), paging.count(), base(company));
			return ok(listResponse(listing, paging, request));
		});
	}

	@GetMapping("/Users/{id}")
	@Operation(operationId = "scimGetUser", summary = "Read a user",
			description = "If-None-Match with the user's version answers 304.")
	ResponseEntity<byte[]> getUser(Company company, @PathVariable String id, HttpServletRequest request) {
		return handle(request, null, () -> {
			ObjectNode user = this.users.get(company.id(), userId(id), base(company));
			String version = user.path("meta").path("version").asString();
			if (version.equals(request.getHeader(HttpHeaders.IF_NONE_MATCH))) {
				return ResponseEntity.status(304).eTag(version).build();
			}
			return ok(project(user, request));
		});
	}

	@PostMapping("/Users")
	@Operation(operationId = "scimCreateUser", summary = "Create a user",
			description = "The user becomes a person through the sync engine: matched by externalId, else by e-mail (which "
					+ "links an existing person, or brings back a user deleted before), else created. userName is any name "
					+ "(jdoe, or an e-mail) and becomes the person's sign-in name; the e-mail is the primary of emails, else the "
					+ "work one, else the first, else the userName when it is an e-mail. The core and enterprise user schemas "
					+ "are read; the enterprise manager becomes the person's manager when the SCIM settings say so.")
	ResponseEntity<byte[]> createUser(Company company, @RequestBody(required = false) String body, Actor actor,
			HttpServletRequest request) {
		return handle(request, body, () -> {
			ObjectNode user = this.users.create(company.id(), read(body), actor, base(company));
			return created(user);
		});
	}

	@PutMapping("/Users/{id}")
	@Operation(operationId = "scimReplaceUser", summary = "Replace a user",
			description = "If-Match with the user's version guards against lost updates (412 when it changed).")
	ResponseEntity<byte[]> replaceUser(Company company, @PathVariable String id,
			@RequestBody(required = false) String body,
			@RequestHeader(value = "If-Match", required = false) String ifMatch,
			Actor actor, HttpServletRequest request) {
		return handle(request, body, () -> {
			UUID userId = userId(id);
			JsonNode document = read(body);
			requireMatch(ifMatch, () -> this.users.get(company.id(), userId, base(company)));
			return ok(this.users.replace(company.id(), userId, document, actor, base(company)));
		});
	}

	@PatchMapping("/Users/{id}")
	@Operation(operationId = "scimPatchUser", summary = "Change a user",
			description = "RFC 7644 PATCH operations (add, replace, remove), including the forms Entra ID and Okta send: "
					+ "capitalised op names, \"True\"/\"False\" strings for booleans, the manager as a bare string, path-less "
					+ "add and replace with dotted or URN-qualified keys.")
	ResponseEntity<byte[]> patchUser(Company company, @PathVariable String id,
			@RequestBody(required = false) String body,
			@RequestHeader(value = "If-Match", required = false) String ifMatch,
			Actor actor, HttpServletRequest request) {
		return handle(request, body, () -> {
			UUID userId = userId(id);
			List<ScimPatch.Operation> operations = ScimPatch.parse(read(body));
			requireMatch(ifMatch, () -> this.users.get(company.id(), userId, base(company)));
			return ok(this.users.patch(company.id(), userId, operations, actor, base(company)));
		});
	}

	@DeleteMapping("/Users/{id}")
	@Operation(operationId = "scimDeleteUser", summary = "Delete a user",
			description = "Deactivates the person, or deletes them when the company's SCIM deleteMode is delete. Either way "
					+ "the user then answers 404 and leaves lists (RFC 7644 3.6); a deactivated person keeps their data.")
	ResponseEntity<byte[]> deleteUser(Company company, @PathVariable String id,
			@RequestHeader(value = "If-Match", required = false) String ifMatch, Actor actor,
			HttpServletRequest request) {
		return handle(request, null, () -> {
			UUID userId = userId(id);
			requireMatch(ifMatch, () -> this.users.get(company.id(), userId, base(company)));
			this.users.delete(company.id(), userId, actor);
			return ResponseEntity.noContent().build();
		});
	}

	@GetMapping("/Groups")
	@Operation(operationId = "scimListGroups", summary = "List or find groups",
			description = "Groups are the company's tags. Members are left out when excludedAttributes=members.")
	ResponseEntity<byte[]> listGroups(Company company, HttpServletRequest request) {
		return handle(request, null, () -> {
			Paging paging = Paging.of(request);
			ScimUsers.Listing listing = this.groups.list(company.id(), request.getParameter("filter"),
					paging.startIndex(),
					paging.count(), wantsMembers(request), base(company));
			return ok(listResponse(listing, paging, request));
		});
	}

	@GetMapping("/Groups/{id}")
	@Operation(operationId = "scimGetGroup", summary = "Read a group")
	ResponseEntity<byte[]> getGroup(Company company, @PathVariable String id, HttpServletRequest request) {
		return handle(request, null, () -> ok(project(
				this.groups.get(company.id(), groupId(id), wantsMembers(request), base(company)), request)));
	}

	@PostMapping("/Groups")
	@Operation(operationId = "scimCreateGroup", summary = "Create a group",
			description = "A new tag; a numbered suffix is added when its name is taken.")
	ResponseEntity<byte[]> createGroup(Company company, @RequestBody(required = false) String body, Actor actor,
			HttpServletRequest request) {
		return handle(request, body, () -> created(this.groups.create(company.id(), read(body), actor, base(company))));
	}

	@PutMapping("/Groups/{id}")
	@Operation(operationId = "scimReplaceGroup", summary = "Replace a group")
	ResponseEntity<byte[]> replaceGroup(Company company, @PathVariable String id,
			@RequestBody(required = false) String body,
			@RequestHeader(value = "If-Match", required = false) String ifMatch,
			Actor actor, HttpServletRequest request) {
		return handle(request, body, () -> {
			UUID groupId = groupId(id);
			JsonNode document = read(body);
			requireMatch(ifMatch, () -> this.groups.get(company.id(), groupId, false, base(company)));
			return ok(this.groups.replace(company.id(), groupId, document, actor, base(company)));
		});
	}

	/** Answers 204, as Entra expects, unless the client asks for the group back with {@code attributes}. */
	@PatchMapping("/Groups/{id}")
	@Operation(operationId = "scimPatchGroup", summary = "Change a group",
			description = "Adds or removes members, renames the group; each operation is one statement, so adding one member to "
					+ "a large group stays quick. Answers 204, unless attributes asks for the group back.")
	@Parameter(name = "attributes", in = ParameterIn.QUERY, schema = @Schema(type = "string"),
			description = "Answer the group with these attributes instead of 204")
	ResponseEntity<byte[]> patchGroup(Company company, @PathVariable String id,
			@RequestBody(required = false) String body,
			@RequestHeader(value = "If-Match", required = false) String ifMatch,
			Actor actor, HttpServletRequest request) {
		return handle(request, body, () -> {
			UUID groupId = groupId(id);
			List<ScimPatch.Operation> operations = ScimPatch.parse(read(body));
			requireMatch(ifMatch, () -> this.groups.get(company.id(), groupId, false, base(company)));
			this.groups.patch(company.id(), groupId, operations, actor);
			if (request.getParameter("attributes") != null) {
				return ok(
						project(this.groups.get(company.id(), groupId, wantsMembers(request), base(company)), request));
			}
			return ResponseEntity.noContent().build();
		});
	}

	@DeleteMapping("/Groups/{id}")
	@Operation(operationId = "scimDeleteGroup", summary = "Delete a group",
			description = "Removes the tag from everyone who has it.")
	ResponseEntity<byte[]> deleteGroup(Company company, @PathVariable String id,
			@RequestHeader(value = "If-Match", required = false) String ifMatch, Actor actor,
			HttpServletRequest request) {
		return handle(request, null, () -> {
			UUID groupId = groupId(id);
			requireMatch(ifMatch, () -> this.groups.get(company.id(), groupId, false, base(company)));
			this.groups.delete(company.id(), groupId, actor);
			return ResponseEntity.noContent().build();
		});
	}

	/** OAuth 2.0 client credentials grant (RFC 6749 4.4): credentials in the form or in Basic authentication. */
	@PostMapping("/token")
	@Operation(operationId = "scimToken", summary = "Buy an access token with client credentials",
			description = "OAuth 2.0 client credentials grant (RFC 6749 section 4.4): grant_type=client_credentials with "
					+ "client_id and client_secret in the form or in Basic authentication. Answers a one-hour bearer token "
					+ "for /scim/v2, or an OAuth error (unsupported_grant_type 400, invalid_client 401).")
	@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
			mediaType = "application/x-www-form-urlencoded",
			schema = @Schema(ref = "#/components/schemas/ScimTokenRequest")))
	ResponseEntity<byte[]> token(Company company, HttpServletRequest request) {
		String clientId = request.getParameter("client_id");
		String secret = request.getParameter("client_secret");
		String basic = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
			try {
				String decoded = new String(java.util.Base64.getDecoder().decode(basic.substring(6).strip()),
						java.nio.charset.StandardCharsets.UTF_8);
				int colon = decoded.indexOf(':');
				if (colon > 0) {
					clientId = java.net.URLDecoder.decode(decoded.substring(0, colon),
							java.nio.charset.StandardCharsets.UTF_8);
					secret = java.net.URLDecoder.decode(decoded.substring(colon + 1),
							java.nio.charset.StandardCharsets.UTF_8);
				}
			}
			catch (IllegalArgumentException ex) {
				// unreadable Basic credentials: treated as none
			}
		}
		ObjectNode answer = ScimJson.NODES.objectNode();
		if (!"client_credentials".equals(request.getParameter("grant_type"))) {
			answer.put("error", "unsupported_grant_type");
			return ResponseEntity.badRequest()
				.header(HttpHeaders.CACHE_CONTROL, "no-store")
				.contentType(org.springframework.http.MediaType.APPLICATION_JSON)
				.body(bytes(answer));
		}
		var token = this.tokens.issueAccessToken(company.id(), clientId, secret);
		if (token.isEmpty()) {
			request.setAttribute(ScimRequestLogFilter.DETAIL, "client credentials refused");
			answer.put("error", "invalid_client");
			return ResponseEntity.status(401)
				.header(HttpHeaders.CACHE_CONTROL, "no-store")
				.contentType(org.springframework.http.MediaType.APPLICATION_JSON)
				.body(bytes(answer));
		}
		answer.put("access_token", token.get());
		answer.put("token_type", "Bearer");
		answer.put("expires_in", ScimTokens.ACCESS_TOKEN_LIFETIME.toSeconds());
		return ResponseEntity.ok()
			.header(HttpHeaders.CACHE_CONTROL, "no-store")
			.contentType(org.springframework.http.MediaType.APPLICATION_JSON)
			.body(bytes(answer));
	}

	@GetMapping("/ServiceProviderConfig")
	@Operation(operationId = "scimServiceProviderConfig", summary = "What this SCIM server supports",
			description = "PATCH, filter (up to 1000 results), ETags and sorting; no bulk, no password change.")
	ResponseEntity<byte[]> serviceProviderConfig(HttpServletRequest request) {
		return handle(request, null, () -> ok(ScimDiscovery.serviceProviderConfig()));
	}

	@GetMapping("/ResourceTypes")
	@Operation(operationId = "scimListResourceTypes", summary = "List resource types",
			description = "User and Group.")
	ResponseEntity<byte[]> resourceTypes(Company company, HttpServletRequest request) {
		return handle(request, null, () -> ok(ScimDiscovery.list(ScimDiscovery.resourceTypes(base(company)))));
	}

	@GetMapping("/ResourceTypes/{name}")
	@Operation(operationId = "scimGetResourceType", summary = "Read a resource type")
	ResponseEntity<byte[]> resourceType(Company company, @PathVariable String name, HttpServletRequest request) {
		return handle(request, null, () -> ok(find(ScimDiscovery.resourceTypes(base(company)), "name", name)));
	}

	@GetMapping("/Schemas")
	@Operation(operationId = "scimListSchemas", summary = "List schemas",
			description = "The core user, enterprise user and group schemas.")
	ResponseEntity<byte[]> schemas(HttpServletRequest request) {
		return handle(request, null, () -> ok(ScimDiscovery.list(ScimDiscovery.schemas())));
	}

	@GetMapping("/Schemas/{id}")
	@Operation(operationId = "scimGetSchema", summary = "Read a schema")
	ResponseEntity<byte[]> schema(@PathVariable String id, HttpServletRequest request) {
		return handle(request, null, () -> ok(find(ScimDiscovery.schemas(), "id", id)));
	}

	private static ObjectNode find(List<ObjectNode> nodes, String key, String value) {
		return nodes.stream()
			.filter(n -> n.path(key).asString().equalsIgnoreCase(value))
			.findFirst()
			.orElseThrow(() -> ScimException.notFound(value + " not found"));
	}

	/** Runs the request, turning every failure into an RFC 7644 error the request log explains. */
	private ResponseEntity<byte[]> handle(HttpServletRequest request, String body,
			Supplier<ResponseEntity<byte[]>> work) {
		try {
			if (body != null && body.length() > MAX_BODY) {
				throw new ScimException(413, null, "The body is larger than " + MAX_BODY + " characters");
			}
			return work.get();
		}
		catch (ScimException ex) {
			return error(request, body, ex.status(), ex.scimType(), ex.getMessage());
		}
		catch (RequestRejectedException ex) {
			int status = ex.status().value();
			return error(request, body, status, status == 409 ? "uniqueness" : status == 400 ? "invalidValue" : null,
					ex.getMessage());
		}
		catch (DuplicateKeyException ex) {
			return error(request, body, 409, "uniqueness", "Another resource already has this userName or externalId");
		}
		catch (org.springframework.dao.DataIntegrityViolationException ex) {
			return error(request, body, 400, "invalidValue", "A value of the request cannot be stored");
		}
		catch (org.springframework.dao.PessimisticLockingFailureException ex) {
			return error(request, body, 409, null, "The resource was being changed by another request; send it again");
		}
		catch (RuntimeException ex) {
			log.error("SCIM request {} {} failed", request.getMethod(), request.getRequestURI(), ex);
			return error(request, body, 500, null,
					"The request could not be completed (" + ex.getClass().getSimpleName()
							+ "); tell the operator if this keeps happening");
		}
	}

	private ResponseEntity<byte[]> error(HttpServletRequest request, String body, int status, String scimType,
			String detail) {
		request.setAttribute(ScimRequestLogFilter.DETAIL, detail);
		request.setAttribute(ScimRequestLogFilter.BODY, body);
		return ResponseEntity.status(status)
			.header(HttpHeaders.CONTENT_TYPE, SCIM_JSON)
			.body(bytes(ScimJson.error(status, scimType, detail)));
	}

	private JsonNode read(String body) {
		if (body == null || body.isBlank()) {
			throw ScimException.invalidSyntax("The request needs a JSON body");
		}
		// PostgreSQL text cannot hold NUL; nothing legitimate sends it.
		if (body.indexOf('\0') >= 0 || body.contains("\\u0000")) {
			throw ScimException
				.invalidValue("The body contains a NUL character (\\u0000), which no attribute can hold");
		}
		try {
			return this.json.readTree(body);
		}
		catch (JacksonException ex) {
			throw ScimException.invalidSyntax("The body is not valid JSON: " + ex.getOriginalMessage());
		}
	}

	private static void requireMatch(String ifMatch, Supplier<ObjectNode> current) {
		if (ifMatch == null || ifMatch.isBlank()) {
			return;
		}
		String version = current.get().path("meta").path("version").asString();
		boolean matches = ifMatch.strip().equals("*");
		for (String tag : ifMatch.split(",")) {
			String candidate = tag.strip();
			matches |= candidate.equals(version) || ("W/" + candidate).equals(version);
		}
		if (!matches) {
			throw new ScimException(412, null, "The resource changed since version " + ifMatch
					+ "; read it again (it is now " + version + ")");
		}
	}

	private static UUID userId(String id) {
		try {
			return UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			throw ScimException.notFound("User " + id + " not found");
		}
	}

	private static UUID groupId(String id) {
		try {
			return UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			throw ScimException.notFound("Group " + id + " not found");
		}
	}

	private String base(Company company) {
		return this.administration.tenantUrl(company);
	}

	private static boolean wantsMembers(HttpServletRequest request) {
		String excluded = request.getParameter("excludedAttributes");
		if (excluded != null && List.of(excluded.toLowerCase(Locale.ROOT).split(","))
			.stream()
			.map(String::strip)
			.anyMatch(a -> a.equals("members")
					|| a.equals(ScimFilterSql.CORE_GROUP.toLowerCase(Locale.ROOT) + ":members"))) {
			return false;
		}
		String attributes = request.getParameter("attributes");
		return attributes == null || attributes.toLowerCase(Locale.ROOT).contains("members");
	}

	record Paging(int startIndex, int count) {

		static Paging of(HttpServletRequest request) {
			int startIndex = integer(request, "startIndex", 1);
			int count = integer(request, "count", 100);
			return new Paging(Math.max(1, startIndex), Math.clamp(count, 0, MAX_COUNT));
		}

		private static int integer(HttpServletRequest request, String name, int fallback) {
			String value = request.getParameter(name);
			if (value == null || value.isBlank()) {
				return fallback;
			}
			try {
				return Integer.parseInt(value.strip());
			}
			catch (NumberFormatException ex) {
				throw ScimException.invalidValue("'" + name + "' must be a whole number, not '" + value + "'");
			}
		}

	}

	private ObjectNode listResponse(ScimUsers.Listing listing, Paging paging, HttpServletRequest request) {
		ObjectNode list = ScimJson.NODES.objectNode();
		list.putArray("schemas").add(LIST_RESPONSE);
		list.put("totalResults", listing.total());
		list.put("startIndex", paging.startIndex());
		list.put("itemsPerPage", listing.resources().size());
		ArrayNode resources = list.putArray("Resources");
		for (ObjectNode resource : listing.resources()) {
			resources.add(project(resource, request));
		}
		return list;
	}

	/** {@code attributes} keeps only the named attributes (and id, schemas); {@code excludedAttributes} drops some. */
	static ObjectNode project(ObjectNode resource, HttpServletRequest request) {
		String attributes = request.getParameter("attributes");
		String excluded = request.getParameter("excludedAttributes");
		if ((attributes == null || attributes.isBlank()) && (excluded == null || excluded.isBlank())) {
			return resource;
		}
		ObjectNode projected = resource.deepCopy();
		if (attributes != null && !attributes.isBlank()) {
			List<String> wanted = names(attributes);
			for (String key : new ArrayList<>(projected.propertyNames())) {
				String lower = key.toLowerCase(Locale.ROOT);
				if (lower.equals("id") || lower.equals("schemas")) {
					continue;
				}
				boolean whole = wanted.contains(lower);
				List<String> subs = wanted.stream()
					.filter(w -> w.startsWith(lower + "."))
					.map(w -> w.substring(lower.length() + 1))
					.toList();
				if (whole) {
					continue;
				}
				if (subs.isEmpty()) {
					projected.remove(key);
				}
				else if (projected.get(key).isObject()) {
					ObjectNode child = (ObjectNode) projected.get(key);
					for (String sub : new ArrayList<>(child.propertyNames())) {
						if (!subs.contains(sub.toLowerCase(Locale.ROOT))) {
							child.remove(sub);
						}
					}
				}
			}
		}
		if (excluded != null && !excluded.isBlank()) {
			for (String name : names(excluded)) {
				int dot = name.lastIndexOf('.');
				String top = dot < 0 ? name : name.substring(0, dot);
				String key = ScimJson.key(projected, top);
				if (dot < 0 && key != null && !name.equals("id") && !name.equals("schemas")) {
					projected.remove(key);
				}
				else if (dot >= 0 && key != null && projected.get(key).isObject()) {
					ScimJson.remove((ObjectNode) projected.get(key), name.substring(dot + 1));
				}
			}
		}
		return projected;
	}

	/** Attribute names in lower case, the enterprise ones as {@code urn...:user.department}. */
	private static List<String> names(String list) {
		List<String> names = new ArrayList<>();
		for (String raw : list.split(",")) {
			String name = raw.strip().toLowerCase(Locale.ROOT);
			for (String urn : List.of(ScimFilterSql.ENTERPRISE_USER, ScimFilterSql.CORE_USER,
					ScimFilterSql.CORE_GROUP)) {
				String prefix = urn.toLowerCase(Locale.ROOT) + ":";
				if (name.startsWith(prefix)) {
					name = urn.equals(ScimFilterSql.ENTERPRISE_USER)
							? urn.toLowerCase(Locale.ROOT) + "." + name.substring(prefix.length())
							: name.substring(prefix.length());
				}
			}
			if (!name.isEmpty()) {
				names.add(name);
			}
		}
		return names;
	}

	/**
	 * An answer's bytes, written once: a {@code String} body was encoded twice more by Spring's converter (once for its
	 * length, once to write it), a tenth of the framework's CPU a SCIM request (bench/RESULTS.md, 2026-12-06,
	 * fourteenth session).
	 */
	private static byte[] bytes(JsonNode answer) {
		return ANSWERS.writeValueAsBytes(answer);
	}

	private static ResponseEntity<byte[]> ok(ObjectNode body) {
		ResponseEntity.BodyBuilder builder = ResponseEntity.ok().header(HttpHeaders.CONTENT_TYPE, SCIM_JSON);
		String version = body.path("meta").path("version").asString("");
		if (!version.isEmpty()) {
			builder.eTag(version);
		}
		return builder.body(bytes(body));
	}

	private static ResponseEntity<byte[]> created(ObjectNode body) {
		return ResponseEntity.status(201)
			.header(HttpHeaders.CONTENT_TYPE, SCIM_JSON)
			.header(HttpHeaders.LOCATION, body.path("meta").path("location").asString())
			.eTag(body.path("meta").path("version").asString())
			.body(bytes(body));
	}

}
