/**
 * Signing in: the security rules of every endpoint, password sign-in with lock-out, invitation acceptance,
 * API keys and the operator token on the API, and single sign-on with OpenID Connect (per-company settings,
 * company-aware client registrations, ID token checks, account linking, sign-out at the provider).
 */
package io.rollcall.sso;
