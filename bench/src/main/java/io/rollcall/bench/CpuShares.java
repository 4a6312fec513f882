package io.rollcall.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the machine's CPU went between two readings, from Linux's /proc: the Rollcall server's process, this
 * process (the benchmark's webhook receivers, when nothing else runs in it), and the rest (PostgreSQL, the
 * kernel's share of loopback networking not charged to either, and anything else running on the machine).
 */
final class CpuShares {

	/** Clock ticks a second in /proc (USER_HZ, 100 on Linux/amd64). */
	private static final double TICK_NANOS = 10_000_000;

	record Reading(long machineBusyTicks, long serverTicks, long benchNanos, long at) {
	}

	private CpuShares() {
	}

	static Reading read(long serverPid) {
		try {
			String[] cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
			long busy = 0;
			for (int i = 1; i < cpu.length; i++) {
				if (i != 4 && i != 5) { // idle, iowait
					busy += Long.parseLong(cpu[i]);
				}
			}
			String stat = Files.readString(Path.of("/proc/" + serverPid + "/stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			long server = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
			long bench = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
				.getProcessCpuTime();
			return new Reading(busy, server, bench, System.nanoTime());
		}
		catch (IOException | RuntimeException ex) {
			return null; // not Linux, or the server is gone: the row goes without its CPU figures
		}
	}

	/** "server a µs, receivers b µs, the rest c µs a delivery; the machine d % busy". */
	static String perItem(Reading from, Reading to, long items, String item) {
		return perItem(from, to, items, item, "receivers");
	}

	/** @param benchProcess what this process is in the run (the webhook receivers, the load generator) */
	static String perItem(Reading from, Reading to, long items, String item, String benchProcess) {
		if (from == null || to == null || items == 0) {
			return "CPU not measured";
		}
		double machine = (to.machineBusyTicks() - from.machineBusyTicks()) * TICK_NANOS;
		double server = (to.serverTicks() - from.serverTicks()) * TICK_NANOS;
		double bench = to.benchNanos() - from.benchNanos();
		double rest = Math.max(0, machine - server - bench);
		double cores = Runtime.getRuntime().availableProcessors();
		double busy = machine / ((to.at() - from.at()) * cores) * 100;
		return String.format("CPU a %s: Rollcall %.0f µs, %s %.0f µs, the rest (PostgreSQL, kernel, other) %.0f µs; "
				+ "machine %.0f %% busy", item, server / 1000 / items, benchProcess, bench / 1000 / items, rest / 1000 / items,
				busy);
	}

}
