package io.rollcall.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Random secrets handed out once (API keys, invitation links) and the hash that is stored instead of them.
 * The secrets carry 256 random bits, so a fast hash is enough and lets every check be one indexed lookup.
 */
public final class SecretTokens {

	private static final SecureRandom RANDOM = new SecureRandom();

	private SecretTokens() {
	}

	/** 32 random bytes, URL-safe base64, after {@code prefix}. */
	public static String generate(String prefix) {
		byte[] random = new byte[32];
		RANDOM.nextBytes(random);
		return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
	}

	public static byte[] hash(String secret) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
	}

}
