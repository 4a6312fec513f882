package io.rollcall.identityprovider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AccessTokenResponseAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

/**
 * The token endpoint's answer (RFC 6749 §5.1), the same members as Spring Authorization Server's own handler writes,
 * written straight to the response: its way (a response object, a map of it, then Jackson's serializers for the map)
 * was a thirtieth of the token endpoint's CPU. An answer holding anything but text, numbers and booleans is left to
 * that handler.
 */
final class TokenResponses implements AuthenticationSuccessHandler {

	private final AuthenticationSuccessHandler general = new OAuth2AccessTokenResponseAuthenticationSuccessHandler();

	@Override
	public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
			Authentication authentication) throws IOException, ServletException {
		if (!(authentication instanceof OAuth2AccessTokenAuthenticationToken tokens)
				|| !tokens.getAdditionalParameters().values().stream().allMatch(TokenResponses::plain)) {
			this.general.onAuthenticationSuccess(request, response, authentication);
			return;
		}
		byte[] body = json(tokens).getBytes(StandardCharsets.UTF_8);
		response.setStatus(HttpServletResponse.SC_OK);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE + ";charset=UTF-8");
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	static String json(OAuth2AccessTokenAuthenticationToken tokens) {
		OAuth2AccessToken access = tokens.getAccessToken();
		StringBuilder json = new StringBuilder(2048).append('{');
		member(json, OAuth2ParameterNames.ACCESS_TOKEN, access.getTokenValue());
		member(json, OAuth2ParameterNames.TOKEN_TYPE, access.getTokenType().getValue());
		long expiresIn = access.getIssuedAt() == null || access.getExpiresAt() == null ? -1
				: ChronoUnit.SECONDS.between(access.getIssuedAt(), access.getExpiresAt());
		json.append(",\"").append(OAuth2ParameterNames.EXPIRES_IN).append("\":").append(expiresIn);
		Set<String> scopes = access.getScopes();
		if (scopes != null && !scopes.isEmpty()) {
			member(json, OAuth2ParameterNames.SCOPE, String.join(" ", scopes));
		}
		OAuth2RefreshToken refresh = tokens.getRefreshToken();
		if (refresh != null) {
			member(json, OAuth2ParameterNames.REFRESH_TOKEN, refresh.getTokenValue());
		}
		for (Map.Entry<String, Object> parameter : tokens.getAdditionalParameters().entrySet()) {
			Object value = parameter.getValue();
			if (value instanceof String text) {
				member(json, parameter.getKey(), text);
			}
			else {
				json.append(',');
				string(json, parameter.getKey());
				json.append(':').append(value);
			}
		}
		return json.append('}').toString();
	}

	/** Whether the value needs no escaping in a JSON string. */
	private static boolean plainText(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\' || c < 0x20) {
				return false;
			}
		}
		return true;
	}

	private static boolean plain(Object value) {
		return value instanceof String || value instanceof Boolean || value instanceof Integer
				|| value instanceof Long;
	}

	private static void member(StringBuilder json, String name, String value) {
		if (json.length() > 1) {
			json.append(',');
		}
		string(json, name);
		json.append(':');
		string(json, value);
	}

	/** A JSON string (RFC 8259 §7): quotes, backslashes and control characters escaped. */
	static void string(StringBuilder json, String value) {
		json.append('"');
		if (plainText(value)) {
			// Tokens (base64url and dots) and the usual parameters: appended whole, not a character at a time.
			json.append(value).append('"');
			return;
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\') {
				json.append('\\').append(c);
			}
			else if (c < 0x20) {
				json.append(String.format("\\u%04x", (int) c));
			}
			else {
				json.append(c);
			}
		}
		json.append('"');
	}

}
