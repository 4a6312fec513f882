package io.rollcall.platform;

import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.util.List;
import java.util.Map;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * ES256 signatures (ECDSA on P-256 with SHA-256) made by AWS-LC, the native library of Amazon Corretto Crypto
 * Provider, where it loads (Linux on x86-64 or ARM), and by the JDK elsewhere. Every token request signs an access
 * token and an ID token; the JDK's P-256 signature took 120 µs of CPU, a third of the token endpoint's, most of it a
 * modular inverse computed without the field intrinsics (bench/RESULTS.md, 2026-12-05, fifth session), and AWS-LC's
 * takes a sixth of that.
 * <p>
 * Only this one algorithm is handed over, by a provider placed first that offers nothing else: whatever else Rollcall
 * hashes, encrypts, verifies or draws at random stays with the JDK's providers as before. Nimbus (and so Spring
 * Authorization Server's encoder) asks the JCA for {@code SHA256withECDSA} on every signature, so it finds this one
 * without being told. A signature is a signature: anyone verifies it with any provider.
 */
@Component
final class EcdsaSignatures {

	private static final Logger log = LoggerFactory.getLogger(EcdsaSignatures.class);

	static final String ALGORITHM = "SHA256withECDSA";

	static final String PROVIDER = "RollcallEcdsa";

	EcdsaSignatures() {
		install();
	}

	/** Places the provider first, once; with AWS-LC missing, the JDK keeps signing and the log says why. */
	static synchronized boolean install() {
		if (Security.getProvider(PROVIDER) != null) {
			return true;
		}
		Throwable missing = loadingError();
		if (missing != null) {
			log.info("ES256 signatures by the JDK: AWS-LC (Amazon Corretto Crypto Provider) is not available here ({})",
					missing.toString());
			return false;
		}
		Security.insertProviderAt(new AwsLcEcdsa(AmazonCorrettoCryptoProvider.INSTANCE), 1);
		log.info("ES256 signatures by AWS-LC (Amazon Corretto Crypto Provider {})",
				AmazonCorrettoCryptoProvider.INSTANCE.getVersionStr());
		return true;
	}

	private static Throwable loadingError() {
		try {
			AmazonCorrettoCryptoProvider provider = AmazonCorrettoCryptoProvider.INSTANCE;
			if (provider.getLoadingError() != null) {
				return provider.getLoadingError();
			}
			return provider.getService("Signature", ALGORITHM) == null
					? new NoSuchAlgorithmException(ALGORITHM + " is not offered") : null;
		}
		catch (LinkageError | RuntimeException ex) {
			return ex;
		}
	}

	/** A provider with AWS-LC's {@code SHA256withECDSA} and nothing else. */
	private static final class AwsLcEcdsa extends Provider {

		AwsLcEcdsa(Provider awsLc) {
			super(PROVIDER, "1", "SHA256withECDSA by AWS-LC (Amazon Corretto Crypto Provider), nothing else");
			Provider.Service signature = awsLc.getService("Signature", ALGORITHM);
			putService(new Provider.Service(this, "Signature", ALGORITHM, signature.getClassName(), List.of(), Map.of()) {

				@Override
				public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
					return signature.newInstance(parameter);
				}

				@Override
				public boolean supportsParameter(Object key) {
					return signature.supportsParameter(key);
				}

			});
		}

	}

}
