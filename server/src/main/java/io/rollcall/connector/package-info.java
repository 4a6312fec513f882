/**
 * What every directory connector shares, so that a provider's package holds only what differs (its listing, its
 * incremental strategy, its record mapping, its notifications): the provider HTTP client with per-provider rules
 * for authentication, retry waits and error bodies ({@link io.rollcall.connector.ProviderHttp}), and the one
 * exception a provider's refusal becomes ({@link io.rollcall.connector.ProviderException}).
 */
package io.rollcall.connector;
