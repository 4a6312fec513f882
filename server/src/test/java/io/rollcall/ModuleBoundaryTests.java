package io.rollcall;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;

/** Each capability package is a module; a module sees only the top-level public types of the others. */
class ModuleBoundaryTests {

	@Test
	void modulesWhenVerifiedThenNoCyclesAndNoInternalAccess() {
		// The emulators share the io.rollcall namespace but are a library the demo uses, not a module of the service.
		ApplicationModules.of(RollcallApplication.class,
				com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage("io.rollcall.emulators.."))
			.verify();
	}

}
