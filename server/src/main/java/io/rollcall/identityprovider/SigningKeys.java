package io.rollcall.identityprovider;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.rollcall.platform.SecretBox;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * The keys tokens are signed with, kept in {@code signing_key} with the private part sealed, so that every node signs
 * with the same key and a restart does not invalidate the tokens applications hold. The newest key signs; every key
 * not yet retired long enough is listed in the JWKS. Read from the database at most every 30 seconds.
 * <p>
 * Keys rotate every {@link #ROTATION} (or at once, by {@link #rotate()}): the new key is published next to the old
 * one, which stays in the JWKS for {@link #OVERLAP} after it stopped signing, far longer than any token it signed
 * lives, so an application that cached the JWKS still verifies every token it holds.
 * <p>
 * There is a current key per algorithm: RS256, which OpenID Connect requires every provider to offer for ID tokens
 * (and which signs them unless the application asked for ES256), and ES256, which signs access tokens. A token
 * request signs two tokens: with the JDK's code an RSA signature cost 0.8 ms of CPU here and an ES256 one 0.12 ms,
 * most of the token endpoint's cost; AWS-LC makes them in about a third and a sixth of that
 * ({@code platform.NativeSignatures}, bench/RESULTS.md).
 */
@Component
final class SigningKeys implements JWKSource<SecurityContext> {

	private static final Duration REFRESH = Duration.ofSeconds(30);

	static final Duration ROTATION = Duration.ofDays(90);

	static final Duration OVERLAP = Duration.ofDays(1);

	/** The algorithms there is always a current key for. */
	static final List<JWSAlgorithm> ALGORITHMS = List.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

	private final JdbcClient jdbc;

	private final SecretBox secrets;

	private final TransactionTemplate transaction;

	private final Clock clock;

	private volatile Loaded loaded;

	/**
	 * The keys and, made once for every token signed until the next read, their set and each algorithm's signing
	 * (the newest key of the algorithm with its signer).
	 */
	private record Loaded(List<JWK> keys, JWKSet set, Map<JWSAlgorithm, Signing> signings, Instant at) {

		Loaded(List<JWK> keys, Instant at) {
			this(keys, new JWKSet(keys), signings(keys), at);
		}

		private static Map<JWSAlgorithm, Signing> signings(List<JWK> keys) {
			Map<JWSAlgorithm, Signing> signings = new HashMap<>();
			for (JWSAlgorithm algorithm : ALGORITHMS) {
				// Newest first: the first key of the algorithm signs, as the encoder's selector picks it.
				keys.stream()
					.filter(key -> algorithm.equals(key.getAlgorithm()) && KeyUse.SIGNATURE.equals(key.getKeyUse())
							&& key.getKeyID() != null)
					.findFirst()
					.ifPresent(key -> signings.put(algorithm, Signing.of(algorithm, key)));
			}
			return Map.copyOf(signings);
		}

	}

	/**
	 * The key an algorithm's tokens are signed with now: its signer and the JWS header naming the algorithm and the
	 * key, encoded once ({@link CompactJwtEncoder}).
	 */
	record Signing(JWSSigner signer, JWSHeader header, String encodedHeader) {

		static Signing of(JWSAlgorithm algorithm, JWK key) {
			try {
				return new Signing(new DefaultJWSSignerFactory().createJWSSigner(key, algorithm),
						new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(),
						CompactJwtEncoder.encodedHeader(algorithm, key.getKeyID()));
			}
			catch (JOSEException ex) {
				throw new IllegalStateException("A stored signing key cannot sign " + algorithm, ex);
			}
		}

	}

	SigningKeys(JdbcClient jdbc, SecretBox secrets, TransactionTemplate transaction, Clock clock) {
		Assert.notNull(jdbc, "jdbc cannot be null");
		Assert.notNull(secrets, "secrets cannot be null");
		this.jdbc = jdbc;
		this.secrets = secrets;
		this.transaction = transaction;
		this.clock = clock;
	}

	@Override
	public List<JWK> get(JWKSelector selector, SecurityContext context) {
		return selector.select(loaded().set());
	}

	/** The newest key of the algorithm, ready to sign; null when there is none (the set has no such key). */
	Signing signing(JWSAlgorithm algorithm) {
		return loaded().signings().get(algorithm);
	}

	/** The keys, newest first; the first use makes one. */
	List<JWK> keys() {
		return loaded().keys();
	}

	private Loaded loaded() {
		Loaded current = this.loaded;
		Instant now = Instant.now(this.clock);
		if (current == null || current.keys().isEmpty() || current.at().plus(REFRESH).isBefore(now)
				|| current.at().isAfter(now)) {
			current = new Loaded(load(), now);
			this.loaded = current;
		}
		return current;
	}

	private List<JWK> load() {
		if (ALGORITHMS.stream().allMatch(this::current)) {
			return read();
		}
		return this.transaction.execute(status -> {
			// One node makes the first keys, or the next; the others wait here and then read them.
			lock();
			ALGORITHMS.stream().filter(algorithm -> !current(algorithm)).forEach(this::addKey);
			return read();
		});
	}

	/** New keys sign from now on; the ones before stay in the JWKS for {@link #OVERLAP}. */
	void rotate() {
		this.transaction.executeWithoutResult(status -> {
			lock();
			ALGORITHMS.forEach(this::addKey);
		});
		this.loaded = null;
	}

	private void lock() {
		this.jdbc.sql("select pg_advisory_xact_lock(hashtext('signing_key'))").query(Object.class).single();
	}

	private void addKey(JWSAlgorithm algorithm) {
		Instant now = Instant.now(this.clock);
		this.jdbc.sql("update signing_key set retired_at = :now where retired_at is null and algorithm = :algorithm")
			.param("now", java.sql.Timestamp.from(now))
			.param("algorithm", algorithm.getName())
			.update();
		JWK key = generate(algorithm);
		this.jdbc.sql("""
				insert into signing_key (kid, jwk_sealed, created_at, algorithm) values (:kid, :jwk, :now, :algorithm)
				""")
			.param("kid", key.getKeyID())
			.param("jwk", this.secrets.seal(key.toJSONString()))
			.param("now", java.sql.Timestamp.from(now))
			.param("algorithm", algorithm.getName())
			.update();
	}

	/** Whether the algorithm has a key young enough to sign with. */
	private boolean current(JWSAlgorithm algorithm) {
		return this.jdbc.sql("""
				select created_at from signing_key where retired_at is null and algorithm = :algorithm
				order by created_at desc limit 1
				""")
			.param("algorithm", algorithm.getName())
			.query(java.sql.Timestamp.class)
			.optional()
			.map(java.sql.Timestamp::toInstant)
			.filter(at -> at.plus(ROTATION).isAfter(Instant.now(this.clock)))
			.isPresent();
	}

	private List<JWK> read() {
		Instant shownSince = Instant.now(this.clock).minus(OVERLAP);
		return this.jdbc.sql("""
				select jwk_sealed from signing_key
				where retired_at is null or retired_at > :shownSince
				order by created_at desc
				""")
			.param("shownSince", java.sql.Timestamp.from(shownSince))
			.query(String.class)
			.list()
			.stream()
			.map(this::open)
			.toList();
	}

	private JWK open(String sealed) {
		try {
			return JWK.parse(this.secrets.open(sealed));
		}
		catch (ParseException ex) {
			throw new IllegalStateException("A stored signing key is not a JWK", ex);
		}
	}

	private static JWK generate(JWSAlgorithm algorithm) {
		try {
			if (JWSAlgorithm.ES256.equals(algorithm)) {
				return new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE)
					.algorithm(algorithm)
					.keyID(UUID.randomUUID().toString())
					.generate();
			}
			return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE)
				.algorithm(algorithm)
				.keyID(UUID.randomUUID().toString())
				.generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("RSA and EC key generation are part of every JDK", ex);
		}
	}

}
