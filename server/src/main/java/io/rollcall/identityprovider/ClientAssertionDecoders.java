package io.rollcall.identityprovider;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionDecoderFactory;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * Checks a {@code private_key_jwt} application's client assertion (RFC 7523) with its keys: those published at its
 * JWK Set URL, by Spring Authorization Server's own factory, or those registered inline, from the stored set. Both
 * apply SAS's claim checks: {@code iss} and {@code sub} the client id, an {@code exp} not passed, and an {@code aud}
 * naming this company's issuer or one of its endpoints (the issuer is the request's host), so an assertion made for
 * another company is refused.
 */
final class ClientAssertionDecoders implements JwtDecoderFactory<RegisteredClient> {

	private final JwtClientAssertionDecoderFactory published = new JwtClientAssertionDecoderFactory();

	/** By client id: a registration's keys do not change (there is no update of an application). */
	private final Map<String, JwtDecoder> inline = new ConcurrentHashMap<>();

	@Override
	public JwtDecoder createDecoder(RegisteredClient client) {
		String jwks = client.getClientSettings().getSetting(Applications.JWKS);
		if (jwks == null) {
			return this.published.createDecoder(client);
		}
		return this.inline.computeIfAbsent(client.getId(), id -> {
			DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
			processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
					new ImmutableJWKSet<>(Applications.parsed(jwks))));
			NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
			decoder.setJwtValidator(JwtClientAssertionDecoderFactory.DEFAULT_JWT_VALIDATOR_FACTORY.apply(client));
			return decoder;
		});
	}

}
