package io.rollcall.platform;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Rollcall's settings; each one can be given as an environment variable ({@code ROLLCALL_BASE_DOMAIN}, ...).
 */
@ConfigurationProperties("rollcall")
public record RollcallProperties(
		String baseDomain,
		Path dataDir,
		String operatorToken,
		String publicScheme,
		String publicPort,
		boolean cookieSecure,
		Database database,
		Smtp smtp,
		Duration invitationValidity,
		SignIn signIn) {

	/** @param durable fsync on; tests turn it off for speed, nothing else should */
	public record Database(String url, String user, String password, boolean durable) {

		public boolean isExternal() {
			return this.url != null && !this.url.isBlank();
		}

	}

	public record Smtp(String from) {
	}

	public record SignIn(int maxFailures, Duration lockDuration) {
	}

	public boolean hasOperatorToken() {
		return this.operatorToken != null && !this.operatorToken.isBlank();
	}

}
