package io.rollcall.platform;

import java.lang.management.ManagementFactory;
import java.util.Optional;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Says in one line when the JVM was given an AOT cache (JDK 25+, {@code -XX:AOTCache}, made by {@code ./rollcall run}'s
 * training run) and could not use it: made by another JDK, or for other jars. The JVM then starts as if it had none,
 * only slower; {@code ./rollcall} silences the JVM's own four lines about it, so this is the one that says so.
 */
@Component
final class AheadOfTimeCache {

	private static final Logger log = LoggerFactory.getLogger(AheadOfTimeCache.class);

	@EventListener(ApplicationStartedEvent.class)
	void sayWhenUnused() {
		given().filter(cache -> !mapped(System.getProperty("java.vm.info", "")))
			.ifPresent(cache -> log.warn("The AOT cache {} could not be used (made by another JDK or for another jar): "
					+ "started without it, more slowly. ./rollcall run makes a new one when the jar or the JDK changes",
					cache));
	}

	/** The cache this JVM was given, if any; none on a JDK without the option (before 24). */
	static Optional<String> given() {
		try {
			String cache = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
				.getVMOption("AOTCache")
				.getValue();
			return cache.isBlank() ? Optional.empty() : Optional.of(cache);
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	/** HotSpot says "sharing" in {@code java.vm.info} when it mapped a class-data archive, the AOT cache included. */
	static boolean mapped(String vmInfo) {
		return vmInfo.contains("sharing");
	}

}
