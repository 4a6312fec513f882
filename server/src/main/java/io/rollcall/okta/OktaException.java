package io.rollcall.okta;

/** Okta refused or failed a call; the message is written for an admin. */
final class OktaException extends RuntimeException {

	private final int status;

	private final String code;

	OktaException(int status, String code, String message) {
		super(message);
		this.status = status;
		this.code = code;
	}

	OktaException(String message, Throwable cause) {
		super(message, cause);
		this.status = 0;
		this.code = null;
	}

	int status() {
		return this.status;
	}

	String code() {
		return this.code;
	}

	boolean notFound() {
		return this.status == 404;
	}

}
