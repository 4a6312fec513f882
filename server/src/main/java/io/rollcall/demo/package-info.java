/**
 * The demo started by {@code ./rollcall run --demo}: a sample company to click through.
 */
package io.rollcall.demo;
