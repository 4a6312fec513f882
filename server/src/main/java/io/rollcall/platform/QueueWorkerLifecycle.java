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

	@Override
	default boolean isRunning() {
		return worker().isRunning();
	}

}
