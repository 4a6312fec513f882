package io.rollcall.identityprovider;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.util.MultiValueMap;
import org.springframework.web.util.UriComponents;
import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("unit")
class AuthorizationColumnsTests {

	@Test
	void requestUriWhenMadeFromTheRequestThenSameParametersAsTheBuildersOwn() {
		Map<String, Object> additional = new LinkedHashMap<>();
		additional.put("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
		additional.put("code_challenge_method", "S256");
		additional.put("nonce", "n 0&=é");
		OAuth2AuthorizationRequest request = OAuth2AuthorizationRequest.authorizationCode()
			.authorizationUri("https://acme.rollcall.example/oauth2/authorize")
			.clientId("app_1")
			.redirectUri("https://acme.learn.example.com/callback?x=1")
			.scopes(new LinkedHashSet<>(List.of("openid", "profile", "email")))
			.state("a state/with?odd&chars")
			.additionalParameters(additional)
			.build();

		String made = AuthorizationColumns.requestUri(request.getAuthorizationUri(), request.getClientId(),
				request.getRedirectUri(), request.getScopes(), request.getState(), additional);

		UriComponents ours = UriComponentsBuilder.fromUriString(made).build();
		UriComponents theirs = UriComponentsBuilder.fromUriString(request.getAuthorizationRequestUri()).build();
		assertThat(ours.getPath()).isEqualTo(theirs.getPath());
		assertThat(decoded(ours.getQueryParams())).isEqualTo(decoded(theirs.getQueryParams()));
		assertThat(decoded(ours.getQueryParams()).keySet()).containsExactly("response_type", "client_id", "scope",
				"state", "redirect_uri", "code_challenge", "code_challenge_method", "nonce");
	}

	@Test
	void requestUriWhenValueHoldsAPlusThenItIsEncoded() {
		String made = AuthorizationColumns.requestUri("https://acme.rollcall.example/oauth2/authorize", "app_1",
				"https://acme.learn.example.com/callback", new LinkedHashSet<>(List.of("openid")), "s",
				Map.of("nonce", "a+b c"));

		assertThat(made).endsWith("&nonce=a%2Bb%20c");
	}

	private static Map<String, List<String>> decoded(MultiValueMap<String, String> query) {
		Map<String, List<String>> decoded = new LinkedHashMap<>();
		query.forEach((name, values) -> decoded.put(URLDecoder.decode(name, StandardCharsets.UTF_8),
				values.stream().map(value -> URLDecoder.decode(value, StandardCharsets.UTF_8)).toList()));
		return decoded;
	}

}
