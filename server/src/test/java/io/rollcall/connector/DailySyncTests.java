package io.rollcall.connector;

import java.util.List;

import io.rollcall.sync.SourceKind;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("unit")
class DailySyncTests {

	@Test
	void taskWhenHandedOutThenNamedAfterTheKindAsTheSchedulerTableHasIt() {
		DailySync daily = new DailySync(
				new SourceKind("jsondirectory", "JSON directory", "A directory.", null, List.of()),
				(company, today) -> false, List::of, null, null, null);
		// Existing databases hold "{kind}-daily-sync" rows: another name would be a second task beside the old one.
		assertThat(daily.task().getName()).isEqualTo("jsondirectory-daily-sync");
	}

}
