package io.rollcall.platform;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How a node tells whether the JVM used the AOT cache it was given. */
@Tag("unit")
class AheadOfTimeCacheTests {

	@Test
	void mappedWhenTheVmSaysSharingThenTrue() {
		assertThat(AheadOfTimeCache.mapped("mixed mode, sharing")).isTrue();
	}

	@Test
	void mappedWhenTheVmRefusedTheCacheThenFalse() {
		// What HotSpot 25 reports after "Unable to map shared spaces" for a cache of other jars.
		assertThat(AheadOfTimeCache.mapped("mixed mode")).isFalse();
	}

	@Test
	void givenWhenTheJvmHasNoCacheThenNone() {
		// The tests' JVM is started without -XX:AOTCache (and a JDK 21 has no such option at all).
		assertThat(AheadOfTimeCache.given()).isEmpty();
	}

}
