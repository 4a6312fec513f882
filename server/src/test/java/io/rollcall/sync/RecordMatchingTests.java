package io.rollcall.sync;

import java.util.Map;
import java.util.UUID;

import io.rollcall.directory.DirectoryBatch;
import io.rollcall.directory.LinkedBy;
import io.rollcall.directory.Person;
import io.rollcall.directory.PersonStatus;
import io.rollcall.directory.Role;
import io.rollcall.mapping.MappedPerson;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static io.rollcall.sync.PlanningFixtures.mapped;
import static io.rollcall.sync.PlanningFixtures.person;
import static org.assertj.core.api.Assertions.assertThat;

/** Which record is which person (seed 001's matching rules), without Spring and without a database. */
@Tag("unit")
class RecordMatchingTests {

	private final RecordMatching matching = new RecordMatching("entra");

	@Test
	void admitWhenRecordHasNoEmailThenRefusedButStillListed() {
		RecordProblem problem = this.matching.admit(mapped("u1", (String) null), "u1");

		assertThat(problem.kind()).isEqualTo(RecordProblem.Kind.NO_EMAIL);
		assertThat(problem.message()).isEqualTo("u1: no e-mail address; every person needs one");
		// Listed, so a full run does not deactivate them as missing from the source.
		assertThat(this.matching.listed("u1")).isTrue();
	}

	@Test
	void admitWhenEmailIsNotAnAddressThenInvalidValue() {
		assertThat(this.matching.admit(mapped("u1", "not-an-address"), "line 2").kind())
			.isEqualTo(RecordProblem.Kind.INVALID_VALUE);
	}

	@Test
	void admitWhenMappingFailedThenUnmappableWithEveryProblem() {
		MappedPerson broken = new MappedPerson(PlanningFixtures.record("u1", true, null), Map.of(), null, false,
				Map.of(), java.util.List.of("bad hire date", "bad language"));

		RecordProblem problem = this.matching.admit(broken, "line 3");

		assertThat(problem.kind()).isEqualTo(RecordProblem.Kind.UNMAPPABLE);
		assertThat(problem.detail()).isEqualTo("bad hire date; bad language");
	}

	@Test
	void admitWhenSameIdTwiceThenOnlyTheFirstIsUsed() {
		assertThat(this.matching.admit(mapped("u1", "a@acme.test"), "line 2")).isNull();

		RecordProblem second = this.matching.admit(mapped("u1", "b@acme.test"), "line 3");

		assertThat(second.kind()).isEqualTo(RecordProblem.Kind.DUPLICATE_ID);
		assertThat(second.message()).startsWith("line 3: the id u1 appears twice");
	}

	@Test
	void admitWhenAnIdsFirstRecordIsRefusedThenItsNextUsableRecordIsUsedAndOnlyALaterOneIsADuplicate() {
		assertThat(this.matching.admit(mapped("u1", (String) null), "line 2").kind())
			.isEqualTo(RecordProblem.Kind.NO_EMAIL);

		assertThat(this.matching.admit(mapped("u1", "a@acme.test"), "line 3")).isNull();
		assertThat(this.matching.admit(mapped("u1", (String) null), "line 4").kind())
			.isEqualTo(RecordProblem.Kind.NO_EMAIL);
		assertThat(this.matching.admit(mapped("u1", "b@acme.test"), "line 5").kind())
			.isEqualTo(RecordProblem.Kind.DUPLICATE_ID);
		assertThat(this.matching.listed("u1")).isTrue();
		assertThat(this.matching.listed("u2")).isFalse();
	}

	@Test
	void admitWhenARecordIsSkippedForItsEmailThenItsIdIsListedAndUsedUp() {
		assertThat(this.matching.admit(mapped("u1", "ann@acme.test"), "line 2")).isNull();
		assertThat(this.matching.admit(mapped("u2", "Ann@acme.test"), "line 3").kind())
			.isEqualTo(RecordProblem.Kind.DUPLICATE_EMAIL);

		assertThat(this.matching.listed("u2")).isTrue();
		assertThat(this.matching.admit(mapped("u2", "other@acme.test"), "line 4").kind())
			.isEqualTo(RecordProblem.Kind.DUPLICATE_ID);
	}

	@Test
	void admitWhenGivenTheEmailKeyThenRecordsAreToldApartByIt() {
		String email = " Ann@Acme.TEST ";
		assertThat(this.matching.admit(mapped("u1", email), RecordMatching.emailKey(email), "line 2")).isNull();

		assertThat(this.matching.admit(mapped("u2", "ann@acme.test"), "line 3").kind())
			.isEqualTo(RecordProblem.Kind.DUPLICATE_EMAIL);
	}

	@Test
	void admitWhenSameEmailInOtherLetterCaseThenTheSecondIsSkippedNotMerged() {
		assertThat(this.matching.admit(mapped("u1", "Ann@Acme.test"), "line 2")).isNull();

		RecordProblem second = this.matching.admit(mapped("u2", " ann@acme.TEST "), "line 3");

		assertThat(second.kind()).isEqualTo(RecordProblem.Kind.DUPLICATE_EMAIL);
		assertThat(second.detail()).contains("also used by record u1");
	}

	@Test
	void matchWhenLinkedByExternalIdThenThatPersonWithoutRelinking() {
		Person ann = person(UUID.randomUUID(), "ann@acme.test");

		RecordMatching.Match match = this.matching.match(mapped("u1", "ann@acme.test"), "u1", null,
				directory(Map.of("u1", new DirectoryBatch.Link(ann.id(), LinkedBy.SYNC)), Map.of(), ann));

		assertThat(match).isEqualTo(new RecordMatching.Match.Existing(ann, false, false));
	}

	@Test
	void matchWhenLinkedBySignInOnlyThenAdoptedByTheSource() {
		Person ann = person(UUID.randomUUID(), "ann@acme.test");

		RecordMatching.Match match = this.matching.match(mapped("u1", "ann@acme.test"), "u1", null,
				directory(Map.of("u1", new DirectoryBatch.Link(ann.id(), LinkedBy.SIGN_IN)), Map.of(), ann));

		assertThat(match).isEqualTo(new RecordMatching.Match.Existing(ann, true, true));
	}

	@Test
	void matchWhenOnlyTheEmailIsKnownThenLinkedByEmailInAnyLetterCase() {
		Person ann = person(UUID.randomUUID(), "ann@acme.test");

		RecordMatching.Match match = this.matching.match(mapped("u1", "Ann@Acme.test"), "u1", null,
				directory(Map.of(), Map.of("ann@acme.test", ann.id()), ann));

		assertThat(match).isEqualTo(new RecordMatching.Match.Existing(ann, true, false));
	}

	@Test
	void matchWhenEmailBelongsToPersonLinkedToAnotherAccountThenRefusedNotMerged() {
		Person ann = person(UUID.randomUUID(), "ann@acme.test", PersonStatus.ACTIVE, Role.LEARNER, null, Map.of(),
				Map.of("entra", "u0"), null);

		RecordMatching.Match match = this.matching.match(mapped("u1", "ann@acme.test"), "u1", null,
				directory(Map.of(), Map.of("ann@acme.test", ann.id()), ann));

		assertThat(match).isInstanceOfSatisfying(RecordMatching.Match.Refused.class, refused -> {
			assertThat(refused.problem().kind()).isEqualTo(RecordProblem.Kind.LINKED_ELSEWHERE);
			assertThat(refused.problem().detail()).contains("another entra account (u0)");
		});
	}

	@Test
	void matchWhenEmailBelongsToPersonOfAnotherSourceThenLinked() {
		Person ann = person(UUID.randomUUID(), "ann@acme.test", PersonStatus.ACTIVE, Role.LEARNER, null, Map.of(),
				Map.of("okta", "00u1"), null);

		RecordMatching.Match match = this.matching.match(mapped("u1", "ann@acme.test"), "u1", null,
				directory(Map.of(), Map.of("ann@acme.test", ann.id()), ann));

		assertThat(match).isEqualTo(new RecordMatching.Match.Existing(ann, true, false));
	}

	@Test
	void matchWhenNobodyHasTheIdOrEmailThenNew() {
		assertThat(this.matching.match(mapped("u1", "new@acme.test"), "u1", null, directory(Map.of(), Map.of())))
			.isInstanceOf(RecordMatching.Match.New.class);
	}

	@Test
	void matchWhenAddressedByIdUnderAnotherExternalIdThenRelinked() {
		Person ann = person(UUID.randomUUID(), "ann@acme.test", PersonStatus.ACTIVE, Role.LEARNER, null, Map.of(),
				Map.of("entra", "old"), null);

		assertThat(this.matching.match(mapped("new", "ann@acme.test"), "new", ann.id(),
				directory(Map.of(), Map.of(), ann)))
			.isEqualTo(new RecordMatching.Match.Existing(ann, true, false));
		assertThat(this.matching.match(mapped("old", "ann@acme.test"), "old", ann.id(),
				directory(Map.of(), Map.of(), ann)))
			.isEqualTo(new RecordMatching.Match.Existing(ann, false, false));
	}

	@Test
	void matchWhenAddressedPersonNoLongerExistsThenRefused() {
		UUID gone = UUID.randomUUID();

		RecordMatching.Match match = this.matching.match(mapped("u1", "ann@acme.test"), "u1", gone,
				directory(Map.of(), Map.of()));

		assertThat(match).isEqualTo(new RecordMatching.Match.Refused(new RecordProblem(RecordProblem.Kind.PERSON_GONE,
				"u1", "person " + gone + " no longer exists")));
	}

	private static RecordMatching.Directory directory(Map<String, DirectoryBatch.Link> links, Map<String, UUID> byEmail,
			Person... people) {
		Map<UUID, Person> byId = new java.util.HashMap<>();
		for (Person person : people) {
			byId.put(person.id(), person);
		}
		return new RecordMatching.Directory(links, byEmail, byId);
	}

}
