package io.rollcall.sync;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.rollcall.audit.FieldChange;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which manager each person of a run gets, and the loops refused, without Spring and without a database. */
@Tag("unit")
class ManagerLinkingTests {

	private final ManagerLinking managers = new ManagerLinking();

	private final PlanItems sink = new PlanItems();

	private final UUID ann = UUID.randomUUID();

	private final UUID bob = UUID.randomUUID();

	private final UUID cid = UUID.randomUUID();

	@Test
	void planWhenAChainOfNewPeopleThenLinkedInOneRunByIdOrEmail() {
		this.managers.known("u-ann", "ann@acme.test", this.ann);
		this.managers.known("u-bob", "bob@acme.test", this.bob);
		this.managers.known("u-cid", "cid@acme.test", this.cid);
		this.managers.want(wanted(this.bob, "bob@acme.test", "u-ann", null));
		this.managers.want(wanted(this.cid, "cid@acme.test", "BOB@acme.test", null));

		assertThat(this.managers.unresolved()).isEmpty();
		this.managers.plan(new ManagerLinking.Outside(), ManagerGraph.of(new HashMap<>()), this.sink);

		assertThat(this.sink.items()).extracting(PlanStore.Item::personId, item -> item.changes()
			.get(ManagerLinking.OVERRIDE_MANAGER))
			.containsExactly(
					org.assertj.core.groups.Tuple.tuple(this.bob, new FieldChange(null, this.ann)),
					org.assertj.core.groups.Tuple.tuple(this.cid, new FieldChange(null, this.bob)));
	}

	@Test
	void planWhenManagerIsInTheDirectoryOnlyThenFoundThroughTheLookUp() {
		this.managers.known("u-bob", "bob@acme.test", this.bob);
		this.managers.want(wanted(this.bob, "bob@acme.test", "boss@acme.test", null));
		assertThat(this.managers.unresolved()).containsExactly("boss@acme.test");
		ManagerLinking.Outside outside = new ManagerLinking.Outside();
		outside.byEmail(Map.of("boss@acme.test", this.ann));

		this.managers.plan(outside, ManagerGraph.of(new HashMap<>()), this.sink);

		assertThat(this.sink.items()).extracting(PlanStore.Item::kind).containsExactly(PlanKind.MANAGER);
	}

	@Test
	void planWhenAReferenceCouldNameSeveralThenTheRunsIdThenTheRunsEmailThenTheDirectorysIdThenItsEmail() {
		UUID outsideById = UUID.randomUUID();
		UUID outsideByEmail = UUID.randomUUID();
		this.managers.known("u-ann", "ann@acme.test", this.ann);
		this.managers.known("boss@acme.test", "bob@acme.test", this.bob);
		this.managers.want(wanted(this.cid, "cid@acme.test", "boss@acme.test", null));
		this.managers.want(wanted(this.bob, "bob@acme.test", "ANN@acme.test", null));
		this.managers.want(wanted(this.ann, "ann@acme.test", "dir-1", null));
		UUID dan = UUID.randomUUID();
		this.managers.want(wanted(dan, "dan@acme.test", "Dir@acme.test", null));
		ManagerLinking.Outside outside = new ManagerLinking.Outside();
		outside.byExternalId(Map.of("dir-1", outsideById, "ANN@acme.test", outsideById));
		outside.byEmail(Map.of("dir@acme.test", outsideByEmail, "dir-1", outsideByEmail, "boss@acme.test", dan));

		this.managers.plan(outside, ManagerGraph.of(new HashMap<>()), this.sink);

		assertThat(this.sink.items()).extracting(PlanStore.Item::personId, item -> item.changes()
			.get(ManagerLinking.OVERRIDE_MANAGER))
			.containsExactly(org.assertj.core.groups.Tuple.tuple(this.cid, new FieldChange(null, this.bob)),
					org.assertj.core.groups.Tuple.tuple(this.bob, new FieldChange(null, this.ann)),
					org.assertj.core.groups.Tuple.tuple(this.ann, new FieldChange(null, outsideById)),
					org.assertj.core.groups.Tuple.tuple(dan, new FieldChange(null, outsideByEmail)));
	}

	@Test
	void planWhenManagerUnknownThenReportedAndTheRestGoesOn() {
		this.managers.known("u-bob", "bob@acme.test", this.bob);
		this.managers.want(wanted(this.bob, "bob@acme.test", "nobody", null));

		this.managers.plan(new ManagerLinking.Outside(), ManagerGraph.of(new HashMap<>()), this.sink);

		assertThat(this.sink.problems()).singleElement().satisfies(problem -> {
			assertThat(problem.kind()).isEqualTo(RecordProblem.Kind.UNKNOWN_MANAGER);
			assertThat(problem.refusesRecord()).isFalse();
			assertThat(problem.message())
				.isEqualTo("line 2: the manager nobody of bob@acme.test is not known; the manager was not set");
		});
	}

	@Test
	void planWhenLinkWouldCloseALoopThenRefusedAndTheFirstLinkKept() {
		this.managers.known("u-ann", "ann@acme.test", this.ann);
		this.managers.known("u-bob", "bob@acme.test", this.bob);
		this.managers.known("u-cid", "cid@acme.test", this.cid);
		this.managers.want(wanted(this.ann, "ann@acme.test", "u-bob", null));
		this.managers.want(wanted(this.bob, "bob@acme.test", "u-cid", null));
		this.managers.want(wanted(this.cid, "cid@acme.test", "u-ann", null));

		this.managers.plan(new ManagerLinking.Outside(), ManagerGraph.of(new HashMap<>()), this.sink);

		assertThat(this.sink.items()).extracting(PlanStore.Item::kind)
			.containsExactly(PlanKind.MANAGER, PlanKind.MANAGER, PlanKind.ERROR);
		assertThat(this.sink.problems()).extracting(RecordProblem::kind)
			.containsExactly(RecordProblem.Kind.MANAGER_LOOP);
	}

	@Test
	void planWhenSomeoneIsTheirOwnManagerThenRefused() {
		this.managers.known("u-ann", "ann@acme.test", this.ann);
		this.managers.want(wanted(this.ann, "ann@acme.test", "u-ann", null));

		this.managers.plan(new ManagerLinking.Outside(), ManagerGraph.of(new HashMap<>()), this.sink);

		assertThat(this.sink.problems()).extracting(RecordProblem::kind)
			.containsExactly(RecordProblem.Kind.MANAGER_LOOP);
	}

	@Test
	void planWhenManagerUnchangedThenNothingEvenIfTheDirectoryHoldsALoop() {
		// ann → bob → ann is already stored; the link is not checked again.
		Map<UUID, UUID> stored = new HashMap<>(Map.of(this.ann, this.bob, this.bob, this.ann));
		this.managers.known("u-ann", "ann@acme.test", this.ann);
		this.managers.known("u-bob", "bob@acme.test", this.bob);
		this.managers.want(wanted(this.ann, "ann@acme.test", "u-bob", this.bob));

		this.managers.plan(new ManagerLinking.Outside(), ManagerGraph.of(stored), this.sink);

		assertThat(this.sink.items()).isEmpty();
	}

	@Test
	void planWhenReferenceIsEmptyThenTheManagerIsCleared() {
		Map<UUID, UUID> stored = new HashMap<>(Map.of(this.ann, this.bob));
		this.managers.known("u-ann", "ann@acme.test", this.ann);
		this.managers.want(wanted(this.ann, "ann@acme.test", "", this.bob));

		this.managers.plan(new ManagerLinking.Outside(), ManagerGraph.of(stored), this.sink);

		assertThat(this.sink.items()).singleElement()
			.satisfies(item -> assertThat(item.changes().get(ManagerLinking.OVERRIDE_MANAGER))
				.isEqualTo(new FieldChange(this.bob, null)));
	}

	@Test
	void planWhenAManagerChangesInTheRunThenLoopsAreJudgedOnTheLinksAsTheyAreNow() {
		// Stored: bob reports to ann. The run moves bob to cid, then makes bob ann's manager (no loop now that bob
		// no longer reports to her), then makes ann cid's manager (cid → ann → bob → cid: a loop).
		Map<UUID, UUID> stored = new HashMap<>(Map.of(this.bob, this.ann));
		this.managers.known("u-ann", "ann@acme.test", this.ann);
		this.managers.known("u-bob", "bob@acme.test", this.bob);
		this.managers.known("u-cid", "cid@acme.test", this.cid);
		this.managers.want(wanted(this.bob, "bob@acme.test", "u-cid", this.ann));
		this.managers.want(wanted(this.ann, "ann@acme.test", "u-bob", null));
		this.managers.want(wanted(this.cid, "cid@acme.test", "u-ann", null));

		this.managers.plan(new ManagerLinking.Outside(), ManagerGraph.of(stored), this.sink);

		assertThat(this.sink.items()).extracting(PlanStore.Item::kind)
			.containsExactly(PlanKind.MANAGER, PlanKind.MANAGER, PlanKind.ERROR);
		assertThat(this.sink.problems()).singleElement()
			.satisfies(problem -> assertThat(problem.message()).contains("u-ann", "cid@acme.test"));
	}

	@Test
	void planWhenALongChainIsClosedAtItsFarEndThenTheLoopIsFound() {
		// 10,000 people, each managed by the one before; the first is then given the last as manager.
		UUID[] people = new UUID[10_000];
		for (int i = 0; i < people.length; i++) {
			people[i] = UUID.randomUUID();
			this.managers.known("u-" + i, i + "@acme.test", people[i]);
			if (i > 0) {
				this.managers.want(wanted(people[i], i + "@acme.test", "u-" + (i - 1), null));
			}
		}
		this.managers.want(wanted(people[0], "0@acme.test", "u-" + (people.length - 1), null));

		this.managers.plan(new ManagerLinking.Outside(), ManagerGraph.of(new HashMap<>()), this.sink);

		assertThat(this.sink.items()).hasSize(people.length);
		assertThat(this.sink.problems()).singleElement()
			.satisfies(problem -> assertThat(problem.kind()).isEqualTo(RecordProblem.Kind.MANAGER_LOOP));
	}

	@Test
	void planWhenAReferenceIsOnesIdAndAnothersEmailThenTheRunsIdWinsThenItsEmailThenTheDirectorys() {
		UUID dan = UUID.randomUUID();
		this.managers.known("u-ann", "ann@acme.test", this.ann);
		this.managers.known("bob@acme.test", "someone@acme.test", this.bob);
		this.managers.known("u-cid", "cid@acme.test", this.cid);
		this.managers.known("u-dan", "dan@acme.test", dan);
		this.managers.known("u-fay", "bob@acme.test", UUID.randomUUID());
		// "bob@acme.test" is bob's external id and fay's e-mail; ann is named by her e-mail, in capitals; eve is in
		// the directory by id, and someone else there has "u-eve" for an e-mail.
		this.managers.want(wanted(this.cid, "cid@acme.test", "bob@acme.test", null));
		this.managers.want(wanted(dan, "dan@acme.test", "ANN@acme.test", null));
		this.managers.want(wanted(this.ann, "ann@acme.test", "u-eve", null));
		ManagerLinking.Outside outside = new ManagerLinking.Outside();
		UUID eve = UUID.randomUUID();
		outside.byExternalId(Map.of("u-eve", eve));
		outside.byEmail(Map.of("u-eve", UUID.randomUUID()));

		this.managers.plan(outside, ManagerGraph.of(new HashMap<>()), this.sink);

		assertThat(this.sink.items()).extracting(PlanStore.Item::personId, item -> item.changes()
			.get(ManagerLinking.OVERRIDE_MANAGER))
			.containsExactly(org.assertj.core.groups.Tuple.tuple(this.cid, new FieldChange(null, this.bob)),
					org.assertj.core.groups.Tuple.tuple(dan, new FieldChange(null, this.ann)),
					org.assertj.core.groups.Tuple.tuple(this.ann, new FieldChange(null, eve)));
		assertThat(this.sink.problems()).isEmpty();
	}

	@Test
	void lazyGraphWhenWalkedTwiceThenEachPersonLookedUpOnce() {
		AtomicInteger lookups = new AtomicInteger();
		Map<UUID, UUID> stored = Map.of(this.ann, this.bob, this.bob, this.cid);
		ManagerGraph graph = ManagerGraph.lazy(person -> {
			lookups.incrementAndGet();
			return stored.get(person);
		});

		assertThat(graph.reaches(this.ann, this.cid)).isTrue();
		assertThat(graph.reaches(this.ann, UUID.randomUUID())).isFalse();

		assertThat(lookups).hasValue(3);
	}

	private static ManagerLinking.Wanted wanted(UUID person, String label, String ref, UUID current) {
		return new ManagerLinking.Wanted(person, label, ref, current, "line 2");
	}

}
