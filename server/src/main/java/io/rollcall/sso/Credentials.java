package io.rollcall.sso;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.rollcall.audit.AuditLog;
import io.rollcall.directory.Person;
import io.rollcall.platform.Actor;
import io.rollcall.platform.RequestRejectedException;
import io.rollcall.platform.RollcallProperties;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Passwords, hashed with Argon2id (the hash names its algorithm, so it can be upgraded later), and the lock-out
 * after repeated failures.
 */
@Service
class Credentials {

	static final int MIN_LENGTH = 10;

	private final JdbcClient jdbc;

	private final AuditLog audit;

	private final PasswordEncoder encoder;

	private final int maxFailures;

	private final Duration lockDuration;

	/**
	 * Compared against when the e-mail is unknown, so that a wrong e-mail costs as long as a wrong password: an Argon2id
	 * hash of a random string with the encoder's own cost settings (CredentialsTests holds them equal). A constant
	 * rather than hashed at start, which took a fifth of a second of every start (bench/RESULTS.md, sixteenth session);
	 * knowing its password gains nothing, since a match against it is never a sign-in.
	 */
	static final String DECOY_HASH = "{argon2}$argon2id$v=19$m=16384,t=2,p=1$RfKOo6ajJB4qjQ/iBE4juA$"
			+ "fKIHwx3oHNC/N6Ubrmi1A2IZkyyfDh1Btjkxvkk2vEo";

	Credentials(JdbcClient jdbc, AuditLog audit, RollcallProperties properties) {
		this.jdbc = jdbc;
		this.audit = audit;
		this.encoder = passwordEncoder();
		this.maxFailures = properties.signIn().maxFailures();
		this.lockDuration = properties.signIn().lockDuration();
	}

	static PasswordEncoder passwordEncoder() {
		return new DelegatingPasswordEncoder("argon2", Map.of("argon2",
				Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8(), "bcrypt", new BCryptPasswordEncoder()));
	}

	/** Checks the new password and stores its hash, in the caller's transaction. */
	@Transactional(propagation = Propagation.MANDATORY)
	void setPassword(UUID companyId, Person person, String password, Actor actor) {
		requireAcceptable(person, password);
		this.jdbc.sql("""
				insert into credential (person_id, password_hash) values (:person, :hash)
				on conflict (person_id) do update set password_hash = excluded.password_hash, failed_attempts = 0,
				    locked_until = null, updated_at = now()
				""").param("person", person.id()).param("hash", this.encoder.encode(password)).update();
		this.audit.record(companyId, actor, "person", person.id(), "password_set", Map.of());
	}

	static void requireAcceptable(Person person, String password) {
		if (password == null || password.length() < MIN_LENGTH) {
			throw RequestRejectedException.invalid("password",
					"Choose a password of at least " + MIN_LENGTH + " characters");
		}
		if (password.length() > 200) {
			throw RequestRejectedException.invalid("password", "Choose a password of at most 200 characters");
		}
		if (password.equalsIgnoreCase(person.email()) || password.isBlank()) {
			throw RequestRejectedException.invalid("password", "Choose a password that is not your e-mail address");
		}
	}

	enum Outcome {
		SIGNED_IN, WRONG, LOCKED
	}

	/**
	 * Checks a password for a person (or for nobody, when {@code personId} is empty). Each failure counts; the
	 * {@code maxFailures}-th locks the account for the lock duration. Runs in its own transactions so a failure's
	 * count is kept although the sign-in fails.
	 */
	Outcome verify(Optional<UUID> personId, String password) {
		if (personId.isEmpty()) {
			this.encoder.matches(password, DECOY_HASH);
			return Outcome.WRONG;
		}
		UUID id = personId.get();
		var row = this.jdbc.sql("select password_hash, locked_until from credential where person_id = :id")
			.param("id", id)
			.query((rs, n) -> new Object[] { rs.getString(1), rs.getTimestamp(2) })
			.optional();
		if (row.isEmpty()) {
			this.encoder.matches(password, DECOY_HASH);
			return Outcome.WRONG;
		}
		java.sql.Timestamp lockedUntil = (java.sql.Timestamp) row.get()[1];
		if (lockedUntil != null && lockedUntil.toInstant().isAfter(Instant.now())) {
			return Outcome.LOCKED;
		}
		if (this.encoder.matches(password, (String) row.get()[0])) {
			this.jdbc.sql("update credential set failed_attempts = 0, locked_until = null where person_id = :id")
				.param("id", id)
				.update();
			return Outcome.SIGNED_IN;
		}
		Boolean locked = this.jdbc
			.sql("""
					update credential set
					    failed_attempts = case when failed_attempts + 1 >= :max then 0 else failed_attempts + 1 end,
					    locked_until = case when failed_attempts + 1 >= :max then now() + cast(:lock as interval) else locked_until end
					where person_id = :id
					returning locked_until is not null and locked_until > now()
					""")
			.param("max", this.maxFailures)
			.param("lock", this.lockDuration.toSeconds() + " seconds")
			.param("id", id)
			.query(Boolean.class)
			.single();
		return Boolean.TRUE.equals(locked) ? Outcome.LOCKED : Outcome.WRONG;
	}

	Duration lockDuration() {
		return this.lockDuration;
	}

}
