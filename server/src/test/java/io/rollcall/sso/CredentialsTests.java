package io.rollcall.sso;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/** The decoy an unknown e-mail is checked against costs what a stored password costs. */
@Tag("unit")
class CredentialsTests {

	@Test
	void decoyHashWhenComparedWithANewHashThenSameAlgorithmAndCostSettings() {
		PasswordEncoder encoder = Credentials.passwordEncoder();
		String stored = encoder.encode("a-password-of-someone");
		// {argon2}$argon2id$v=19$m=16384,t=2,p=1$salt$hash: all but the salt and the hash.
		assertThat(settings(Credentials.DECOY_HASH)).isEqualTo(settings(stored));
		// The same salt and hash lengths: a malformed decoy would be refused at once, without the hashing.
		assertThat(Credentials.DECOY_HASH).hasSameSizeAs(stored);
		assertThat(encoder.matches("a-password-of-someone", Credentials.DECOY_HASH)).isFalse();
	}

	private static String settings(String hash) {
		return hash.substring(0, hash.lastIndexOf('$', hash.lastIndexOf('$') - 1));
	}

}
