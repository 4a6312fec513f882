package io.rollcall.sync;

import java.util.Objects;

/**
 * Why a source's record, or the manager link it asks for, was left out of a plan. Stored as an error item's
 * {@link #message()}; a pushed record's caller decides by {@link #kind()}, never by reading the words.
 *
 * @param position where the record is in the source ("line 17", an object id), for the message
 * @param detail what is wrong and what to do, in words for an admin
 */
public record RecordProblem(Kind kind, String position, String detail) {

	public RecordProblem {
		Objects.requireNonNull(kind, "kind cannot be null");
		Objects.requireNonNull(detail, "detail cannot be null");
	}

	public enum Kind {

		/** The source could not read the record at all. */
		UNREADABLE,

		/** The company's field mappings could not be applied to it. */
		UNMAPPABLE,

		/** It has no e-mail address; every person needs one. */
		NO_EMAIL,

		/** A field's value is not one Rollcall takes (an e-mail address that is not one, a bad language). */
		INVALID_VALUE,

		/** The source listed the same id twice; the first record is used. */
		DUPLICATE_ID,

		/** Another record of the source has the same e-mail; the two are not merged. */
		DUPLICATE_EMAIL,

		/** Its e-mail belongs to a person already linked to another account of this source; not merged. */
		LINKED_ELSEWHERE,

		/** The person it was addressed to (by id) no longer exists. */
		PERSON_GONE,

		/** Its manager is nobody the run or the directory knows; the person goes in without that manager. */
		UNKNOWN_MANAGER,

		/** Its manager would close a loop of managers; the person goes in without that manager. */
		MANAGER_LOOP;

		/** Whether the record itself was left out; false when only its manager link was. */
		public boolean refusesRecord() {
			return this != UNKNOWN_MANAGER && this != MANAGER_LOOP;
		}

	}

	/** Whether the record itself was left out; false when only its manager link was. */
	public boolean refusesRecord() {
		return this.kind.refusesRecord();
	}

	/** As a plan shows it: "position: detail". */
	public String message() {
		return this.position == null ? this.detail : this.position + ": " + this.detail;
	}

}
