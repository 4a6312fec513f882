package io.rollcall.sync;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.rollcall.company.Company;
import io.rollcall.directory.Person;
import io.rollcall.directory.PersonStatus;
import io.rollcall.directory.Role;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static io.rollcall.sync.PlanningFixtures.person;
import static io.rollcall.sync.PlanningFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;

/** Who leaves and who comes back, and the safety hold, without Spring and without a database. */
@Tag("unit")
class DeparturesTests {

	private final PlanItems sink = new PlanItems();

	@Test
	void planMissingWhenActiveLearnerThenDeactivatedAsNoLongerInTheSource() {
		UUID id = UUID.randomUUID();

		Departures.planMissing("u1", id, true, "ann@acme.test", Role.LEARNER, this.sink);

		assertThat(this.sink.items()).containsExactly(new PlanStore.Item(1, PlanKind.DEACTIVATE, "u1", id,
				"ann@acme.test", Departures.DEACTIVATED, "no longer in the source"));
	}

	@Test
	void planMissingWhenOwnerOrAlreadyDeactivatedThenNothing() {
		Departures.planMissing("u1", UUID.randomUUID(), true, "owner@acme.test", Role.OWNER, this.sink);
		Departures.planMissing("u2", UUID.randomUUID(), false, "gone@acme.test", Role.LEARNER, this.sink);

		assertThat(this.sink.items()).isEmpty();
	}

	@Test
	void leavingWhenTheRunAlsoListedThemThenNotLeaving() {
		Departures departures = new Departures();
		departures.departed("u1", "event 1");
		departures.departed("u2", "event 2");
		departures.departed("u1", "event 3");

		assertThat(departures.leaving(Set.of("u2")::contains)).containsExactly("u1");
	}

	@Test
	void planLeftWhenSeenLeavingThenDeactivatedWithWhereItWasFirstSeen() {
		Departures departures = new Departures();
		departures.departed("u1", "event 1");
		departures.departed("u1", "event 3");
		Person ann = person(UUID.randomUUID(), "ann@acme.test");

		departures.planLeft(ann, "u1", this.sink);

		assertThat(this.sink.items()).singleElement()
			.satisfies(item -> assertThat(item.message()).isEqualTo("left the source (event 1)"));
	}

	@Test
	void planStatusWhenDisabledInTheSourceThenDeactivatedUnlessOwner() {
		Person ann = person(UUID.randomUUID(), "ann@acme.test");
		Person owner = person(UUID.randomUUID(), "owner@acme.test", PersonStatus.ACTIVE, Role.OWNER, null, Map.of(),
				Map.of(), null);

		assertThat(Departures.planStatus(record("u1", false, null), ann, this.sink)).isTrue();
		assertThat(Departures.planStatus(record("u2", false, null), owner, this.sink)).isFalse();

		assertThat(this.sink.items()).singleElement().satisfies(item -> {
			assertThat(item.kind()).isEqualTo(PlanKind.DEACTIVATE);
			assertThat(item.message()).isEqualTo("disabled in the source");
		});
	}

	@Test
	void planStatusWhenEnabledAgainThenReactivated() {
		Person gone = person(UUID.randomUUID(), "gone@acme.test", PersonStatus.DEACTIVATED, Role.LEARNER, null,
				Map.of(), Map.of(), null);

		assertThat(Departures.planStatus(record("u1", true, null), gone, this.sink)).isTrue();
		assertThat(Departures.planStatus(record("u1", true, null), person(UUID.randomUUID(), "a@acme.test"),
				this.sink))
			.isFalse();

		assertThat(this.sink.items()).extracting(PlanStore.Item::kind).containsExactly(PlanKind.REACTIVATE);
	}

	@Test
	void holdReasonWhenMoreThanTheShareAndAtLeastTheMinimumThenHeldSayingHowMany() {
		Company company = company(10, 10);

		assertThat(Departures.holdReason(company, 11, 100, 0))
			.startsWith("This run would deactivate 11 of 100 active people")
			.contains("more than the 10 %");
		assertThat(Departures.holdReason(company, 10, 100, 0)).as("exactly the share").isNull();
		assertThat(Departures.holdReason(company, 9, 20, 0)).as("below the minimum").isNull();
		assertThat(Departures.holdReason(company, 0, 0, 0)).as("nothing to hold").isNull();
	}

	@Test
	void holdReasonWhenEveryoneLeavesASmallCompanyAtOnceThenHeldFromTheMinimum() {
		Company company = company(10, 10);

		assertThat(Departures.holdReason(company, 10, 10, 0)).isNotNull();
		assertThat(Departures.holdReason(company, 9, 9, 0)).isNull();
	}

	@Test
	void holdReasonWhenRunsEachUnderTheShareAddUpOverItThenHeldSayingSo() {
		Company company = company(10, 10);

		// 6 of 100 alone would go on; after 6 of the day's, 12 of 106 would not.
		assertThat(Departures.holdReason(company, 6, 100, 0)).isNull();
		assertThat(Departures.holdReason(company, 6, 100, 6))
			.startsWith("This run would deactivate 6 of 100 active people")
			.contains("after 6 deactivated by syncs in the last 24 hours")
			.contains("12 of 106 together");
		assertThat(Departures.holdReason(company, 4, 100, 5)).as("9: below the minimum").isNull();
		assertThat(Departures.holdReason(company, 0, 100, 50)).as("nothing to hold").isNull();
	}

	private static Company company(int percent, int minimum) {
		return new Company(UUID.randomUUID(), "acme", "Acme", "UTC", "en", percent, minimum, Instant.EPOCH);
	}

}
