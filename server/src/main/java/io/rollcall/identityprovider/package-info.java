/**
 * Rollcall as the OpenID Provider of the host application: applications registered by the operator (and a company's
 * own, in its console), one issuer per company at {@code {slug}.{base-domain}}, sign-in through the company's own
 * sign-in page, the person's profile as claims, signing keys kept sealed, recent sign-ins per application, the
 * console's "Try it". Built on Spring Authorization Server and its JDBC stores.
 */
package io.rollcall.identityprovider;
