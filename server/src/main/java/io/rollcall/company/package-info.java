/**
 * Companies (the tenants), how a request's host names its company, company settings and API keys.
 */
package io.rollcall.company;
