package io.rollcall.identityprovider;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("unit")
class HashedTokenAuthorizationsTests {

	private static final OAuth2TokenType CODE = new OAuth2TokenType(OAuth2ParameterNames.CODE);

	private final InMemoryOAuth2AuthorizationService store = new InMemoryOAuth2AuthorizationService();

	private final HashedTokenAuthorizations authorizations = new HashedTokenAuthorizations(this.store);

	@Test
	void saveWhenTokensThenTheStoreHoldsTheirDigestsOnly() {
		this.authorizations.save(authorization());

		OAuth2Authorization stored = this.store.findById("a1");
		assertThat(stored.getToken(OAuth2AuthorizationCode.class).getToken().getTokenValue())
			.isEqualTo(HashedTokenAuthorizations.digest("the-code"));
		assertThat(stored.getAccessToken().getToken().getTokenValue())
			.isEqualTo(HashedTokenAuthorizations.digest("the-access-token"));
		assertThat(stored.getRefreshToken().getToken().getTokenValue())
			.isEqualTo(HashedTokenAuthorizations.digest("the-refresh-token"));
		assertThat(stored.getToken(OidcIdToken.class).getToken().getTokenValue())
			.isEqualTo(HashedTokenAuthorizations.digest("the-id-token"));
		// What SAS reads besides the value is kept: expiry, scopes, the ID token's claims.
		assertThat(stored.getAccessToken().getToken().getScopes()).containsExactly("openid");
		assertThat(stored.getToken(OidcIdToken.class).getToken().getSubject()).isEqualTo("person-1");
	}

	@Test
	void findByTokenWhenPresentedThenThatValueInPlaceOfItsDigestAndTheOthersAsDigests() {
		this.authorizations.save(authorization());

		OAuth2Authorization found = this.authorizations.findByToken("the-refresh-token", OAuth2TokenType.REFRESH_TOKEN);

		assertThat(found.getRefreshToken().getToken().getTokenValue()).isEqualTo("the-refresh-token");
		assertThat(found.<OAuth2RefreshToken>getToken("the-refresh-token")).isNotNull();
		assertThat(found.getAccessToken().getToken().getTokenValue()).startsWith(HashedTokenAuthorizations.PREFIX);
		// Without a type (introspection, revocation without a hint) the presented token is found the same way.
		assertThat(
				this.authorizations.findByToken("the-access-token", null).getAccessToken().getToken().getTokenValue())
			.isEqualTo("the-access-token");
		assertThat(this.authorizations.findByToken("the-code", CODE)).isNotNull();
	}

	@Test
	void findByTokenWhenTheStoredDigestIsPresentedThenNothing() {
		this.authorizations.save(authorization());

		assertThat(this.authorizations.findByToken(HashedTokenAuthorizations.digest("the-refresh-token"),
				OAuth2TokenType.REFRESH_TOKEN))
			.isNull();
	}

	@Test
	void saveWhenAnAuthorizationFoundIsSavedAgainThenItsDigestsAreNotHashedTwice() {
		this.authorizations.save(authorization());
		OAuth2Authorization found = this.authorizations.findByToken("the-code", CODE);

		this.authorizations.save(OAuth2Authorization.from(found)
			.invalidate(found.getToken(OAuth2AuthorizationCode.class).getToken())
			.build());

		assertThat(this.authorizations.findByToken("the-access-token", OAuth2TokenType.ACCESS_TOKEN)).isNotNull();
		assertThat(this.authorizations.findByToken("the-code", CODE)
			.getToken(OAuth2AuthorizationCode.class)
			.isInvalidated())
			.isTrue();
	}

	private static OAuth2Authorization authorization() {
		RegisteredClient client = RegisteredClient.withId("c1")
			.clientId("app")
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri("https://learn.example.com/cb")
			.build();
		Instant now = Instant.now();
		Instant later = now.plus(Duration.ofMinutes(5));
		return OAuth2Authorization.withRegisteredClient(client)
			.id("a1")
			.principalName("person-1")
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.token(new OAuth2AuthorizationCode("the-code", now, later))
			.accessToken(new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, "the-access-token", now, later,
					Set.of("openid")))
			.refreshToken(new OAuth2RefreshToken("the-refresh-token", now, later))
			.token(OidcIdToken.withTokenValue("the-id-token")
				.subject("person-1")
				.issuedAt(now)
				.expiresAt(later)
				.build())
			.build();
	}

}
