package io.rollcall.entra;

/**
 * Graph or the sign-in authority answered with an error, or could not be reached after the retries. The message is
 * for an admin: what was refused and, where Graph says it, why.
 */
final class GraphException extends RuntimeException {

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

	boolean notFound() {
		return this.status == 404;
	}

}
