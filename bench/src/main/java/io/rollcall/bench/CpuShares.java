package io.rollcall.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the machine's CPU went between two readings, from Linux's /proc: the Rollcall server's process, this
 * process (the benchmark's webhook receivers, when nothing else runs in it), the server's bundled PostgreSQL (its
 * postmaster, found by the server's data directory, and every process under it), and the rest (the kernel's share
 * of loopback networking not charged to any of them, and anything else running on the machine). The PostgreSQL
 * figure holds on a busy machine too, where "the rest" does not.
 * Public for the single-file measuring program bench/write-cost/ScimWriteCost.java, run with the bench's classes.
 */
public final class CpuShares {

	/** Clock ticks a second in /proc (USER_HZ, 100 on Linux/amd64). */
	private static final double TICK_NANOS = 10_000_000;

	/** {@code childrenTicks}: this process's children that ended (a wrk run waited for), user and system. */
	public record Reading(long machineBusyTicks, long serverTicks, long postgresTicks, long benchNanos,
			long childrenTicks,
			long at) {
	}

	private CpuShares() {
	}

	public static Reading read(long serverPid) {
		return read(serverPid, serverPid);
	}

	/**
	 * With the server's CPU from {@code serverPid} and PostgreSQL's from the one Rollcall's {@code postgresOwnerPid}
	 * runs (a peer server on Rollcall's PostgreSQL).
	 */
	static Reading read(long serverPid, long postgresOwnerPid) {
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
			String self = Files.readString(Path.of("/proc/self/stat"));
			String[] own = self.substring(self.lastIndexOf(')') + 2).split(" ");
			long children = Long.parseLong(own[13]) + Long.parseLong(own[14]); // cutime, cstime
			return new Reading(busy, server, postgres(postgresOwnerPid), bench, children, System.nanoTime());
		}
		catch (IOException | RuntimeException ex) {
			return null; // not Linux, or the server is gone: the row goes without its CPU figures
		}
	}

	/**
	 * CPU ticks of the PostgreSQL the server runs: the postmaster (with its reaped children, e.g. autovacuum workers)
	 * and its live children (the connections, the writers); -1 where it cannot be found.
	 */
	private static long postgres(long serverPid) throws IOException {
		String dataDir = null;
		for (String variable : Files.readString(Path.of("/proc/" + serverPid + "/environ")).split("\0")) {
			if (variable.startsWith("ROLLCALL_DATA_DIR=")) {
				dataDir = variable.substring("ROLLCALL_DATA_DIR=".length());
			}
		}
		if (dataDir == null) {
			return -1;
		}
		java.util.Map<Long, String[]> stats = new java.util.HashMap<>();
		long postmaster = -1;
		try (var processes = Files.list(Path.of("/proc"))) {
			for (Path process : (Iterable<Path>) processes::iterator) {
				String name = process.getFileName().toString();
				if (!name.chars().allMatch(Character::isDigit)) {
					continue;
				}
				try {
					String stat = Files.readString(process.resolve("stat"));
					if (!stat.contains("(postgres)")) {
						continue;
					}
					long pid = Long.parseLong(name);
					stats.put(pid, stat.substring(stat.lastIndexOf(')') + 2).split(" "));
					String command = Files.readString(process.resolve("cmdline")).replace('\0', ' ');
					if (command.contains(" -D " + dataDir) || command.contains(dataDir + "/postgres")) {
						postmaster = postmaster == -1 ? pid : Math.min(postmaster, pid);
					}
				}
				catch (IOException | RuntimeException gone) {
					// ended while listed
				}
			}
		}
		if (postmaster == -1 || !stats.containsKey(postmaster)) {
			return -1;
		}
		String[] main = stats.get(postmaster);
		long ticks = Long.parseLong(main[11]) + Long.parseLong(main[12]) + Long.parseLong(main[13])
				+ Long.parseLong(main[14]);
		for (String[] fields : stats.values()) {
			if (Long.parseLong(fields[1]) == postmaster) { // ppid
				ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
			}
		}
		return ticks;
	}

	/**
	 * "{server} 1.2, PostgreSQL 0.5, the load generator 0.2, the rest 0.1 cores; machine 99 % busy": cores used on
	 * average between the readings; the generator is this process and its children that ended (wrk).
	 */
	static String cores(Reading from, Reading to, String server) {
		if (from == null || to == null) {
			return "CPU not measured";
		}
		double seconds = (to.at() - from.at()) / 1e9;
		double machine = (to.machineBusyTicks() - from.machineBusyTicks()) * TICK_NANOS / 1e9;
		double serving = (to.serverTicks() - from.serverTicks()) * TICK_NANOS / 1e9;
		double postgres = from.postgresTicks() < 0 || to.postgresTicks() < 0 ? 0
				: (to.postgresTicks() - from.postgresTicks()) * TICK_NANOS / 1e9;
		double generator = (to.benchNanos() - from.benchNanos()) / 1e9
				+ (to.childrenTicks() - from.childrenTicks()) * TICK_NANOS / 1e9;
		double rest = Math.max(0, machine - serving - postgres - generator);
		return String.format(
				"cores: %s %.2f, PostgreSQL %.2f, load generator %.2f, the rest %.2f; machine %.0f %% busy",
				server, serving / seconds, postgres / seconds, generator / seconds, rest / seconds,
				machine / (seconds * Runtime.getRuntime().availableProcessors()) * 100);
	}

	/**
	 * "CPU-seconds: Rollcall 12.1, PostgreSQL 19.8, machine 33.0": what the work between the readings cost, which varies
	 * less from run to run on a shared host than the time it took.
	 */
	static String seconds(Reading from, Reading to, String server) {
		if (from == null || to == null) {
			return "CPU not measured";
		}
		double machine = (to.machineBusyTicks() - from.machineBusyTicks()) * TICK_NANOS / 1e9;
		double serving = (to.serverTicks() - from.serverTicks()) * TICK_NANOS / 1e9;
		String postgres = from.postgresTicks() < 0 || to.postgresTicks() < 0 ? "?"
				: String.format("%.1f", (to.postgresTicks() - from.postgresTicks()) * TICK_NANOS / 1e9);
		return String.format("CPU-seconds: %s %.1f, PostgreSQL %s, machine %.1f", server, serving, postgres, machine);
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
		double cores = Runtime.getRuntime().availableProcessors();
		double busy = machine / ((to.at() - from.at()) * cores) * 100;
		if (from.postgresTicks() < 0 || to.postgresTicks() < 0) {
			double rest = Math.max(0, machine - server - bench);
			return String.format(
					"CPU a %s: Rollcall %.0f µs, %s %.0f µs, the rest (PostgreSQL, kernel, other) %.0f µs; "
							+ "machine %.0f %% busy",
					item, server / 1000 / items, benchProcess, bench / 1000 / items,
					rest / 1000 / items, busy);
		}
		double postgres = (to.postgresTicks() - from.postgresTicks()) * TICK_NANOS;
		double rest = Math.max(0, machine - server - bench - postgres);
		return String.format("CPU a %s: Rollcall %.0f µs, PostgreSQL %.0f µs, %s %.0f µs, the rest (kernel, other) "
				+ "%.0f µs; machine %.0f %% busy", item, server / 1000 / items, postgres / 1000 / items, benchProcess,
				bench / 1000 / items, rest / 1000 / items, busy);
	}

}
