/**
 * The demo started by {@code ./rollcall run --demo}: a sample company to click through, and the Entra ID and Okta
 * emulators in-process wired to it. It lives in the demo's jar ({@code demo/target/rollcall-demo.jar}), with the
 * emulators, so that the production jar carries neither.
 */
package io.rollcall.demo;
