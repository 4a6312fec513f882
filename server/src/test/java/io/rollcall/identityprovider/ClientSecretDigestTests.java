package io.rollcall.identityprovider;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("unit")
class ClientSecretDigestTests {

	private final ClientSecretDigest digest = new ClientSecretDigest();

	@Test
	void matchesWhenSameSecretThenTrueAndWhenAnotherThenFalse() {
		String stored = this.digest.encode("rcs_secret");

		assertThat(stored).startsWith("{sha256}").doesNotContain("rcs_secret");
		assertThat(this.digest.matches("rcs_secret", stored)).isTrue();
		assertThat(this.digest.matches("rcs_secreT", stored)).isFalse();
	}

	@Test
	void matchesWhenStoredValueIsNotADigestThenFalse() {
		assertThat(this.digest.matches("rcs_secret", "rcs_secret")).isFalse();
		assertThat(this.digest.matches("rcs_secret", "{sha256}not-hex")).isFalse();
		assertThat(this.digest.matches("rcs_secret", null)).isFalse();
	}

}
