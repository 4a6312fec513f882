package io.rollcall.support;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The processes tests start (Rollcall's jar nodes, HAProxy), stopped whatever failed: a node left running outlives the
 * test run, holding its port, its PostgreSQL connections and two cores' worth of housekeeping. A stop that is not
 * obeyed within its grace (a node whose database is down drains until its timeout) ends in SIGKILL, and what is still
 * alive when this JVM exits (a run interrupted, a fork timed out, an {@code @AfterAll} never reached) is killed then.
 */
public final class ChildProcesses {

	private static final Set<Process> ALIVE = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime()
			.addShutdownHook(new Thread(() -> ALIVE.forEach(Process::destroyForcibly), "child-processes-killed"));
	}

	private ChildProcesses() {
	}

	/** {@code process}, to be killed when this JVM exits if it is still alive then. */
	public static Process track(Process process) {
		ALIVE.add(process);
		process.onExit().thenRun(() -> ALIVE.remove(process));
		return process;
	}

	/**
	 * SIGTERM, then SIGKILL if it has not exited within {@code grace}; returns once it exited (or was killed). Never
	 * throws, so that a caller stopping several goes on to the next one; interrupted, it kills at once.
	 */
	public static void stop(Process process, Duration grace) {
		if (process == null || !process.isAlive()) {
			return;
		}
		process.destroy();
		try {
			if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				process.waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Closes each of {@code started} (nulls skipped: what was never started), whatever happened to the one before; the
	 * first failure is thrown at the end with the others suppressed. For the {@code @AfterAll} of tests that start
	 * nodes, balancers and databases, where one that fails to close must not leave the next running.
	 */
	public static void closeAll(AutoCloseable... started) throws Exception {
		Exception failed = null;
		for (AutoCloseable closeable : Arrays.asList(started)) {
			try {
				if (closeable != null) {
					closeable.close();
				}
			}
			catch (Exception ex) {
				if (failed == null) {
					failed = ex;
				}
				else {
					failed.addSuppressed(ex);
				}
			}
		}
		if (failed != null) {
			throw failed;
		}
	}

}
