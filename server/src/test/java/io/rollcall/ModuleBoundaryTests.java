package io.rollcall;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;

/** Each capability package is a module; a module sees only the top-level public types of the others. */
class ModuleBoundaryTests {

	@Test
	void modulesWhenVerifiedThenNoCyclesAndNoInternalAccess() {
		ApplicationModules.of(RollcallApplication.class).verify();
	}

}
