package io.rollcall.connector;

/**
 * A provider refused or failed a call, or could not be reached after the retries. The message is for an admin: what
 * was refused and, where the provider says it, why. The provider's own error code and summary are kept, as they alone
 * tell "this does not exist" from "you may not ask" or "no such endpoint".
 */
public final class ProviderException extends RuntimeException {

	private final int status;

	private final String code;

	private final String summary;

	public ProviderException(int status, String code, String message) {
		this(status, code, null, message);
	}

	public ProviderException(int status, String code, String summary, String message) {
		super(message);
		this.status = status;
		this.code = code;
		this.summary = summary;
	}

	public ProviderException(String message, Throwable cause) {
		super(message, cause);
		this.status = 0;
		this.code = null;
		this.summary = null;
	}

	/** The HTTP status, 0 when no answer came. */
	public int status() {
		return this.status;
	}

	/** The provider's error code (Graph's {@code Request_ResourceNotFound}, Okta's {@code E0000007}, ...), or null. */
	public String code() {
		return this.code;
	}

	/** The provider's one-line description of the error (Okta's {@code errorSummary}), or null. */
	public String summary() {
		return this.summary;
	}

	/** Any 404: enough for a photo, whose absence means nothing more; never for a person or a membership. */
	public boolean notFound() {
		return this.status == 404;
	}

	/**
	 * Whether the provider answered 404 with {@code code}, its own "this object does not exist". Any other 404 (an
	 * error while the directory replicates, an unsupported endpoint, a gateway's page) says nothing about the object.
	 */
	public boolean notFound(String code) {
		return this.status == 404 && code.equals(this.code);
	}

}
