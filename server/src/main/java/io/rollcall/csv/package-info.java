/**
 * CSV import: a source of people read from an uploaded file.
 */
package io.rollcall.csv;
