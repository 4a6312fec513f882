package io.rollcall.identityprovider;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("unit")
class TokenResponsesTests {

	private final RegisteredClient client = RegisteredClient.withId("1")
		.clientId("app_1")
		.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
		.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
		.redirectUri("https://app.example.com/callback")
		.build();

	@Test
	void onAuthenticationSuccessWhenTokensIssuedThenTheMembersOfRfc6749() throws Exception {
		Instant now = Instant.now();
		OAuth2AccessToken access = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, "a.b.c", now,
				now.plusSeconds(300), Set.of("openid"));
		OAuth2AccessTokenAuthenticationToken tokens = new OAuth2AccessTokenAuthenticationToken(this.client,
				new TestingAuthenticationToken("app_1", null), access, new OAuth2RefreshToken("r\"\\\n", now),
				Map.of("id_token", "i.d.t"));
		MockHttpServletResponse response = new MockHttpServletResponse();

		new TokenResponses().onAuthenticationSuccess(new MockHttpServletRequest(), response, tokens);

		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentType()).isEqualTo("application/json;charset=UTF-8");
		JsonNode json = JsonMapper.builder().build().readTree(response.getContentAsString());
		assertThat(json.path("access_token").asString()).isEqualTo("a.b.c");
		assertThat(json.path("token_type").asString()).isEqualTo("Bearer");
		assertThat(json.path("expires_in").asLong()).isEqualTo(300);
		assertThat(json.path("scope").asString()).isEqualTo("openid");
		assertThat(json.path("refresh_token").asString()).isEqualTo("r\"\\\n");
		assertThat(json.path("id_token").asString()).isEqualTo("i.d.t");
		assertThat(json.size()).isEqualTo(6);
	}

	@Test
	void onAuthenticationSuccessWhenAParameterIsNoPlainValueThenTheStoresOwnHandlerWritesIt() throws Exception {
		Instant now = Instant.now();
		OAuth2AccessToken access = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, "a.b.c", now,
				now.plusSeconds(300));
		OAuth2AccessTokenAuthenticationToken tokens = new OAuth2AccessTokenAuthenticationToken(this.client,
				new TestingAuthenticationToken("app_1", null), access, null, Map.of("extra", Map.of("k", "v")));
		MockHttpServletResponse response = new MockHttpServletResponse();

		new TokenResponses().onAuthenticationSuccess(new MockHttpServletRequest(), response, tokens);

		JsonNode json = JsonMapper.builder().build().readTree(response.getContentAsString());
		assertThat(json.path("extra").path("k").asString()).isEqualTo("v");
		assertThat(json.has("refresh_token")).isFalse();
	}

}
