/**
 * Signing in: the security rules of every endpoint, password sign-in with lock-out, invitation acceptance,
 * API keys and the operator token on the API. Single sign-on with OpenID Connect joins here.
 */
package io.rollcall.sso;
