package io.rollcall.connector;

import java.util.List;

import com.github.kagkarlsson.scheduler.task.Task;
import io.rollcall.platform.Jobs;
import io.rollcall.platform.QueueWorker;
import io.rollcall.platform.QueueWorkerLifecycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;

/**
 * A receiver's refused deliveries as a bean of the application: their catch-up's job ({@link HookCatchUp#task()}),
 * the thread that checks their senders, and a last check on the way out, once the web server has stopped and no
 * refusal can come after it.
 *
 * @param <K> what authenticates a sender
 */
public abstract class RefusedDeliveries<K> implements Jobs, QueueWorkerLifecycle {

	private static final Logger log = LoggerFactory.getLogger(RefusedDeliveries.class);

	private final HookCatchUp<K> catchUp;

	protected RefusedDeliveries(HookCatchUp<K> catchUp) {
		Assert.notNull(catchUp, "catchUp cannot be null");
		this.catchUp = catchUp;
	}

	/** Where a refusal is handed. */
	public HookCatchUp<K> catchUp() {
		return this.catchUp;
	}

	@Override
	public List<Task<?>> tasks() {
		return List.of(this.catchUp.task());
	}

	@Override
	public QueueWorker worker() {
		return this.catchUp.worker();
	}

	@Override
	public void stop() {
		worker().stop();
		try {
			this.catchUp.checkNow();
		}
		catch (RuntimeException ex) {
			log.warn("{}: the deliveries refused last could not be checked on the way out: {}",
					this.catchUp.actor().label(), ex.toString());
		}
	}

	/** Stopped after the web server (which stops at the default phase less 2048), so that no refusal comes later. */
	@Override
	public int getPhase() {
		return DEFAULT_PHASE - 4096;
	}

}
