package io.rollcall.events;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

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

	/** A signer for these secrets, for the many deliveries of a pass: each key is decoded and set up once. */
	static Signer signer(List<String> secrets) {
		return new Signer(secrets.stream().map(WebhookSignature::mac).toList());
	}

	private static Mac mac(String secret) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(PREFIX.length())), "HmacSHA256"));
			return mac;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is part of every JDK", ex);
		}
	}

	/** Signs deliveries with one or two secrets; safe to share between threads (each signature works on a copy). */
	static final class Signer {

		private static final byte[] DOT = { '.' };

		private final List<Mac> keyed;

		private Signer(List<Mac> keyed) {
			this.keyed = keyed;
		}

		String sign(String id, long timestamp, String body) {
			byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
			byte[] timestampBytes = Long.toString(timestamp).getBytes(StandardCharsets.US_ASCII);
			byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
			StringBuilder signatures = new StringBuilder();
			for (Mac prototype : this.keyed) {
				Mac mac = copy(prototype);
				mac.update(idBytes);
				mac.update(DOT);
				mac.update(timestampBytes);
				mac.update(DOT);
				mac.update(bodyBytes);
				signatures.append(signatures.isEmpty() ? "" : " ")
					.append("v1,")
					.append(Base64.getEncoder().encodeToString(mac.doFinal()));
			}
			return signatures.toString();
		}

		private static Mac copy(Mac prototype) {
			try {
				return (Mac) prototype.clone();
			}
			catch (CloneNotSupportedException ex) {
				throw new IllegalStateException("The JDK's HMAC-SHA256 can be copied", ex);
			}
		}

	}

}
