package io.rollcall.identityprovider;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtEncodingException;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@Tag("unit")
class CompactJwtEncoderTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	// Keys as SigningKeys keeps them: newest first, an older one of each algorithm still in the set.
	private final ECKey es256 = key(JWSAlgorithm.ES256).toECKey();

	private final RSAKey rs256 = key(JWSAlgorithm.RS256).toRSAKey();

	private final List<JWK> keys = List.of(this.es256, this.rs256, key(JWSAlgorithm.ES256), key(JWSAlgorithm.RS256));

	private final NimbusJwtEncoder nimbus = nimbus(this.keys);

	private final AtomicInteger generalCalls = new AtomicInteger();

	private final JwtEncoder general = parameters -> {
		this.generalCalls.incrementAndGet();
		return this.nimbus.encode(parameters);
	};

	private final CompactJwtEncoder encoder = new CompactJwtEncoder(
			algorithm -> JWSAlgorithm.ES256.equals(algorithm) ? SigningKeys.Signing.of(algorithm, this.es256)
					: JWSAlgorithm.RS256.equals(algorithm) ? SigningKeys.Signing.of(algorithm, this.rs256) : null,
			this.general);

	@Test
	void encodeWhenAnAccessTokenThenTheHeaderAndClaimsTheGeneralEncoderWritesAndAValidSignature() throws Exception {
		JwtEncoderParameters parameters = parameters(SignatureAlgorithm.ES256, accessTokenClaims().build());

		Jwt compact = this.encoder.encode(parameters);
		Jwt general = this.nimbus.encode(parameters);

		assertThat(this.generalCalls).hasValue(0);
		assertThat(part(compact, 0)).isEqualTo(part(general, 0));
		assertThat(part(compact, 1)).isEqualTo(part(general, 1));
		assertThat(part(compact, 0).path("kid").asString()).isEqualTo(this.es256.getKeyID());
		assertThat(SignedJWT.parse(compact.getTokenValue()).verify(new ECDSAVerifier(this.es256.toPublicJWK())))
			.isTrue();
		assertThat(compact.getHeaders()).isEqualTo(general.getHeaders());
		assertThat(compact.getClaims()).isEqualTo(general.getClaims());
		assertThat(compact.getIssuedAt()).isEqualTo(general.getIssuedAt());
		assertThat(compact.getExpiresAt()).isEqualTo(general.getExpiresAt());
	}

	@Test
	void encodeWhenAnIdTokenWithNestedClaimsThenTheClaimsTheGeneralEncoderWrites() throws Exception {
		Map<String, Object> rollcall = new LinkedHashMap<>();
		rollcall.put("company", Map.of("id", UUID.randomUUID().toString(), "slug", "acme"));
		rollcall.put("role", "member");
		rollcall.put("secondary_teams", List.of(Map.of("id", "t1", "name", "Sales \"EMEA\""), Map.of("id", "t2")));
		rollcall.put("tags", new ArrayList<>(List.of("a", "b/c", "<é>")));
		rollcall.put("custom_fields", Map.of("badge", "42", "level", 3L));
		Instant now = Instant.ofEpochSecond(1_800_000_000L, 123_000_000L);
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.issuer("https://acme.rollcall.example")
			.subject(UUID.randomUUID().toString())
			.audience(List.of("app_1"))
			.issuedAt(now)
			.expiresAt(now.plusSeconds(1800))
			.id(UUID.randomUUID().toString())
			.claim("azp", "app_1")
			.claim("nonce", "n-0S6_WzA2Mj")
			.claim("sid", "s1")
			.claim("auth_time", Date.from(now.minusSeconds(60)))
			.claim("name", "Zoë O'Brien")
			.claim("updated_at", 1_700_000_000L)
			.claim("email_verified", true)
			.claim("rollcall", rollcall)
			.build();
		JwtEncoderParameters parameters = parameters(SignatureAlgorithm.RS256, claims);

		Jwt compact = this.encoder.encode(parameters);

		assertThat(this.generalCalls).hasValue(0);
		assertThat(part(compact, 1)).isEqualTo(part(this.nimbus.encode(parameters), 1));
		assertThat(part(compact, 1).path("aud").isString()).isTrue();
		assertThat(part(compact, 1).path("auth_time").asLong()).isEqualTo(now.getEpochSecond() - 60);
		assertThat(part(compact, 0).path("alg").asString()).isEqualTo("RS256");
		assertThat(SignedJWT.parse(compact.getTokenValue()).verify(new RSASSAVerifier(this.rs256.toPublicJWK())))
			.isTrue();
	}

	@Test
	void encodeWhenSeveralAudiencesThenAnArrayAsTheGeneralEncoderWrites() throws Exception {
		JwtEncoderParameters parameters = parameters(SignatureAlgorithm.ES256,
				accessTokenClaims().audience(List.of("app_1", "api")).build());

		JsonNode claims = part(this.encoder.encode(parameters), 1);

		assertThat(claims).isEqualTo(part(this.nimbus.encode(parameters), 1));
		assertThat(claims.path("aud").isArray()).isTrue();
	}

	@Test
	void encodeWhenAClaimOfAnotherTypeOrAHeaderWithMoreThanItsAlgorithmThenTheGeneralEncoderWritesIt() {
		Jwt decimal = this.encoder.encode(
				parameters(SignatureAlgorithm.ES256, accessTokenClaims().claim("ratio", 0.5d).build()));
		assertThat(this.generalCalls).hasValue(1);
		assertThat(decimal.getClaims()).containsEntry("ratio", 0.5d);

		this.encoder.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.ES256).type("at+jwt").build(),
				accessTokenClaims().build()));
		assertThat(this.generalCalls).hasValue(2);
	}

	@Test
	void encodeWhenNoKeyOfTheAlgorithmThenTheGeneralEncodersRefusal() {
		CompactJwtEncoder withoutKeys = new CompactJwtEncoder(algorithm -> null, nimbus(List.of(this.es256)));

		assertThatExceptionOfType(JwtEncodingException.class).isThrownBy(
				() -> withoutKeys.encode(parameters(SignatureAlgorithm.RS256, accessTokenClaims().build())));
	}

	private static JwtClaimsSet.Builder accessTokenClaims() {
		Instant now = Instant.now();
		return JwtClaimsSet.builder()
			.issuer("https://acme.rollcall.example")
			.subject(UUID.randomUUID().toString())
			.audience(List.of("app_1"))
			.issuedAt(now)
			.notBefore(now)
			.expiresAt(now.plusSeconds(300))
			.id(UUID.randomUUID().toString())
			.claim("scope", List.of("openid", "email"))
			.claim("company_id", UUID.randomUUID().toString());
	}

	private static JwtEncoderParameters parameters(SignatureAlgorithm algorithm, JwtClaimsSet claims) {
		return JwtEncoderParameters.from(JwsHeader.with(algorithm).build(), claims);
	}

	/** The header (0) or the claims (1) of a compact JWS, as JSON. */
	private static JsonNode part(Jwt jwt, int index) {
		return JSON.readTree(Base64.getUrlDecoder().decode(jwt.getTokenValue().split("\\.")[index]));
	}

	private static NimbusJwtEncoder nimbus(List<JWK> keys) {
		NimbusJwtEncoder encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(keys)));
		encoder.setJwkSelector(List::getFirst);
		return encoder;
	}

	private static JWK key(JWSAlgorithm algorithm) {
		try {
			String id = UUID.randomUUID().toString();
			return JWSAlgorithm.ES256.equals(algorithm)
					? new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(algorithm).keyID(id).generate()
					: new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(algorithm).keyID(id).generate();
		}
		catch (com.nimbusds.jose.JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
