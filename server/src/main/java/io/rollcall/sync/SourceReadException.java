package io.rollcall.sync;

/**
 * A source could not be read completely; the message says why in words an admin understands. The run is retried
 * with back-off unless the problem is {@linkplain #permanent(String) permanent}: a provider that is down, throttles
 * or answers an error comes back in step on its own once it recovers.
 */
public class SourceReadException extends RuntimeException {

	private final boolean retryable;

	public SourceReadException(String message) {
		this(message, null, true);
	}

	public SourceReadException(String message, Throwable cause) {
		this(message, cause, true);
	}

	private SourceReadException(String message, Throwable cause, boolean retryable) {
		super(message, cause);
		this.retryable = retryable;
	}

	/** A problem that reading again cannot mend (a file that is not CSV, a source that is not set up): no retry. */
	public static SourceReadException permanent(String message) {
		return new SourceReadException(message, null, false);
	}

	public boolean retryable() {
		return this.retryable;
	}

}
