package io.rollcall.platform;

import java.util.Objects;
import java.util.function.Supplier;

import com.github.kagkarlsson.scheduler.Scheduler;

/**
 * A db-scheduler {@link Scheduler} that can be started again after a stop, as a Spring lifecycle bean must (Spring
 * Framework 7 stops a cached test context's beans while another context runs and starts them again later). A stopped
 * db-scheduler cannot start again, so each stop builds a fresh one; jobs queued while stopped go into the table
 * through it and run on the next start. The first is built when first needed, not when this is made, so that what it
 * is built from may itself need this.
 */
final class RestartableScheduler {

	private final Supplier<Scheduler> build;

	private volatile Scheduler scheduler;

	private volatile boolean running;

	/** Held: started or not, it picks no execution (what it runs already goes on). Kept across restarts. */
	private volatile boolean held;

	RestartableScheduler(Supplier<Scheduler> build) {
		this.build = Objects.requireNonNull(build, "build cannot be null");
	}

	/** The scheduler to queue jobs with, started or not (while one stops, the one stopping). */
	Scheduler current() {
		Scheduler current = this.scheduler;
		return (current != null) ? current : first();
	}

	private synchronized Scheduler first() {
		if (this.scheduler == null) {
			this.scheduler = this.build.get();
		}
		return this.scheduler;
	}

	/** @return whether this call started it (false when it was running already) */
	synchronized boolean start() {
		if (this.running) {
			return false;
		}
		Scheduler current = current();
		if (this.held) {
			current.pause(); // before it starts polling
		}
		current.start();
		this.running = true;
		return true;
	}

	synchronized void stop() {
		if (!this.running) {
			return;
		}
		this.scheduler.stop();
		this.scheduler = this.build.get();
		this.running = false;
	}

	/** Holds it (no execution picked) or lets it go on picking. */
	synchronized void hold(boolean held) {
		this.held = held;
		Scheduler current = this.scheduler;
		if (current != null) {
			if (held) {
				current.pause();
			}
			else {
				current.resume();
			}
		}
	}

	boolean isRunning() {
		return this.running;
	}

}
