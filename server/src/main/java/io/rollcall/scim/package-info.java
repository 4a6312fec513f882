/**
 * The SCIM 2.0 server (RFC 7643/7644) that identity providers such as Entra ID and Okta push people and groups
 * into: Users become people through the sync engine, Groups become tags. Per company: on/off, secret tokens and
 * OAuth client credentials, and a log of recent requests.
 */
package io.rollcall.scim;
