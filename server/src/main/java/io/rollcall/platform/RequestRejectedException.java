package io.rollcall.platform;

import org.springframework.http.HttpStatus;

/**
 * A request a user can fix: answered with its status and a message that says what to do, never a stack trace.
 */
public class RequestRejectedException extends RuntimeException {

	private final HttpStatus status;

	private final String field;

	public RequestRejectedException(HttpStatus status, String field, String message) {
		super(message);
		this.status = status;
		this.field = field;
	}

	public static RequestRejectedException invalid(String field, String message) {
		return new RequestRejectedException(HttpStatus.BAD_REQUEST, field, message);
	}

	public static RequestRejectedException notFound(String what) {
		return new RequestRejectedException(HttpStatus.NOT_FOUND, null, what + " was not found");
	}

	public static RequestRejectedException conflict(String field, String message) {
		return new RequestRejectedException(HttpStatus.CONFLICT, field, message);
	}

	public HttpStatus status() {
		return this.status;
	}

	/** The request field at fault, or null when the request as a whole is. */
	public String field() {
		return this.field;
	}

}
