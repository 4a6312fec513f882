package io.rollcall.sync;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Problems of a record, without Spring: a pushed record is refused by the problem's kind, not by its words. */
@Tag("unit")
class RecordProblemTests {

	@Test
	void refusesRecordWhenOnlyTheManagerIsWrongThenTheRecordGoesIn() {
		assertThat(new RecordProblem(RecordProblem.Kind.UNKNOWN_MANAGER, "u1", "the manager m of a is not known")
			.refusesRecord()).isFalse();
		assertThat(new RecordProblem(RecordProblem.Kind.MANAGER_LOOP, "u1", "a loop").refusesRecord()).isFalse();
	}

	@Test
	void refusesRecordWhenItsWordsMentionAManagerButItIsADuplicateThenRefused() {
		RecordProblem duplicate = new RecordProblem(RecordProblem.Kind.DUPLICATE_EMAIL, "u2",
				"the e-mail manager@acme.test is also used by record u1; the two are not merged, this one is skipped");
		assertThat(duplicate.refusesRecord()).isTrue();
	}

	@Test
	void refusedWhenNothingDoneAndOnlyManagerProblemsThenNotRefused() {
		RecordProblem unknownManager = new RecordProblem(RecordProblem.Kind.UNKNOWN_MANAGER, "u1", "not known");
		RecordProblem noEmail = new RecordProblem(RecordProblem.Kind.NO_EMAIL, "u1", "no e-mail address");
		java.util.UUID person = java.util.UUID.randomUUID();
		assertThat(new RecordPush.Result(person, java.util.List.of(), java.util.List.of(unknownManager)).refused())
			.isFalse();
		assertThat(new RecordPush.Result(person, java.util.List.of(), java.util.List.of(noEmail)).refused()).isTrue();
		assertThat(new RecordPush.Result(person, java.util.List.of(PlanKind.UPDATE), java.util.List.of(noEmail))
			.refused()).isFalse();
	}

	@Test
	void messageThenPositionThenDetail() {
		assertThat(new RecordProblem(RecordProblem.Kind.NO_EMAIL, "line 17", "no e-mail address").message())
			.isEqualTo("line 17: no e-mail address");
		assertThat(new RecordProblem(RecordProblem.Kind.UNREADABLE, null, "unreadable").message())
			.isEqualTo("unreadable");
	}

}
