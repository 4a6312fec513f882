package io.rollcall.company;

/** A key just made: {@code secret} is shown this once and cannot be read again. */
public record NewApiKey(ApiKey key, String secret) {
}
