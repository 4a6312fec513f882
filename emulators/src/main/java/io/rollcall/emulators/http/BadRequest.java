package io.rollcall.emulators.http;

/** A request the emulator refuses with 400; the message tells the caller what to fix. */
public final class BadRequest extends RuntimeException {

    public BadRequest(String message) {
        super(message);
    }
}
