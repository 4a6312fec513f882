package io.rollcall.events;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signing: a secret is {@code whsec_} and the base64 of 32 random bytes (the HMAC key);
 * {@code webhook-signature} is {@code v1,} and the base64 HMAC-SHA256 of {@code id.timestamp.body}, one per secret
 * still valid, separated by spaces, so a receiver holding either secret during a rotation accepts the delivery.
 */
final class WebhookSignature {

	static final String PREFIX = "whsec_";

	private static final SecureRandom RANDOM = new SecureRandom();

	private WebhookSignature() {
	}

	static String newSecret() {
		byte[] key = new byte[32];
		RANDOM.nextBytes(key);
		return PREFIX + Base64.getEncoder().encodeToString(key);
	}

	static String sign(String id, long timestamp, String body, List<String> secrets) {
		return secrets.stream().map(secret -> "v1," + hmac(secret, id + "." + timestamp + "." + body))
			.collect(Collectors.joining(" "));
	}

	private static String hmac(String secret, String content) {
		try {
			byte[] key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is part of every JDK", ex);
		}
	}

}
