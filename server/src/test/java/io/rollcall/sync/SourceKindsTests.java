package io.rollcall.sync;

import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@Tag("unit")
class SourceKindsTests {

	private static final SourceKind FILE = new SourceKind("csv", "CSV import", "A file.", "/console/integrations/csv",
			List.of());

	private static final SourceKind DIRECTORY = new SourceKind("jsondirectory", "JSON directory", "A directory.",
			"/console/integrations/jsondirectory", List.of());

	@Test
	void allWhenRegisteredThenInTheirBeansOrder() {
		assertThat(new SourceKinds(List.of(FILE, DIRECTORY)).all()).containsExactly(FILE, DIRECTORY);
	}

	@Test
	void nameWhenKindRegisteredThenItsNameElseTheKindItself() {
		SourceKinds kinds = new SourceKinds(List.of(FILE, DIRECTORY));
		assertThat(kinds.name("jsondirectory")).isEqualTo("JSON directory");
		// A run of a source the service no longer has still shows what it was.
		assertThat(kinds.name("gone")).isEqualTo("gone");
		assertThat(kinds.find(null)).isEmpty();
	}

	@Test
	void kindsWhenOneRegisteredTwiceThenRefusedAtStart() {
		assertThatIllegalStateException().isThrownBy(() -> new SourceKinds(List.of(FILE, FILE)));
	}

	@Test
	void sourceKindWhenNameMissingThenRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SourceKind("hr", " ", "An HR system.", null, List.of()));
	}

}
