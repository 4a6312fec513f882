package io.rollcall.sync;

import java.util.Arrays;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Plan kinds and their phases, without Spring: the order in which a plan is applied. */
@Tag("unit")
class PlanKindTests {

	@Test
	void phaseThenTeamsBeforePeopleBeforeDeactivationsBeforeManagersBeforeInvitations() {
		assertThat(PlanKind.TEAM.phase()).isLessThan(PlanKind.CREATE.phase());
		assertThat(PlanKind.CREATE.phase()).isEqualTo(PlanKind.UPDATE.phase())
			.isEqualTo(PlanKind.LINK.phase())
			.isEqualTo(PlanKind.REACTIVATE.phase())
			.isLessThan(PlanKind.DEACTIVATE.phase());
		assertThat(PlanKind.DEACTIVATE.phase()).isLessThan(PlanKind.MANAGER.phase());
		assertThat(PlanKind.MANAGER.phase()).isLessThan(PlanKind.INVITE.phase());
	}

	@Test
	void appliedWhenErrorThenNotAppliedAndEveryOtherKindIs() {
		assertThat(PlanKind.ERROR.applied()).isFalse();
		assertThat(PlanKind.ERROR.phase()).isZero();
		Arrays.stream(PlanKind.values())
			.filter(kind -> kind != PlanKind.ERROR)
			.forEach(kind -> assertThat(kind.applied()).as(kind.value()).isTrue());
	}

	@Test
	void ofWhenStoredValueThenSameKindAndUnknownRefused() {
		Arrays.stream(PlanKind.values()).forEach(kind -> assertThat(PlanKind.of(kind.value())).isEqualTo(kind));
		assertThat(PlanKind.find("unchanged")).isEmpty();
		assertThatThrownBy(() -> PlanKind.of("merge")).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("'merge'");
	}

}
