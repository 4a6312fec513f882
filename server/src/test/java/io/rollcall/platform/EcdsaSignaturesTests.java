package io.rollcall.platform;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** ES256 signatures by AWS-LC where it loads, verifiable by the JDK; everything else left to the JDK's providers. */
@Tag("unit")
class EcdsaSignaturesTests {

	private static final byte[] TOKEN = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0".getBytes(StandardCharsets.US_ASCII);

	@Test
	void signWhenInstalledThenAwsLcSignsAndTheJdkVerifies() throws Exception {
		// AWS-LC's native library is built for Linux; this build depends on its x86-64 one only.
		assumeTrue(System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64"),
				"AWS-LC's library in this build is for Linux on x86-64");
		assertThat(EcdsaSignatures.install()).isTrue();
		assertThat(EcdsaSignatures.install()).as("a second install changes nothing").isTrue();
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "SunEC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		KeyPair keys = generator.generateKeyPair();

		// As Nimbus asks for it: by algorithm only, with a key the JDK made.
		Signature signer = Signature.getInstance(EcdsaSignatures.ALGORITHM);
		signer.initSign(keys.getPrivate());
		signer.update(TOKEN);
		byte[] signature = signer.sign();

		assertThat(signer.getProvider().getName()).isEqualTo(EcdsaSignatures.PROVIDER);
		Signature verifier = Signature.getInstance(EcdsaSignatures.ALGORITHM, "SunEC");
		verifier.initVerify(keys.getPublic());
		verifier.update(TOKEN);
		assertThat(verifier.verify(signature)).isTrue();
		verifier.initVerify(keys.getPublic());
		verifier.update("another token".getBytes(StandardCharsets.US_ASCII));
		assertThat(verifier.verify(signature)).isFalse();
	}

	@Test
	void installWhenDoneThenOtherAlgorithmsStayWithTheJdk() throws Exception {
		EcdsaSignatures.install();

		assertThat(MessageDigest.getInstance("SHA-256").getProvider().getName()).isEqualTo("SUN");
		KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
		rsa.initialize(2048);
		Signature rsaSigner = Signature.getInstance("SHA256withRSA");
		rsaSigner.initSign(rsa.generateKeyPair().getPrivate());
		assertThat(rsaSigner.getProvider().getName()).isEqualTo("SunRsaSign");
	}

}
