package io.rollcall.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("unit")
class SecretBoxTests {

	@TempDir
	Path dataDir;

	@Test
	void sealWhenOpenedWithTheSameKeyThenSameSecretAndEveryNonceDiffers() {
		SecretBox box = SecretBox.withKey(new byte[32]);

		String first = box.seal("tenant-7f3c");
		String second = box.seal("tenant-7f3c");

		assertThat(first).startsWith("v1:").doesNotContain("tenant-7f3c").isNotEqualTo(second);
		assertThat(box.open(first)).isEqualTo("tenant-7f3c");
		assertThat(box.open(second)).isEqualTo("tenant-7f3c");
	}

	@Test
	void openWhenSealedWithAnotherKeyThenFailsSayingSo() {
		String sealed = SecretBox.withKey(new byte[32]).seal("secret");
		byte[] other = new byte[32];
		other[0] = 1;

		assertThatThrownBy(() -> SecretBox.withKey(other).open(sealed)).hasMessageContaining("ROLLCALL_SECRETS_KEY");
	}

	@Test
	void openWhenTamperedThenFails() {
		SecretBox box = SecretBox.withKey(new byte[32]);
		String sealed = box.seal("secret");
		byte[] raw = Base64.getDecoder().decode(sealed.substring(3));
		raw[raw.length - 1] ^= 1;

		assertThatThrownBy(() -> box.open("v1:" + Base64.getEncoder().encodeToString(raw)))
			.isInstanceOf(IllegalStateException.class);
	}

	@Test
	void constructWhenNoKeyConfiguredThenKeyFileMadeOnceOwnerOnlyAndReused() throws Exception {
		RollcallProperties properties = new RollcallProperties("localhost", this.dataDir, null, "http", null, false,
				null,
				null, null, null);

		String sealed = new SecretBox("", properties).seal("secret");
		Path file = this.dataDir.resolve("secrets.key");

		assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
		assertThat(Base64.getDecoder().decode(Files.readString(file).strip())).hasSize(32);
		assertThat(new SecretBox("", properties).open(sealed)).isEqualTo("secret");
	}

	@Test
	void constructWhenKeyIsNot32BytesThenRefusesToStart() {
		assertThatThrownBy(() -> new SecretBox(Base64.getEncoder().encodeToString(new byte[16]), null))
			.hasMessageContaining("32 bytes");
	}

}
