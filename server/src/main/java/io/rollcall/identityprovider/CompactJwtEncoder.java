package io.rollcall.identityprovider;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.security.oauth2.jose.JwaAlgorithm;
import org.springframework.security.oauth2.jwt.JoseHeaderNames;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtEncodingException;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.util.Assert;

/**
 * Signs the tokens Spring Authorization Server makes (access and ID tokens) as JWS compact serializations written
 * directly: the header and the claims as JSON, each base64url-encoded, signed by the newest key of the header's
 * algorithm ({@link SigningKeys#signing}). The general encoder it stands in front of took a seventh of a token
 * request's CPU for two tokens, most of it not the signature: a key selection over the key set and a lookup of its
 * signer by the key's hash on every token, and each claim copied into Nimbus' own claim set before its JSON was
 * written (bench/RESULTS.md, ninth session).
 * <p>
 * It writes what that encoder writes (the {@code kid} of the key added to the header; dates as seconds since the
 * epoch; a single audience as a string; absent claims left out), and hands to it anything it does not know how to
 * write: a header naming a key or another parameter, a claim of another type.
 */
final class CompactJwtEncoder implements JwtEncoder {

	private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Function<JWSAlgorithm, SigningKeys.Signing> signings;

	private final JwtEncoder general;

	/**
	 * @param signings the signing of each algorithm now ({@link SigningKeys#signing}), null where there is none
	 * @param general the encoder for the rest, over the same keys
	 */
	CompactJwtEncoder(Function<JWSAlgorithm, SigningKeys.Signing> signings, JwtEncoder general) {
		Assert.notNull(signings, "signings cannot be null");
		Assert.notNull(general, "general cannot be null");
		this.signings = signings;
		this.general = general;
	}

	@Override
	public Jwt encode(JwtEncoderParameters parameters) throws JwtEncodingException {
		Assert.notNull(parameters, "parameters cannot be null");
		JwsHeader header = parameters.getJwsHeader();
		JwtClaimsSet claims = parameters.getClaims();
		// Only a header that is its algorithm and nothing else: a kid, x5t, typ or anything more goes the general way.
		if (header == null || header.getHeaders().size() != 1 || header.getAlgorithm() == null) {
			return this.general.encode(parameters);
		}
		Map<String, Object> written = plainClaims(claims.getClaims());
		SigningKeys.Signing signing = this.signings.apply(JWSAlgorithm.parse(header.getAlgorithm().getName()));
		if (written == null || signing == null) {
			return this.general.encode(parameters);
		}
		Map<String, Object> headers = new LinkedHashMap<>();
		headers.put(JoseHeaderNames.ALG, header.getAlgorithm());
		headers.put(JoseHeaderNames.KID, signing.header().getKeyID());
		String signingInput = signing.encodedHeader() + '.'
				+ BASE64URL.encodeToString(JSON.writeValueAsBytes(written));
		try {
			String signature = signing.signer()
				.sign(signing.header(), signingInput.getBytes(StandardCharsets.US_ASCII))
				.toString();
			return new Jwt(signingInput + '.' + signature, claims.getIssuedAt(), claims.getExpiresAt(), headers,
					claims.getClaims());
		}
		catch (JOSEException ex) {
			throw new JwtEncodingException(
					"An error occurred while attempting to encode the Jwt: Failed to sign the JWT -> "
							+ ex.getMessage(),
					ex);
		}
	}

	/** The header as written, base64url-encoded: {@code alg} and {@code kid}, as the general encoder writes them. */
	static String encodedHeader(JWSAlgorithm algorithm, String keyId) {
		Map<String, String> header = new LinkedHashMap<>();
		header.put(JoseHeaderNames.ALG, algorithm.getName());
		header.put(JoseHeaderNames.KID, keyId);
		return BASE64URL.encodeToString(JSON.writeValueAsBytes(header));
	}

	/**
	 * The claims as JSON-ready values, the way Nimbus writes a claim set: dates (the registered ones and any other) as
	 * seconds, the issuer as text, one audience as a string. Null when a claim is of a type not handled here.
	 */
	private static Map<String, Object> plainClaims(Map<String, Object> claims) {
		Map<String, Object> written = new LinkedHashMap<>();
		for (Map.Entry<String, Object> claim : claims.entrySet()) {
			Object value = claim.getValue();
			if (value == null) {
				continue;
			}
			if (JwtClaimNames.ISS.equals(claim.getKey()) && (value instanceof URL || value instanceof String)) {
				written.put(claim.getKey(), value.toString());
				continue;
			}
			if (JwtClaimNames.AUD.equals(claim.getKey()) && value instanceof Collection<?> audience) {
				if (audience.isEmpty()) {
					continue;
				}
				if (audience.size() == 1) {
					value = audience.iterator().next();
				}
			}
			Object plain = plain(value);
			if (plain == null) {
				return null;
			}
			written.put(claim.getKey(), plain);
		}
		return written;
	}

	/** A value Jackson writes as Nimbus would, or null for anything else. */
	private static Object plain(Object value) {
		if (value instanceof String || value instanceof Boolean || value instanceof Integer || value instanceof Long) {
			return value;
		}
		if (value instanceof Instant instant) {
			return instant.getEpochSecond();
		}
		if (value instanceof Date date) {
			return date.getTime() / 1000;
		}
		if (value instanceof JwaAlgorithm algorithm) {
			return algorithm.getName();
		}
		if (value instanceof Collection<?> values) {
			List<Object> list = new ArrayList<>(values.size());
			for (Object element : values) {
				Object plain = element == null ? null : plain(element);
				if (element != null && plain == null) {
					return null;
				}
				list.add(plain);
			}
			return list;
		}
		if (value instanceof Map<?, ?> map) {
			Map<String, Object> copy = new LinkedHashMap<>();
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				if (!(entry.getKey() instanceof String name)) {
					return null;
				}
				Object plain = entry.getValue() == null ? null : plain(entry.getValue());
				if (entry.getValue() != null && plain == null) {
					return null;
				}
				copy.put(name, plain);
			}
			return copy;
		}
		return null;
	}

}
