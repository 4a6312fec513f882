/**
 * The append-only history of every change in a company: who or which source, what, old to new.
 * Every module that changes a company's data records here, in the same transaction as the change.
 */
package io.rollcall.audit;
