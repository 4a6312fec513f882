package io.rollcall.identityprovider;

import java.security.MessageDigest;
import java.util.HexFormat;

import io.rollcall.platform.SecretTokens;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Client secrets are stored as their SHA-256: they are 256 random bits made by Rollcall, not passwords a person
 * chose, so a slow hash would add nothing but a tenth of a second to every token request.
 */
final class ClientSecretDigest implements PasswordEncoder {

	static final String PREFIX = "{sha256}";

	@Override
	public String encode(CharSequence secret) {
		return PREFIX + HexFormat.of().formatHex(digest(secret));
	}

	@Override
	public boolean matches(CharSequence secret, String stored) {
		if (secret == null || stored == null || !stored.startsWith(PREFIX)) {
			return false;
		}
		byte[] expected;
		try {
			expected = HexFormat.of().parseHex(stored.substring(PREFIX.length()));
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		return MessageDigest.isEqual(expected, digest(secret));
	}

	private static byte[] digest(CharSequence secret) {
		return SecretTokens.hash(secret.toString());
	}

}
