package io.rollcall.sync;

/** A source could not be read completely; the message says why in words an admin understands. */
public class SourceReadException extends RuntimeException {

	public SourceReadException(String message) {
		super(message);
	}

	public SourceReadException(String message, Throwable cause) {
		super(message, cause);
	}

}
