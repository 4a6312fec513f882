package io.rollcall.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Encrypts secrets kept in the database (tenant ids, client secrets, provider tokens) with AES-256-GCM. The key
 * comes from {@code ROLLCALL_SECRETS_KEY} (32 bytes, base64); without it one is made once and kept in
 * {@code {data-dir}/secrets.key}, readable by the owner only, so a first run needs no set-up.
 */
@Component
public final class SecretBox {

	private static final Logger log = LoggerFactory.getLogger(SecretBox.class);

	private static final String VERSION = "v1:";

	private static final int IV_BYTES = 12;

	private static final byte BINARY_VERSION = 1;

	private static final SecureRandom RANDOM = new SecureRandom();

	private final String configuredKey;

	private final Path dataDir;

	/** Made on first use: a service that never stores a secret leaves no key file behind. */
	private volatile SecretKeySpec key;

	SecretBox(@Value("${rollcall.secrets-key:}") String configuredKey, RollcallProperties properties) {
		this.configuredKey = configuredKey;
		this.dataDir = properties == null ? null : properties.dataDir();
		if (configuredKey != null && !configuredKey.isBlank()) {
			this.key = new SecretKeySpec(keyBytes(configuredKey, null), "AES"); // a wrong key stops the start at once
		}
	}

	private SecretKeySpec key() {
		SecretKeySpec current = this.key;
		if (current == null) {
			synchronized (this) {
				if (this.key == null) {
					this.key = new SecretKeySpec(keyBytes(this.configuredKey, this.dataDir), "AES");
				}
				current = this.key;
			}
		}
		return current;
	}

	/** A box with this key; for tools and tests. */
	public static SecretBox withKey(byte[] key) {
		return new SecretBox(Base64.getEncoder().encodeToString(key), null);
	}

	/**
	 * Bytes encrypted with a fresh nonce, in binary: a version byte, the nonce, the ciphertext with its tag. For what
	 * is kept as bytes (sign-in sessions' attributes).
	 */
	public byte[] seal(byte[] plain) {
		try {
			byte[] iv = new byte[IV_BYTES];
			RANDOM.nextBytes(iv);
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(128, iv));
			byte[] sealed = cipher.doFinal(plain);
			byte[] out = new byte[1 + IV_BYTES + sealed.length];
			out[0] = BINARY_VERSION;
			System.arraycopy(iv, 0, out, 1, IV_BYTES);
			System.arraycopy(sealed, 0, out, 1 + IV_BYTES, sealed.length);
			return out;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM is part of every JDK", ex);
		}
	}

	/** The bytes {@link #seal(byte[])} sealed; fails when they were sealed with another key or altered. */
	public byte[] open(byte[] sealed) {
		if (sealed.length < 1 + IV_BYTES || sealed[0] != BINARY_VERSION) {
			throw new IllegalStateException("Not sealed bytes");
		}
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(128, sealed, 1, IV_BYTES));
			return cipher.doFinal(sealed, 1 + IV_BYTES, sealed.length - 1 - IV_BYTES);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(
					"Stored bytes cannot be decrypted: ROLLCALL_SECRETS_KEY is not the key they were stored with", ex);
		}
	}

	/** The secret, encrypted with a fresh nonce; null stays null. */
	public String seal(String plain) {
		if (plain == null) {
			return null;
		}
		try {
			byte[] iv = new byte[IV_BYTES];
			RANDOM.nextBytes(iv);
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(128, iv));
			byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
			byte[] out = new byte[IV_BYTES + sealed.length];
			System.arraycopy(iv, 0, out, 0, IV_BYTES);
			System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
			return VERSION + Base64.getEncoder().encodeToString(out);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM is part of every JDK", ex);
		}
	}

	/** The secret again; fails when the text was sealed with another key or altered. */
	public String open(String sealed) {
		if (sealed == null) {
			return null;
		}
		if (!sealed.startsWith(VERSION)) {
			throw new IllegalStateException("Not a sealed secret");
		}
		try {
			byte[] in = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(128, in, 0, IV_BYTES));
			return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			throw new IllegalStateException(
					"A stored secret cannot be decrypted: ROLLCALL_SECRETS_KEY is not the key it was stored with", ex);
		}
	}

	private static byte[] keyBytes(String configured, Path dataDir) {
		if (configured != null && !configured.isBlank()) {
			byte[] key;
			try {
				key = Base64.getDecoder().decode(configured.strip());
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException(
						"ROLLCALL_SECRETS_KEY must be 32 bytes in base64 (e.g. openssl rand -base64 32)");
			}
			if (key.length != 32) {
				throw new IllegalStateException(
						"ROLLCALL_SECRETS_KEY must be 32 bytes in base64 (e.g. openssl rand -base64 32), not "
								+ key.length + " bytes");
			}
			return key;
		}
		Path file = dataDir.resolve("secrets.key");
		try {
			if (Files.exists(file)) {
				return keyBytes(Files.readString(file), null);
			}
			Files.createDirectories(dataDir);
			byte[] key = new byte[32];
			RANDOM.nextBytes(key);
			try {
				// Created owner-only from the start, so the key is never readable by others even for a moment.
				Files.createFile(file,
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			}
			catch (UnsupportedOperationException ex) {
				Files.createFile(file);
			}
			Files.writeString(file, Base64.getEncoder().encodeToString(key), StandardOpenOption.TRUNCATE_EXISTING);
			log.warn("No ROLLCALL_SECRETS_KEY set: made a key for stored secrets in {}. Keep that file (or set "
					+ "ROLLCALL_SECRETS_KEY to its content): without it stored secrets cannot be read.", file);
			return key;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read or create " + file, ex);
		}
	}

}
