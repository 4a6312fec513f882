package io.rollcall.platform;

import org.springframework.context.SmartLifecycle;

/**
 * A bean whose queue worker starts and stops with the application: the bean names its worker, Spring's lifecycle
 * does the rest (started after every bean is ready, stopped before the database is closed).
 */
public interface QueueWorkerLifecycle extends SmartLifecycle {

	/** The worker this bean owns. */
	QueueWorker worker();

	@Override
	default void start() {
		worker().start();
	}

	@Override
	default void stop() {
		worker().stop();
	}

	/**
	 * Stops on a thread of its own: the application's workers stop together, each drain given its time at once, instead
	 * of one after the other (minutes when every drain waits for an unreachable database).
	 */
	@Override
	default void stop(Runnable callback) {
		Thread.ofPlatform().name(worker().name() + "-stopping").start(() -> {
			try {
				stop();
			}
			finally {
				callback.run();
			}
		});
	}

	@Override
	default boolean isRunning() {
		return worker().isRunning();
	}

}
