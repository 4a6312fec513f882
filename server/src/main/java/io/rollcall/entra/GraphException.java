package io.rollcall.entra;

/**
 * Graph or the sign-in authority answered with an error, or could not be reached after the retries. The message is
 * for an admin: what was refused and, where Graph says it, why.
 */
final class GraphException extends RuntimeException {

	/** Graph's "the object does not exist" for directory objects (a deleted user, an unknown group, no manager). */
	static final String RESOURCE_NOT_FOUND = "Request_ResourceNotFound";

	private final int status;

	private final String code;

	GraphException(int status, String code, String message) {
		super(message);
		this.status = status;
		this.code = code;
	}

	GraphException(String message, Throwable cause) {
		super(message, cause);
		this.status = 0;
		this.code = null;
	}

	/** The HTTP status, 0 when no answer came. */
	int status() {
		return this.status;
	}

	/** Graph's error code ({@code Request_ResourceNotFound}, {@code syncStateNotFound}, ...) or null. */
	String code() {
		return this.code;
	}

	/** Any 404: enough for a photo, whose absence means nothing more; never for a person or a membership. */
	boolean notFound() {
		return this.status == 404;
	}

	/**
	 * Whether Graph said the object does not exist: a 404 with {@code Request_ResourceNotFound}. Any other 404 (an
	 * {@code UnknownError} while the directory replicates, a gateway's page) says nothing about the object.
	 */
	boolean resourceNotFound() {
		return this.status == 404 && RESOURCE_NOT_FOUND.equals(this.code);
	}

}
