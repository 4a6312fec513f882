package io.rollcall.connector;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.rollcall.mapping.SourceRecord;
import io.rollcall.sync.Source;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A listing's records reordered so that managers come well ahead of their reports, each handed exactly once. */
@Tag("unit")
class ManagersAheadTests {

	/** What the plan was handed: external ids with their positions, in order. */
	private final List<String> handed = new ArrayList<>();

	private final Source.RecordSink sink = new Source.RecordSink() {

		@Override
		public void record(SourceRecord record, String position) {
			ManagersAheadTests.this.handed.add(record.externalId() + "@" + position);
		}

		@Override
		public void problem(String position, String message) {
			throw new AssertionError(message);
		}

	};

	@Test
	void recordWhenTeamsAreListedLeadFirstThenReportsFollowTheirLeadByTheDistance() {
		// As Graph lists nested groups: a team together, its lead first, teams of 1,400 (more than two chunks).
		List<SourceRecord> listing = new ArrayList<>();
		for (int team = 0; team < 20; team++) {
			String lead = "lead" + team;
			listing.add(record(lead, team == 0 ? "" : "lead0"));
			for (int i = 1; i < 1_400; i++) {
				listing.add(record("t" + team + "p" + i, lead));
			}
		}
		ManagersAhead ordered = new ManagersAhead(this.sink, 3_000);
		listing.forEach(r -> ordered.record(r, r.externalId()));
		ordered.finish();

		assertEachOnce(listing);
		Map<String, Integer> at = positions();
		for (int i = 0; i < listing.size(); i++) {
			SourceRecord r = listing.get(i);
			if (!r.managerRef().isEmpty()) {
				int gap = at.get(r.externalId()) - at.get(r.managerRef());
				assertThat(gap).as("%s after its manager", r.externalId()).isPositive();
				if (i >= 3_000 && !r.externalId().startsWith("lead")) {
					// Once the line is full (the first teams have fewer records to wait behind); the leads, taken out of
					// the line for their teams, follow the head of the department by less.
					assertThat(gap).as("%s after its manager", r.externalId()).isGreaterThanOrEqualTo(2_980);
				}
			}
		}
	}

	@Test
	void recordWhenReportsComeBeforeTheirManagerThenTheManagerIsHandedFirst() {
		List<SourceRecord> listing = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			listing.add(record("r" + i, "boss"));
		}
		listing.add(record("boss", "big-boss"));
		listing.add(record("big-boss", ""));
		ManagersAhead ordered = new ManagersAhead(this.sink, 100);
		listing.forEach(r -> ordered.record(r, r.externalId()));
		ordered.finish();

		assertEachOnce(listing);
		Map<String, Integer> at = positions();
		assertThat(at.get("boss")).isLessThan(at.get("r0"));
		for (int i = 0; i < 10; i++) {
			assertThat(at.get("r" + i)).isGreaterThan(at.get("boss"));
		}
	}

	@Test
	void recordWhenAnyListingThenEveryRecordIsHandedExactlyOnceAndTheSameIdInItsOrder() {
		Random random = new Random(7);
		for (int round = 0; round < 200; round++) {
			int people = 1 + random.nextInt(300);
			List<SourceRecord> listing = new ArrayList<>();
			for (int i = 0; i < people; i++) {
				// Managers anywhere, missing, themselves, in loops; some people listed twice (positions tell them apart).
				int manager = random.nextInt(people + 20) - 10;
				String ref = manager < 0 ? "" : manager >= people ? "gone" + manager : "p" + manager;
				listing.add(record("p" + i, ref));
				if (random.nextInt(20) == 0) {
					listing.add(record("p" + i, ref));
				}
			}
			Collections.shuffle(listing, random);
			this.handed.clear();
			ManagersAhead ordered = new ManagersAhead(this.sink, random.nextInt(50));
			List<String> positions = new ArrayList<>();
			for (int i = 0; i < listing.size(); i++) {
				ordered.record(listing.get(i), String.valueOf(i));
				positions.add(listing.get(i).externalId() + "@" + i);
			}
			ordered.finish();
			assertThat(this.handed).as("round %d", round).containsExactlyInAnyOrderElementsOf(positions);
			Map<String, Integer> lastPosition = new HashMap<>();
			for (String item : this.handed) {
				String id = item.substring(0, item.indexOf('@'));
				int position = Integer.parseInt(item.substring(item.indexOf('@') + 1));
				assertThat(position).as("%s listed twice, in its order", id)
					.isGreaterThan(lastPosition.getOrDefault(id, -1));
				lastPosition.put(id, position);
			}
		}
	}

	@Test
	void finishWhenNotCalledThenWhatWaitsInTheLineIsNotHanded() {
		// A listing that fails midway never calls finish(): its run fails and applies nothing, and the retry lists again.
		ManagersAhead ordered = new ManagersAhead(this.sink, 10);
		for (int i = 0; i < 25; i++) {
			ordered.record(record("p" + i, ""), "p" + i);
		}
		assertThat(this.handed).hasSize(15).first().isEqualTo("p0@p0");
	}

	private void assertEachOnce(List<SourceRecord> listing) {
		assertThat(this.handed).hasSize(listing.size());
		assertThat(this.handed.stream().distinct().count()).isEqualTo(listing.size());
	}

	private Map<String, Integer> positions() {
		Map<String, Integer> at = new HashMap<>();
		for (int i = 0; i < this.handed.size(); i++) {
			String item = this.handed.get(i);
			at.put(item.substring(0, item.indexOf('@')), i);
		}
		return at;
	}

	private static SourceRecord record(String id, String manager) {
		return new SourceRecord(id, Map.of("mail", id + "@example.test"), true, manager, null, List.of());
	}

}
