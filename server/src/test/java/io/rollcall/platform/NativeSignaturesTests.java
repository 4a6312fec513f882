package io.rollcall.platform;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** RS256 and ES256 signed by AWS-LC where it loads, verifiable by the JDK; everything else left to the JDK. */
@Tag("unit")
class NativeSignaturesTests {

	private static final byte[] TOKEN = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0".getBytes(StandardCharsets.US_ASCII);

	@ParameterizedTest
	@EnumSource(NativeSignatures.Algorithm.class)
	void signWhenInstalledThenAwsLcSignsAndTheJdkVerifies(NativeSignatures.Algorithm algorithm) throws Exception {
		// AWS-LC's native library is built for Linux; this build depends on its x86-64 one only.
		assumeTrue(System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64"),
				"AWS-LC's library in this build is for Linux on x86-64");
		NativeSignatures.install();
		NativeSignatures.install();
		assertThat(Security.getProviders()[0].getName()).isEqualTo(NativeSignatures.PROVIDER);
		assertThat(Security.getProviders()[1].getName()).as("a second install changes nothing")
			.isNotEqualTo(NativeSignatures.PROVIDER);
		assertThat(NativeSignatures.AWS_LC.signs()).as("AWS-LC loads and passes its self-tests here").isTrue();
		KeyPair keys = keys(algorithm);

		for (int round = 0; round < 2; round++) { // the second with the key as AWS-LC keeps it
			// As Nimbus asks for it: by algorithm only, with a key the JDK made.
			Signature signer = Signature.getInstance(algorithm.jca);
			signer.initSign(keys.getPrivate());
			signer.update(TOKEN);
			byte[] signature = signer.sign();

			assertThat(signer.getProvider().getName()).isEqualTo(NativeSignatures.PROVIDER);
			Signature verifier = Signature.getInstance(algorithm.jca, algorithm.jdk);
			verifier.initVerify(keys.getPublic());
			verifier.update(TOKEN);
			assertThat(verifier.verify(signature)).isTrue();
			verifier.initVerify(keys.getPublic());
			verifier.update("another token".getBytes(StandardCharsets.US_ASCII));
			assertThat(verifier.verify(signature)).isFalse();
			// Verifying by algorithm only finds this provider first, which hands it to the JDK.
			Signature anyVerifier = Signature.getInstance(algorithm.jca);
			anyVerifier.initVerify(keys.getPublic());
			anyVerifier.update(TOKEN);
			assertThat(anyVerifier.verify(signature)).isTrue();
		}
		// Another key is not signed with the one kept.
		KeyPair other = keys(algorithm);
		Signature signer = Signature.getInstance(algorithm.jca);
		signer.initSign(other.getPrivate());
		signer.update(TOKEN);
		byte[] signature = signer.sign();
		Signature verifier = Signature.getInstance(algorithm.jca, algorithm.jdk);
		verifier.initVerify(keys.getPublic());
		verifier.update(TOKEN);
		assertThat(verifier.verify(signature)).isFalse();
		verifier.initVerify(other.getPublic());
		verifier.update(TOKEN);
		assertThat(verifier.verify(signature)).isTrue();
	}

	@Test
	void installWhenDoneThenOtherAlgorithmsStayWithTheJdk() throws Exception {
		NativeSignatures.install();

		assertThat(MessageDigest.getInstance("SHA-256").getProvider().getName()).isEqualTo("SUN");
		assertThat(Signature.getInstance("SHA384withECDSA").getProvider().getName()).isEqualTo("SunEC");
	}

	@ParameterizedTest
	@EnumSource(NativeSignatures.Algorithm.class)
	void signWhenAwsLcFailsToLoadThenTheJdkSignsAndVerifies(NativeSignatures.Algorithm algorithm) throws Exception {
		AtomicInteger loads = new AtomicInteger();
		NativeSignatures.AwsLc broken = new NativeSignatures.AwsLc(() -> {
			loads.incrementAndGet();
			throw new UnsatisfiedLinkError("pretend: libamazonCorrettoCryptoProvider.so did not load");
		});
		// Not installed: the test's own provider, asked by name, leaves the JVM's providers as they are.
		Provider provider = NativeSignatures.signingOnly(broken);
		KeyPair keys = keys(algorithm);

		Signature verifierFirst = Signature.getInstance(algorithm.jca, provider);
		verifierFirst.initVerify(keys.getPublic());
		assertThat(loads).as("verifying never loads AWS-LC").hasValue(0);
		for (int round = 0; round < 2; round++) {
			Signature signer = Signature.getInstance(algorithm.jca, provider);
			assertThat(loads).as("nothing loaded before a signature asks").hasValue(round == 0 ? 0 : 1);
			signer.initSign(keys.getPrivate());
			signer.update(TOKEN);
			byte[] signature = signer.sign();
			Signature verifier = Signature.getInstance(algorithm.jca, algorithm.jdk);
			verifier.initVerify(keys.getPublic());
			verifier.update(TOKEN);
			assertThat(verifier.verify(signature)).isTrue();
		}
		assertThat(loads).as("a failed load is not tried again on every signature").hasValue(1);
		assertThat(broken.signs()).as("the JDK signs").isFalse();
	}

	@Test
	void signWhenAwsLcUnhealthyThenTheJdkSigns() throws Exception {
		NativeSignatures.AwsLc unhealthy = new NativeSignatures.AwsLc(() -> {
			throw new IllegalStateException("pretend: self-tests failed");
		});
		KeyPair keys = keys(NativeSignatures.Algorithm.ES256);
		Signature signer = Signature.getInstance("SHA256withECDSA", NativeSignatures.signingOnly(unhealthy));
		signer.initSign(keys.getPrivate());
		signer.update(TOKEN);
		byte[] signature = signer.sign();
		Signature verifier = Signature.getInstance("SHA256withECDSA", "SunEC");
		verifier.initVerify(keys.getPublic());
		verifier.update(TOKEN);
		assertThat(verifier.verify(signature)).isTrue();
		assertThat(unhealthy.signs()).isFalse();
	}

	private static KeyPair keys(NativeSignatures.Algorithm algorithm) throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.keyType, algorithm.jdk);
		if (algorithm == NativeSignatures.Algorithm.ES256) {
			generator.initialize(new ECGenParameterSpec("secp256r1"));
		}
		else {
			generator.initialize(2048);
		}
		return generator.generateKeyPair();
	}

}
