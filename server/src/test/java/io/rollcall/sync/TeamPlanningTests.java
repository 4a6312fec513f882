package io.rollcall.sync;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.rollcall.audit.FieldChange;
import io.rollcall.directory.PersonStatus;
import io.rollcall.directory.Role;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static io.rollcall.sync.PlanningFixtures.person;
import static org.assertj.core.api.Assertions.assertThat;

/** The teams a run names, without Spring and without a database. */
@Tag("unit")
class TeamPlanningTests {

	private final AtomicInteger reads = new AtomicInteger();

	private final UUID sales = UUID.randomUUID();

	private final TeamPlanning teams = new TeamPlanning(() -> {
		this.reads.incrementAndGet();
		return new HashMap<>(Map.of(this.sales, "Sales"));
	});

	@Test
	void planWhenTeamNamedInSeveralLetterCasesThenCreatedOnceAsFirstNamed() {
		this.teams.primaryTeamChange(null, "Support ");
		this.teams.primaryTeamChange(null, "SUPPORT");
		PlanItems sink = new PlanItems();

		this.teams.plan(sink);

		assertThat(sink.items()).containsExactly(new PlanStore.Item(1, PlanKind.TEAM, null, null, "Support",
				Map.of("name", new FieldChange(null, "Support")), null));
	}

	@Test
	void planWhenTeamExistsInOtherLetterCaseThenNotCreated() {
		assertThat(this.teams.primaryTeamChange(null, "sales")).isEqualTo(new FieldChange(null, "sales"));
		PlanItems sink = new PlanItems();

		this.teams.plan(sink);

		assertThat(sink.items()).isEmpty();
	}

	@Test
	void primaryTeamChangeWhenBlankThenTheTeamIsCleared() {
		var ann = person(UUID.randomUUID(), "ann@acme.test", PersonStatus.ACTIVE, Role.LEARNER, this.sales, Map.of(),
				Map.of(), null);

		assertThat(this.teams.primaryTeamChange(ann, " ")).isEqualTo(new FieldChange("Sales", null));
		assertThat(this.teams.primaryTeamChange(ann, "Sales")).isNull();
	}

	@Test
	void primaryTeamChangeWhenNoTeamAndNoneBeforeThenTeamsAreNeverRead() {
		assertThat(this.teams.primaryTeamChange(null, null)).isNull();

		assertThat(this.reads).hasValue(0);
	}

	@Test
	void primaryTeamChangeWhenManyRecordsThenTeamsAreReadOnce() {
		for (int i = 0; i < 5; i++) {
			this.teams.primaryTeamChange(null, "Team " + i);
		}

		assertThat(this.reads).hasValue(1);
	}

}
