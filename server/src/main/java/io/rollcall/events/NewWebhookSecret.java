package io.rollcall.events;

/**
 * An endpoint with the secret it signs with, shown this once: Rollcall keeps it encrypted and never shows it again.
 *
 * @param secret {@code whsec_...}, for the receiver's Standard Webhooks library
 */
public record NewWebhookSecret(WebhookEndpoint endpoint, String secret) {
}
