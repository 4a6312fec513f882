package io.rollcall.identityprovider;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataRetrievalFailureException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationResponseType;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.core.OAuth2DeviceCode;
import org.springframework.security.oauth2.core.OAuth2UserCode;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.util.StringUtils;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * An authorization as the columns of Spring Authorization Server's {@code oauth2_authorization} row, in a compact
 * JSON of Rollcall's own instead of the store's polymorphic one. Reading that polymorphic JSON back (every attribute,
 * every token's claims, each value with its Java class) was a quarter of the token endpoint's CPU, and its rows of
 * about 3 KB were compressed by PostgreSQL on every save. Here a row is about half that size:
 * <ul>
 * <li>the attributes Rollcall's authorizations hold (the company, the person, the principal as an id and its
 * authorities, the authorization request) by name, without class names;</li>
 * <li>each token's metadata as plain JSON; the few value types JSON has no word for (instants, dates, URLs, sets,
 * longs) marked by a one-key object such as {@code {"@instant": "…"}};</li>
 * <li>an ID token's claims cut to those Spring Authorization Server reads back (audience and session for the
 * end-session endpoint, {@code sid} and {@code auth_time} for a refreshed ID token): the person's profile claims are
 * made anew for every token and every userinfo answer ({@link PersonClaims}), never read from the store;</li>
 * <li>an access token's claims cut to its DPoP binding: the rest are its JWT's payload, read from the token itself
 * when it is introspected.</li>
 * </ul>
 * An authorization with anything else in it (an attribute or a value this format has no word for) is written, and
 * read, in the store's own JSON, as are rows saved before this format: nothing is lost, it is only slower.
 */
final class AuthorizationColumns {

	/** Opens every compact attributes column: how a row in this format is told from one in the store's JSON. */
	static final String FORMAT = "{\"format\":\"rollcall-1\"";

	/** The ID token claims kept in the store: the registered claims of OpenID Connect Core §2, and {@code sid}. */
	private static final Set<String> ID_TOKEN_CLAIMS = Set.of(IdTokenClaimNames.ISS, IdTokenClaimNames.SUB,
			IdTokenClaimNames.AUD, IdTokenClaimNames.EXP, IdTokenClaimNames.IAT, IdTokenClaimNames.AUTH_TIME,
			IdTokenClaimNames.NONCE, IdTokenClaimNames.ACR, IdTokenClaimNames.AMR, IdTokenClaimNames.AZP,
			IdTokenClaimNames.AT_HASH, IdTokenClaimNames.C_HASH, "sid", "jti");

	/**
	 * The access token claims kept in the store: its DPoP binding ({@code cnf}, which a public client's refresh is
	 * checked against). The rest are the signed JWT's payload, which the application holds and presents: written
	 * with every token request (a quarter of the token row, and of its WAL) for the one reader of them, introspection,
	 * they are read back from the token presented there ({@link HashedTokenAuthorizations}).
	 */
	private static final Set<String> ACCESS_TOKEN_CLAIMS = Set.of("cnf");

	/** Metadata keys written short: each token's row would otherwise spell out a Java package or two. */
	private static final Map<String, String> SHORT_KEYS = Map.of(OAuth2Authorization.Token.CLAIMS_METADATA_NAME,
			"claims",
			OAuth2Authorization.Token.INVALIDATED_METADATA_NAME, "invalidated", OAuth2TokenFormat.class.getName(),
			"tokenFormat");

	private static final Map<String, String> LONG_KEYS = SHORT_KEYS.entrySet()
		.stream()
		.collect(java.util.stream.Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey));

	/** The attribute names Spring Authorization Server gives them (class names, spelt out to be switch labels). */
	private static final String REQUEST = "org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest";

	private static final String PRINCIPAL = "java.security.Principal";

	/** Request attributes holding what this request read of an authorization ({@link Read}), by its id. */
	private static final String READ = AuthorizationColumns.class.getName() + ".read.";

	/** An authorization's client, person and attributes as read, with the attributes column they were read from. */
	private record Read(String clientId, String principalName, Map<String, Object> attributes, String column) {
	}

	private final JsonMapper json = JsonMapper.builder().build();

	private final RegisteredClientRepository clients;

	private final RowMapper<OAuth2Authorization> storeRows;

	private final Function<OAuth2Authorization, List<SqlParameterValue>> storeParameters;

	/**
	 * @param storeRows the store's own row mapper, for rows in its JSON
	 * @param storeParameters the store's own parameters mapper, for authorizations this format cannot hold
	 */
	AuthorizationColumns(RegisteredClientRepository clients, RowMapper<OAuth2Authorization> storeRows,
			Function<OAuth2Authorization, List<SqlParameterValue>> storeParameters) {
		this.clients = clients;
		this.storeRows = storeRows;
		this.storeParameters = storeParameters;
	}

	RowMapper<OAuth2Authorization> rows() {
		return this::read;
	}

	Function<OAuth2Authorization, List<SqlParameterValue>> parameters() {
		return this::write;
	}

	/** Thrown while writing when a value has no word in this format: the authorization goes in the store's JSON. */
	private static final class NotCompact extends RuntimeException {

		NotCompact(String what) {
			super(what, null, false, false);
		}

	}

	// --- writing

	private List<SqlParameterValue> write(OAuth2Authorization authorization) {
		if (authorization.getToken(OAuth2UserCode.class) != null
				|| authorization.getToken(OAuth2DeviceCode.class) != null) {
			return this.storeParameters.apply(authorization);
		}
		String attributes = asRead(authorization);
		if (attributes == null) {
			try {
				RegisteredClient client = this.clients.findById(authorization.getRegisteredClientId());
				if (client == null) {
					throw new NotCompact("client");
				}
				attributes = attributes(authorization.getAttributes(), client.getClientId(),
						authorization.getPrincipalName());
			}
			catch (NotCompact unusual) {
				return this.storeParameters.apply(authorization);
			}
		}
		List<SqlParameterValue> parameters = new ArrayList<>(33);
		parameters.add(text(authorization.getId()));
		parameters.add(text(authorization.getRegisteredClientId()));
		parameters.add(text(authorization.getPrincipalName()));
		parameters.add(text(authorization.getAuthorizationGrantType().getValue()));
		parameters.add(text(joined(authorization.getAuthorizedScopes())));
		parameters.add(text(attributes));
		String state = authorization.getAttribute(OAuth2ParameterNames.STATE);
		parameters.add(text(StringUtils.hasText(state) ? state : null));
		try {
			token(parameters, authorization.getToken(OAuth2AuthorizationCode.class), null);
			OAuth2Authorization.Token<OAuth2AccessToken> access = authorization.getAccessToken();
			token(parameters, access, ACCESS_TOKEN_CLAIMS);
			parameters.add(text(access == null ? null : access.getToken().getTokenType().getValue()));
			parameters.add(text(access == null ? null : joined(access.getToken().getScopes())));
			token(parameters, authorization.getToken(OidcIdToken.class), ID_TOKEN_CLAIMS);
			token(parameters, authorization.getRefreshToken(), null);
		}
		catch (NotCompact unusual) {
			return this.storeParameters.apply(authorization);
		}
		// The user and device codes of the device grant, which no application is registered for.
		for (int i = 0; i < 8; i++) {
			parameters.add(i % 4 == 1 || i % 4 == 2 ? new SqlParameterValue(Types.TIMESTAMP, null) : text(null));
		}
		return parameters;
	}

	private String attributes(Map<String, Object> attributes, String clientId, String principalName) {
		Map<String, Object> compact = new LinkedHashMap<>();
		compact.put("format", "rollcall-1");
		for (Map.Entry<String, Object> attribute : attributes.entrySet()) {
			Object value = attribute.getValue();
			switch (attribute.getKey()) {
				case CompanyAuthorizations.COMPANY, CompanyAuthorizations.PERSON, OAuth2ParameterNames.STATE -> {
					if (!(value instanceof String)) {
						throw new NotCompact(attribute.getKey());
					}
					compact.put(shortName(attribute.getKey()), value);
				}
				case REQUEST -> compact.put("request", request((OAuth2AuthorizationRequest) value, clientId));
				case PRINCIPAL -> compact.put("principal", principal(value, principalName));
				default -> throw new NotCompact(attribute.getKey());
			}
		}
		return this.json.writeValueAsString(compact);
	}

	private static Map<String, Object> request(OAuth2AuthorizationRequest request, String clientId) {
		if (!OAuth2AuthorizationResponseType.CODE.equals(request.getResponseType())
				|| !request.getAttributes().isEmpty()
				|| !clientId.equals(request.getClientId())
				|| !request.getAdditionalParameters().values().stream().allMatch(String.class::isInstance)) {
			throw new NotCompact("authorization request");
		}
		Map<String, Object> compact = new LinkedHashMap<>();
		// Not its client id: the registration's, read back from the row's client.
		compact.put("authorizationUri", request.getAuthorizationUri());
		compact.put("redirectUri", request.getRedirectUri());
		compact.put("scopes", List.copyOf(request.getScopes()));
		compact.put("state", request.getState());
		// Not its request URI (a fifth of the row): made again from the rest when read, and read by nobody after
		// the code was issued.
		compact.put("additionalParameters", request.getAdditionalParameters());
		return compact;
	}

	/**
	 * The principal as CompanyAuthorizations keeps it: the person's id (the authorization's principal name) and plain
	 * authorities, nothing else.
	 */
	private static Map<String, Object> principal(Object value, String principalName) {
		if (!(value instanceof UsernamePasswordAuthenticationToken principal) || !principal.isAuthenticated()
				|| !principalName.equals(principal.getPrincipal()) || principal.getCredentials() != null
				|| principal.getDetails() != null) {
			throw new NotCompact("principal");
		}
		List<String> authorities = new ArrayList<>();
		for (GrantedAuthority authority : principal.getAuthorities()) {
			if (authority.getClass() != SimpleGrantedAuthority.class) {
				throw new NotCompact("authority " + authority.getClass().getName());
			}
			authorities.add(authority.getAuthority());
		}
		return Map.of("authorities", authorities);
	}

	/** @param kept the claims kept of the token's, or null for all (a token without claims) */
	private void token(List<SqlParameterValue> parameters, OAuth2Authorization.Token<?> token, Set<String> kept) {
		if (token == null) {
			parameters.add(text(null));
			parameters.add(new SqlParameterValue(Types.TIMESTAMP, null));
			parameters.add(new SqlParameterValue(Types.TIMESTAMP, null));
			parameters.add(text(null));
			return;
		}
		OAuth2Token value = token.getToken();
		parameters.add(text(value.getTokenValue()));
		parameters.add(new SqlParameterValue(Types.TIMESTAMP, timestamp(value.getIssuedAt())));
		parameters.add(new SqlParameterValue(Types.TIMESTAMP, timestamp(value.getExpiresAt())));
		Map<String, Object> metadata = new LinkedHashMap<>(token.getMetadata());
		if (kept != null && metadata.get(OAuth2Authorization.Token.CLAIMS_METADATA_NAME) instanceof Map<?, ?> claims) {
			Map<Object, Object> written = new LinkedHashMap<>(claims);
			written.keySet().retainAll(kept);
			metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, written);
		}
		Map<String, Object> written = new LinkedHashMap<>();
		metadata.forEach((key, entry) -> {
			if (LONG_KEYS.containsKey(key)) {
				throw new NotCompact("metadata key " + key);
			}
			written.put(SHORT_KEYS.getOrDefault(key, key), plain(entry));
		});
		parameters.add(text(this.json.writeValueAsString(written)));
	}

	/** A metadata value as plain JSON values, with its Java type marked where JSON has no word for it. */
	private static Object plain(Object value) {
		if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
				|| value instanceof Double) {
			return value;
		}
		if (value instanceof Long number) {
			return Map.of("@long", number);
		}
		if (value instanceof Instant instant) {
			return Map.of("@instant", instant.getEpochSecond() + "." + instant.getNano());
		}
		if (value instanceof Date date) {
			return Map.of("@date", date.getTime());
		}
		if (value instanceof URL url) {
			return Map.of("@url", url.toString());
		}
		if (value instanceof Set<?> set) {
			return Map.of("@set", set.stream().map(AuthorizationColumns::plain).toList());
		}
		if (value instanceof List<?> list) {
			return list.stream().map(AuthorizationColumns::plain).toList();
		}
		if (value instanceof Map<?, ?> map) {
			Map<String, Object> plain = new LinkedHashMap<>();
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				if (!(entry.getKey() instanceof String key) || key.startsWith("@")) {
					throw new NotCompact("map key " + entry.getKey());
				}
				plain.put(key, plain(entry.getValue()));
			}
			return plain;
		}
		throw new NotCompact(value.getClass().getName());
	}

	// --- reading

	private OAuth2Authorization read(ResultSet row, int rowNumber) throws SQLException {
		String attributes = row.getString("attributes");
		if (attributes == null || !attributes.startsWith(FORMAT)) {
			return this.storeRows.mapRow(row, rowNumber);
		}
		String clientId = row.getString("registered_client_id");
		RegisteredClient client = this.clients.findById(clientId);
		if (client == null) {
			throw new DataRetrievalFailureException(
					"The registered client " + clientId + " of an authorization is gone");
		}
		Map<String, Object> compact = map(attributes);
		OAuth2Authorization.Builder builder = OAuth2Authorization.withRegisteredClient(client)
			.id(row.getString("id"))
			.principalName(row.getString("principal_name"))
			.authorizationGrantType(new AuthorizationGrantType(row.getString("authorization_grant_type")))
			.authorizedScopes(scopes(row.getString("authorized_scopes")));
		for (String name : List.of(CompanyAuthorizations.COMPANY, CompanyAuthorizations.PERSON,
				OAuth2ParameterNames.STATE)) {
			if (compact.get(shortName(name)) instanceof String value) {
				builder.attribute(name, value);
			}
		}
		if (compact.get("request") instanceof Map<?, ?> request) {
			builder.attribute(REQUEST, request(request, client.getClientId()));
		}
		if (compact.get("principal") instanceof Map<?, ?> principal) {
			builder.attribute(PRINCIPAL, principal(row.getString("principal_name"), principal));
		}
		String code = row.getString("authorization_code_value");
		if (StringUtils.hasText(code)) {
			builder.token(new OAuth2AuthorizationCode(code, instant(row, "authorization_code_issued_at"),
					instant(row, "authorization_code_expires_at")), metadata(row, "authorization_code_metadata"));
		}
		String access = row.getString("access_token_value");
		if (StringUtils.hasText(access)) {
			String type = row.getString("access_token_type");
			OAuth2AccessToken.TokenType tokenType = OAuth2AccessToken.TokenType.DPOP.getValue().equalsIgnoreCase(type)
					? OAuth2AccessToken.TokenType.DPOP : OAuth2AccessToken.TokenType.BEARER;
			builder.token(new OAuth2AccessToken(tokenType, access, instant(row, "access_token_issued_at"),
					instant(row, "access_token_expires_at"), scopes(row.getString("access_token_scopes"))),
					metadata(row, "access_token_metadata"));
		}
		String id = row.getString("oidc_id_token_value");
		if (StringUtils.hasText(id)) {
			Map<String, Object> metadata = metadataOf(row, "oidc_id_token_metadata");
			@SuppressWarnings("unchecked")
			Map<String, Object> claims = metadata
				.get(OAuth2Authorization.Token.CLAIMS_METADATA_NAME) instanceof Map<?, ?> c
						? (Map<String, Object>) c : Map.of();
			builder.token(new OidcIdToken(id, instant(row, "oidc_id_token_issued_at"),
					instant(row, "oidc_id_token_expires_at"), claims), m -> m.putAll(metadata));
		}
		String refresh = row.getString("refresh_token_value");
		if (StringUtils.hasText(refresh)) {
			builder.token(new OAuth2RefreshToken(refresh, instant(row, "refresh_token_issued_at"),
					instant(row, "refresh_token_expires_at")), metadata(row, "refresh_token_metadata"));
		}
		OAuth2Authorization authorization = builder.build();
		RequestAttributes request = RequestContextHolder.getRequestAttributes();
		if (request != null) {
			request.setAttribute(READ + authorization.getId(), new Read(authorization.getRegisteredClientId(),
					authorization.getPrincipalName(), authorization.getAttributes(), attributes),
					RequestAttributes.SCOPE_REQUEST);
		}
		return authorization;
	}

	/**
	 * The attributes column as this request read it, if the authorization saved holds the same attributes (the same
	 * values: a token request keeps the authorization request and principal objects it read) for the same client and
	 * person; else null. A token request changes tokens only, and writing the attributes again was a fortieth of the
	 * token endpoint's CPU.
	 */
	private static String asRead(OAuth2Authorization authorization) {
		RequestAttributes request = RequestContextHolder.getRequestAttributes();
		if (request == null || !(request.getAttribute(READ + authorization.getId(),
				RequestAttributes.SCOPE_REQUEST) instanceof Read read)) {
			return null;
		}
		return read.clientId().equals(authorization.getRegisteredClientId())
				&& read.principalName().equals(authorization.getPrincipalName())
				&& read.attributes().equals(authorization.getAttributes()) ? read.column() : null;
	}

	/** An attribute's name in the compact form: Rollcall's own without their package. */
	private static String shortName(String attribute) {
		return switch (attribute) {
			case CompanyAuthorizations.COMPANY -> "company";
			case CompanyAuthorizations.PERSON -> "person";
			default -> attribute;
		};
	}

	private static OAuth2AuthorizationRequest request(Map<?, ?> request, String clientId) {
		@SuppressWarnings("unchecked")
		Map<String, Object> parameters = (Map<String, Object>) request.get("additionalParameters");
		Set<String> scopes = new LinkedHashSet<>(strings(request.get("scopes")));
		String authorizationUri = (String) request.get("authorizationUri");
		String redirectUri = (String) request.get("redirectUri");
		String state = (String) request.get("state");
		Map<String, Object> additional = parameters == null ? Map.of() : parameters;
		return OAuth2AuthorizationRequest.authorizationCode()
			.authorizationUri(authorizationUri)
			.clientId(clientId)
			.redirectUri(redirectUri)
			.scopes(scopes)
			.state(state)
			.additionalParameters(additional)
			.authorizationRequestUri(
					requestUri(authorizationUri, clientId, redirectUri, scopes, state, additional))
			.build();
	}

	/**
	 * The request's URI with the parameters in the builder's order, put together here: the builder's own makes it
	 * with a URI template parser, a thirtieth of the token endpoint's CPU, for a value no one reads once the code is
	 * issued.
	 */
	static String requestUri(String authorizationUri, String clientId, String redirectUri, Set<String> scopes,
			String state, Map<String, Object> additional) {
		StringBuilder uri = new StringBuilder(authorizationUri.length() + 512).append(authorizationUri)
			.append(authorizationUri.indexOf('?') < 0 ? '?' : '&')
			.append("response_type=code");
		query(uri, OAuth2ParameterNames.CLIENT_ID, clientId);
		if (!scopes.isEmpty()) {
			query(uri, OAuth2ParameterNames.SCOPE, String.join(" ", scopes));
		}
		query(uri, OAuth2ParameterNames.STATE, state);
		query(uri, OAuth2ParameterNames.REDIRECT_URI, redirectUri);
		additional.forEach((name, value) -> query(uri, name, value == null ? null : value.toString()));
		return uri.toString();
	}

	private static void query(StringBuilder uri, String name, String value) {
		if (value != null) {
			uri.append('&')
				.append(URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"))
				.append('=')
				.append(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
		}
	}

	private static Authentication principal(String name, Map<?, ?> principal) {
		List<GrantedAuthority> authorities = strings(principal.get("authorities")).stream()
			.<GrantedAuthority>map(SimpleGrantedAuthority::new)
			.toList();
		return UsernamePasswordAuthenticationToken.authenticated(name, null, authorities);
	}

	private java.util.function.Consumer<Map<String, Object>> metadata(ResultSet row, String column)
			throws SQLException {
		Map<String, Object> metadata = metadataOf(row, column);
		return m -> m.putAll(metadata);
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> metadataOf(ResultSet row, String column) throws SQLException {
		String stored = row.getString(column);
		if (stored == null) {
			return Map.of();
		}
		Map<String, Object> metadata = new LinkedHashMap<>();
		((Map<String, Object>) typed(map(stored)))
			.forEach((key, value) -> metadata.put(LONG_KEYS.getOrDefault(key, key), value));
		return metadata;
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> map(String json) {
		return this.json.readValue(json, LinkedHashMap.class);
	}

	/** The inverse of {@link #plain}. */
	private static Object typed(Object value) {
		if (value instanceof List<?> list) {
			List<Object> typed = new ArrayList<>(list.size());
			list.forEach(v -> typed.add(typed(v)));
			return typed;
		}
		if (!(value instanceof Map<?, ?> map)) {
			return value;
		}
		if (map.size() == 1) {
			Map.Entry<?, ?> only = map.entrySet().iterator().next();
			if (only.getKey() instanceof String key && key.startsWith("@")) {
				Object v = only.getValue();
				return switch (key) {
					case "@long" -> ((Number) v).longValue();
					case "@instant" -> instant((String) v);
					case "@date" -> new Date(((Number) v).longValue());
					case "@url" -> url((String) v);
					case "@set" -> new LinkedHashSet<>((List<?>) typed(v));
					default -> throw new IllegalStateException("An authorization's metadata holds an unknown " + key);
				};
			}
		}
		Map<String, Object> typed = new LinkedHashMap<>();
		map.forEach((k, v) -> typed.put((String) k, typed(v)));
		return typed;
	}

	/** Seconds and nanoseconds of the epoch, as {@link #plain} writes an instant. */
	private static Instant instant(String value) {
		int dot = value.indexOf('.');
		return Instant.ofEpochSecond(Long.parseLong(value.substring(0, dot)), Long.parseLong(value.substring(dot + 1)));
	}

	private static URL url(String value) {
		try {
			return URI.create(value).toURL();
		}
		catch (MalformedURLException ex) {
			throw new IllegalStateException("An authorization's metadata holds a malformed URL", ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static List<String> strings(Object value) {
		return value == null ? List.of() : (List<String>) value;
	}

	private static Set<String> scopes(String joined) {
		return joined == null ? Set.of() : StringUtils.commaDelimitedListToSet(joined);
	}

	private static String joined(Collection<String> scopes) {
		return scopes == null || scopes.isEmpty() ? null : String.join(",", scopes);
	}

	private static Instant instant(ResultSet row, String column) throws SQLException {
		Timestamp timestamp = row.getTimestamp(column);
		return timestamp == null ? null : timestamp.toInstant();
	}

	private static Timestamp timestamp(Instant instant) {
		return instant == null ? null : Timestamp.from(instant);
	}

	private static SqlParameterValue text(String value) {
		return new SqlParameterValue(Types.VARCHAR, value);
	}

}
