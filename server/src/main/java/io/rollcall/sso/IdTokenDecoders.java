package io.rollcall.sso;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenValidator;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.core.converter.ClaimTypeConverter;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.stereotype.Component;

/**
 * Decodes and checks a company's ID tokens: signature by the provider's JWKS (an unknown {@code kid} fetches the
 * set again, so key rotation just works; unsigned {@code alg: none} tokens never decode), then issuer, audience,
 * expiry and, for Entra, that {@code tid} is the company's own tenant. One decoder per company and settings version.
 */
@Component
final class IdTokenDecoders implements JwtDecoderFactory<ClientRegistration> {

	private static final Converter<Map<String, Object>, Map<String, Object>> CLAIM_TYPES = new ClaimTypeConverter(
			OidcIdTokenDecoderFactory.createDefaultClaimTypeConverters());

	private final Map<String, JwtDecoder> decoders = new ConcurrentHashMap<>();

	@Override
	public JwtDecoder createDecoder(ClientRegistration registration) {
		Map<String, Object> metadata = registration.getProviderDetails().getConfigurationMetadata();
		String key = metadata.get(CompanyClientRegistrations.COMPANY) + "/"
				+ metadata.get(CompanyClientRegistrations.VERSION);
		JwtDecoder decoder = this.decoders.get(key);
		if (decoder == null) {
			// Decoders of older versions of the company's settings are dropped: their keys or issuer may be stale.
			String company = metadata.get(CompanyClientRegistrations.COMPANY) + "/";
			this.decoders.keySet().removeIf(old -> old.startsWith(company));
			decoder = build(registration);
			this.decoders.put(key, decoder);
		}
		return decoder;
	}

	private static JwtDecoder build(ClientRegistration registration) {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(registration.getProviderDetails().getJwkSetUri())
			.jwsAlgorithms(algorithms -> {
				algorithms.add(SignatureAlgorithm.RS256);
				algorithms.add(SignatureAlgorithm.RS384);
				algorithms.add(SignatureAlgorithm.RS512);
				algorithms.add(SignatureAlgorithm.PS256);
				algorithms.add(SignatureAlgorithm.ES256);
				algorithms.add(SignatureAlgorithm.ES384);
			})
			.build();
		OAuth2TokenValidator<Jwt> validator = new OidcIdTokenValidator(registration);
		Object tenant = registration.getProviderDetails()
			.getConfigurationMetadata()
			.get(CompanyClientRegistrations.TENANT);
		if (tenant != null) {
			validator = new DelegatingOAuth2TokenValidator<>(validator, new TenantValidator(tenant.toString()));
		}
		decoder.setJwtValidator(validator);
		decoder.setClaimSetConverter(CLAIM_TYPES);
		return decoder;
	}

	/** Entra: the token must come from the company's own tenant, whatever else it says. */
	record TenantValidator(String tenantId) implements OAuth2TokenValidator<Jwt> {

		@Override
		public OAuth2TokenValidatorResult validate(Jwt token) {
			Object tid = token.getClaims().get("tid");
			if (tid != null && this.tenantId.equalsIgnoreCase(tid.toString())) {
				return OAuth2TokenValidatorResult.success();
			}
			return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_id_token",
					"The ID token is from tenant " + tid + ", not the company's tenant", null));
		}

	}

}
