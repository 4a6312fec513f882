package io.rollcall.sync;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.rollcall.directory.DirectoryBatch;
import io.rollcall.directory.LinkedBy;
import io.rollcall.directory.Person;
import io.rollcall.directory.PersonChanges;
import io.rollcall.directory.PersonField;
import io.rollcall.mapping.MappedPerson;
import io.rollcall.platform.RequestRejectedException;

/**
 * Which record is which person. A record is first checked on its own (mappable, with an e-mail, the first of its
 * id and of its e-mail in the run), then matched: to the person the client addressed by id, else to the person
 * linked to its external id, else to the person with its e-mail (who is then linked, unless already linked to
 * another account of the same source), else to nobody (a new person). Holds the ids and e-mails seen in the run.
 */
final class RecordMatching {

	/** The source's kind: a person has one external id per source. */
	private final String source;

	/**
	 * Every external id the source listed, refused records included (a person whose record could not be used, no
	 * e-mail, a mapping problem, is reported, never deactivated as missing from the source), to whether a record of
	 * it got past the checks of its own: one table of the run's ids, not a set of the listed and another of the used.
	 */
	private final Map<String, Boolean> listed = new HashMap<>();

	private final Map<String, String> seenEmails = new HashMap<>();

	RecordMatching(String source) {
		this.source = source;
	}

	/** Whether the source listed this external id in the run, usable or not. */
	boolean listed(String externalId) {
		return this.listed.containsKey(externalId);
	}

	/**
	 * Checks a record on its own: mappable, with an e-mail, not a second record for one e-mail or id.
	 *
	 * @return why it is left out, or null when it can be matched
	 */
	RecordProblem admit(MappedPerson mapped, String position) {
		return admit(mapped, emailKey(mapped), position);
	}

	/**
	 * As {@link #admit(MappedPerson, String)}, with the record's {@link #emailKey} made once by the caller (who needs
	 * it again).
	 */
	RecordProblem admit(MappedPerson mapped, String emailKey, String position) {
		String externalId = mapped.record().externalId();
		RecordProblem refused = refused(mapped, position);
		if (refused != null) {
			this.listed.putIfAbsent(externalId, Boolean.FALSE);
			return refused;
		}
		if (Boolean.TRUE.equals(this.listed.put(externalId, Boolean.TRUE))) {
			return new RecordProblem(RecordProblem.Kind.DUPLICATE_ID, position,
					"the id " + externalId + " appears twice in the source; only its first record is used");
		}
		String other = this.seenEmails.putIfAbsent(emailKey, externalId);
		if (other != null) {
			return new RecordProblem(RecordProblem.Kind.DUPLICATE_EMAIL, position, "the e-mail " + mapped.email()
					+ " is also used by record " + other + "; the two are not merged, this one is skipped");
		}
		return null;
	}

	/** Why the record cannot be used whatever else the run lists: a mapping problem, or no valid e-mail. */
	private static RecordProblem refused(MappedPerson mapped, String position) {
		if (!mapped.problems().isEmpty()) {
			return new RecordProblem(RecordProblem.Kind.UNMAPPABLE, position, String.join("; ", mapped.problems()));
		}
		if (mapped.email() == null || mapped.email().isBlank()) {
			return new RecordProblem(RecordProblem.Kind.NO_EMAIL, position,
					"no e-mail address; every person needs one");
		}
		try {
			PersonChanges.normalise(PersonField.EMAIL, mapped.email());
		}
		catch (RequestRejectedException ex) {
			return new RecordProblem(RecordProblem.Kind.INVALID_VALUE, position, ex.getMessage());
		}
		return null;
	}

	/** An e-mail as records are told apart by: without surrounding spaces, in lower case. */
	static String emailKey(String email) {
		return email.strip().toLowerCase(Locale.ROOT);
	}

	/** The record's e-mail as {@link #emailKey(String)} makes it; null when it has none. */
	static String emailKey(MappedPerson mapped) {
		return mapped.email() == null ? null : emailKey(mapped.email());
	}

	/**
	 * What the directory holds for a chunk of records, read in a few queries.
	 *
	 * @param links the source's links by external id
	 * @param idsByEmail people by lower-case e-mail, for records without a link
	 * @param people the profiles of everyone either found (or the client addressed)
	 */
	record Directory(Map<String, DirectoryBatch.Link> links, Map<String, UUID> idsByEmail, Map<UUID, Person> people) {
	}

	/** Who a record is. */
	sealed interface Match {

		/** Nobody yet: the record makes a new person. */
		record New() implements Match {
		}

		/**
		 * @param link the source's id is to be (re)linked to the person (matched by e-mail, or addressed by id
		 * under another id)
		 * @param adopt the person is linked to this id by a sign-in only; the link becomes the source's
		 */
		record Existing(Person person, boolean link, boolean adopt) implements Match {
		}

		record Refused(RecordProblem problem) implements Match {
		}

	}

	/**
	 * Matches an admitted record.
	 *
	 * @param knownPersonId the person the client addressed by id, or null to match by external id, then e-mail
	 */
	Match match(MappedPerson mapped, String position, UUID knownPersonId, Directory directory) {
		String externalId = mapped.record().externalId();
		if (knownPersonId != null) {
			// Addressed by id: the source's id for them is (re)linked when it differs from the stored one.
			Person known = directory.people().get(knownPersonId);
			if (known == null) {
				return new Match.Refused(new RecordProblem(RecordProblem.Kind.PERSON_GONE, position,
						"person " + knownPersonId + " no longer exists"));
			}
			return new Match.Existing(known, !externalId.equals(known.externalIds().get(this.source)), false);
		}
		DirectoryBatch.Link linked = directory.links().get(externalId);
		if (linked != null) {
			Person person = directory.people().get(linked.personId());
			// Signed in with this id but never provisioned: listed now, the source adopts them by that same id.
			boolean adopt = linked.linkedBy() == LinkedBy.SIGN_IN;
			// A link whose person could not be read (removed meanwhile) leaves no one to update: planned as new.
			return person == null ? new Match.New() : new Match.Existing(person, adopt, adopt);
		}
		UUID byEmail = directory.idsByEmail().get(mapped.email().toLowerCase(Locale.ROOT));
		Person person = byEmail == null ? null : directory.people().get(byEmail);
		if (person == null) {
			return new Match.New();
		}
		if (person.externalIds().containsKey(this.source)) {
			return new Match.Refused(new RecordProblem(RecordProblem.Kind.LINKED_ELSEWHERE, position,
					mapped.email() + " belongs to a person already linked to another " + this.source + " account ("
							+ person.externalIds().get(this.source) + "); not merged"));
		}
		return new Match.Existing(person, true, false);
	}

}
