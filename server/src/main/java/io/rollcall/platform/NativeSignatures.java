package io.rollcall.platform;

import java.nio.ByteBuffer;
import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.spec.AlgorithmParameterSpec;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * RS256 and ES256 signatures made by AWS-LC, the native library of Amazon Corretto Crypto Provider, where it loads
 * (Linux on x86-64 here), and by the JDK elsewhere. Every token request signs an access token and an ID token: the
 * JDK's P-256 signature took 120 µs of CPU and its RSA-2048 one 800 µs, together a third of the token endpoint's
 * CPU; AWS-LC's take about a sixth and a third of that (bench/RESULTS.md, 2026-12-05, fifth session).
 * <p>
 * Only signing is handed over, by a provider placed first that offers these two algorithms and nothing else:
 * verifying, hashing, encryption and random numbers stay with the JDK's providers as before. Nimbus (and so Spring
 * Authorization Server's encoder) asks the JCA for {@code SHA256withECDSA} or {@code SHA256withRSA} on every
 * signature, so it finds this one without being told. A signature is a signature: anyone verifies it with any
 * provider.
 * <p>
 * The signing key, a JDK key, is turned into AWS-LC's form once and the result kept: turning it over on every
 * signature cost more than the signature.
 * <p>
 * AWS-LC is loaded by the first signature, not as the application starts: loading its native library and running its
 * self-tests takes tens of milliseconds that start-up (healthy within 3 s, issue 19) need not wait for. A library that
 * does not load or is not healthy ({@code assertHealthy}) leaves signing to the JDK for good, said once in the log.
 */
@Component
final class NativeSignatures {

	private static final Logger log = LoggerFactory.getLogger(NativeSignatures.class);

	static final String PROVIDER = "RollcallNativeSignatures";

	/** The AWS-LC behind the installed provider: not loaded until the first signature. */
	static final AwsLc AWS_LC = new AwsLc(AwsLc::load);

	/** The algorithms signed natively, with the key type and the JDK provider that verifies them. */
	enum Algorithm {

		ES256("SHA256withECDSA", "EC", "SunEC"), RS256("SHA256withRSA", "RSA", "SunRsaSign");

		final String jca;

		final String keyType;

		final String jdk;

		Algorithm(String jca, String keyType, String jdk) {
			this.jca = jca;
			this.keyType = keyType;
			this.jdk = jdk;
		}

	}

	NativeSignatures() {
		install();
	}

	/** Places the provider first, once. Cheap: AWS-LC itself is loaded by the first signature. */
	static synchronized void install() {
		if (Security.getProvider(PROVIDER) == null) {
			Security.insertProviderAt(signingOnly(AWS_LC), 1);
		}
	}

	/** A provider offering {@link Algorithm}'s signatures: {@code awsLc} signs where it is healthy, the JDK verifies. */
	static Provider signingOnly(AwsLc awsLc) {
		return new SigningOnly(awsLc);
	}

	/**
	 * AWS-LC, loaded and checked when a signature first asks for it, then kept; or, failing, never asked for again.
	 */
	static final class AwsLc {

		private final Supplier<Provider> loader;

		/** The signing keys in AWS-LC's form by algorithm; empty when the JDK signs; null until first asked. */
		private volatile Map<Algorithm, AwsLcKeys> keys;

		/** @param loader gives a healthy AWS-LC provider or throws why not */
		AwsLc(Supplier<Provider> loader) {
			this.loader = loader;
		}

		/** Whether AWS-LC signs: loads it if no signature has asked yet. */
		boolean signs() {
			return !keys().isEmpty();
		}

		/** AWS-LC's keys for the algorithm, or null when the JDK signs. */
		AwsLcKeys keys(Algorithm algorithm) {
			return keys().get(algorithm);
		}

		private Map<Algorithm, AwsLcKeys> keys() {
			Map<Algorithm, AwsLcKeys> loaded = this.keys;
			if (loaded == null) {
				synchronized (this) {
					loaded = this.keys;
					if (loaded == null) {
						loaded = load(this.loader);
						this.keys = loaded;
					}
				}
			}
			return loaded;
		}

		private static Map<Algorithm, AwsLcKeys> load(Supplier<Provider> loader) {
			try {
				Provider awsLc = loader.get();
				Map<Algorithm, AwsLcKeys> keys = new EnumMap<>(Algorithm.class);
				for (Algorithm algorithm : Algorithm.values()) {
					if (awsLc.getService("Signature", algorithm.jca) == null
							|| Security.getProvider(algorithm.jdk) == null) {
						throw new IllegalStateException(algorithm.jca + " is not offered");
					}
					keys.put(algorithm, new AwsLcKeys(awsLc, algorithm));
				}
				log.info("RS256 and ES256 signatures by AWS-LC ({} {})", awsLc.getName(), awsLc.getVersionStr());
				return keys;
			}
			catch (NotLoaded ex) {
				// Expected where no library is built for the platform (only Linux on x86-64 is bundled).
				log.info("Signatures by the JDK: AWS-LC (Amazon Corretto Crypto Provider) is not available here ({})",
						ex.getMessage());
				return Map.of();
			}
			catch (LinkageError | RuntimeException ex) {
				log.warn("Signatures by the JDK: AWS-LC (Amazon Corretto Crypto Provider) is not healthy here ({})",
						ex.toString());
				return Map.of();
			}
		}

		/** Amazon Corretto Crypto Provider, its native library loaded and its self-tests passed. */
		static Provider load() {
			AmazonCorrettoCryptoProvider provider;
			try {
				provider = AmazonCorrettoCryptoProvider.INSTANCE;
			}
			catch (LinkageError ex) {
				throw new NotLoaded(ex);
			}
			if (provider.getLoadingError() != null) {
				throw new NotLoaded(provider.getLoadingError());
			}
			provider.assertHealthy();
			return provider;
		}

	}

	/** AWS-LC's library did not load: the reason only (a loading error's stack says nothing more to an operator). */
	private static final class NotLoaded extends RuntimeException {

		NotLoaded(Throwable cause) {
			super(cause.toString(), null, false, false);
		}

	}

	/** A provider offering {@link Algorithm}'s signatures: AWS-LC signs, the JDK verifies. */
	private static final class SigningOnly extends Provider {

		SigningOnly(AwsLc awsLc) {
			super(PROVIDER, "1", "RS256 and ES256 signing by AWS-LC (Amazon Corretto Crypto Provider), nothing else");
			for (Algorithm algorithm : Algorithm.values()) {
				putService(new Provider.Service(this, "Signature", algorithm.jca, Delegating.class.getName(), List.of(),
						Map.of("SupportedKeyClasses", "java.security.Key")) {

					@Override
					public Object newInstance(Object parameter) {
						return new Delegating(algorithm, awsLc);
					}

				});
			}
		}

	}

	/** Signing keys in AWS-LC's form, by the JDK key they were made from (a few: one a signer). */
	private static final class AwsLcKeys {

		private static final int MOST = 16;

		private final Map<PrivateKey, PrivateKey> byJdkKey = new ConcurrentHashMap<>();

		private final Provider awsLc;

		private final KeyFactory factory;

		AwsLcKeys(Provider awsLc, Algorithm algorithm) {
			this.awsLc = awsLc;
			try {
				this.factory = KeyFactory.getInstance(algorithm.keyType, awsLc);
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(algorithm.keyType + " keys are part of AWS-LC", ex);
			}
		}

		Provider provider() {
			return this.awsLc;
		}

		/** The key in AWS-LC's form, or null where AWS-LC does not take it (the JDK signs then). */
		PrivateKey of(PrivateKey key) {
			PrivateKey kept = this.byJdkKey.get(key);
			if (kept != null) {
				return kept;
			}
			Key translated;
			try {
				translated = this.factory.translateKey(key);
			}
			catch (InvalidKeyException | RuntimeException notForAwsLc) {
				return null;
			}
			if (this.byJdkKey.size() >= MOST) {
				this.byJdkKey.clear(); // keys rotate every 90 days: only a leak would fill it
			}
			this.byJdkKey.put(key, (PrivateKey) translated);
			return (PrivateKey) translated;
		}

	}

	/** Signs with AWS-LC and the key in its form; verifies, or signs what AWS-LC does not take, with the JDK. */
	private static final class Delegating extends SignatureSpi {

		private final Algorithm algorithm;

		private final AwsLc awsLc;

		private Signature delegate;

		Delegating(Algorithm algorithm, AwsLc awsLc) {
			this.algorithm = algorithm;
			this.awsLc = awsLc;
		}

		@Override
		protected void engineInitSign(PrivateKey key) throws InvalidKeyException {
			engineInitSign(key, null);
		}

		@Override
		protected void engineInitSign(PrivateKey key, SecureRandom random) throws InvalidKeyException {
			AwsLcKeys keys = this.awsLc.keys(this.algorithm);
			PrivateKey awsLcKey = (keys != null) ? keys.of(key) : null;
			this.delegate = (awsLcKey != null) ? signature(keys.provider())
					: signature(Security.getProvider(this.algorithm.jdk));
			if (random == null) {
				this.delegate.initSign(awsLcKey != null ? awsLcKey : key);
			}
			else {
				this.delegate.initSign(awsLcKey != null ? awsLcKey : key, random);
			}
		}

		@Override
		protected void engineInitVerify(PublicKey key) throws InvalidKeyException {
			this.delegate = signature(Security.getProvider(this.algorithm.jdk));
			this.delegate.initVerify(key);
		}

		private Signature signature(Provider provider) {
			try {
				return Signature.getInstance(this.algorithm.jca, provider);
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException("Checked when AWS-LC was loaded: " + this.algorithm.jca, ex);
			}
		}

		@Override
		protected void engineUpdate(byte b) throws SignatureException {
			this.delegate.update(b);
		}

		@Override
		protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
			this.delegate.update(b, off, len);
		}

		@Override
		protected void engineUpdate(ByteBuffer input) {
			try {
				this.delegate.update(input);
			}
			catch (SignatureException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		protected byte[] engineSign() throws SignatureException {
			return this.delegate.sign();
		}

		@Override
		protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
			return this.delegate.verify(sigBytes);
		}

		@Override
		protected void engineSetParameter(AlgorithmParameterSpec params) throws InvalidAlgorithmParameterException {
			if (params != null) {
				throw new InvalidAlgorithmParameterException(this.algorithm.jca + " takes no parameters");
			}
		}

		@Override
		protected AlgorithmParameters engineGetParameters() {
			return null;
		}

		@Override
		@Deprecated
		protected void engineSetParameter(String param, Object value) {
			throw new InvalidParameterException(this.algorithm.jca + " takes no parameters");
		}

		@Override
		@Deprecated
		protected Object engineGetParameter(String param) {
			throw new InvalidParameterException(this.algorithm.jca + " takes no parameters");
		}

	}

}
