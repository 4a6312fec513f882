/**
 * The operator's API on the bare base domain: creating companies with their first API key and owner.
 */
package io.rollcall.operator;
