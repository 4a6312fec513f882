package io.rollcall.sync;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A whole company's graph of managers: loops are found on the links as they are at the walk, changed or not. */
@Tag("unit")
class ManagerGraphTests {

	private final UUID ann = UUID.randomUUID();

	private final UUID bob = UUID.randomUUID();

	private final UUID cid = UUID.randomUUID();

	private final UUID dan = UUID.randomUUID();

	@Test
	void reachesWhenLinksChangedBeforeTheFirstWalkThenTheWalkSeesThemAsTheyAre() {
		Map<UUID, UUID> stored = new HashMap<>(Map.of(this.bob, this.ann, this.cid, this.bob));
		ManagerGraph graph = ManagerGraph.of(stored);

		graph.put(this.cid, null);
		graph.put(this.dan, this.cid);

		assertThat(graph.reaches(this.bob, this.ann)).isTrue();
		assertThat(graph.reaches(this.dan, this.cid)).as("cid manages dan now").isTrue();
		assertThat(graph.reaches(this.dan, this.bob)).as("cid no longer reports to bob").isFalse();
		assertThat(graph.reaches(this.ann, this.bob)).isFalse();
	}

	@Test
	void reachesWhenLinksChangeBetweenWalksThenEachWalkSeesThemAsTheyAre() {
		ManagerGraph graph = ManagerGraph.of(new HashMap<>(Map.of(this.bob, this.ann)));
		assertThat(graph.reaches(this.cid, this.ann)).isFalse();

		graph.put(this.cid, this.bob);
		assertThat(graph.reaches(this.cid, this.ann)).isTrue();

		graph.put(this.bob, null);
		assertThat(graph.reaches(this.cid, this.ann)).isFalse();
		assertThat(graph.reaches(this.cid, this.bob)).isTrue();
		assertThat(graph.get(this.bob)).isNull();
		assertThat(graph.get(this.cid)).isEqualTo(this.bob);
	}

	@Test
	void reachesWhenTargetIsTheStartThenTrueWithoutAnyLink() {
		assertThat(ManagerGraph.of(new HashMap<>()).reaches(this.ann, this.ann)).isTrue();
	}

}
