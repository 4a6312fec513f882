package io.rollcall.okta;

/**
 * Okta refused or failed a call; the message is written for an admin. Carries Okta's {@code errorCode} and
 * {@code errorSummary}, which alone tell "this does not exist" from "you may not ask" or "no such endpoint".
 */
final class OktaException extends RuntimeException {

	/** Okta's "the named resource does not exist": {@code Not found: Resource not found: {id} ({type})}. */
	static final String RESOURCE_NOT_FOUND = "E0000007";

	private final int status;

	private final String code;

	private final String summary;

	OktaException(int status, String code, String message) {
		this(status, code, null, message);
	}

	OktaException(int status, String code, String summary, String message) {
		super(message);
		this.status = status;
		this.code = code;
		this.summary = summary;
	}

	OktaException(String message, Throwable cause) {
		super(message, cause);
		this.status = 0;
		this.code = null;
		this.summary = null;
	}

	/** The HTTP status, 0 when no answer came. */
	int status() {
		return this.status;
	}

	/** Okta's {@code errorCode} ({@code E0000007}, {@code E0000022}, ...), or null. */
	String code() {
		return this.code;
	}

	/** Okta's {@code errorSummary}, or null. */
	String summary() {
		return this.summary;
	}

	/**
	 * Whether Okta said that the resource {@code id} of {@code type} ({@code AppUser}, {@code User},
	 * {@code AppInstance}) does not exist: a 404 with E0000007 naming it. Any other 404 (an unsupported endpoint
	 * E0000022, a proxy's page, E0000007 about another resource) says nothing about it.
	 */
	boolean notFound(String id, String type) {
		return this.status == 404 && RESOURCE_NOT_FOUND.equals(this.code) && this.summary != null
				&& (this.summary.contains(id) || this.summary.contains("(" + type + ")"));
	}

}
