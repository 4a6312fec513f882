package io.rollcall.sync;

import java.util.UUID;

import io.rollcall.platform.ClusterNotices;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

/**
 * Makes a run's end heard on every node: what waits for it (a source's queued changes, on whichever node they were
 * queued) goes on when the run ends on another node, not at its next poll. A run's {@link SyncRunEnded} is sent as a
 * cluster notice in the transaction that stores the end, and published again on each other node as it commits.
 */
@Component
final class RunEndNotices {

	private static final String TOPIC = "sync run ended";

	/** Set while an end heard from another node is published here, so that it is not sent back out. */
	private static final ThreadLocal<Boolean> HEARD = new ThreadLocal<>();

	private final ClusterNotices notices;

	RunEndNotices(ClusterNotices notices, ApplicationEventPublisher events) {
		Assert.notNull(notices, "notices cannot be null");
		Assert.notNull(events, "events cannot be null");
		this.notices = notices;
		notices.listen(TOPIC, new ClusterNotices.Listener() {

			@Override
			public void noticed(String message, boolean fromThisNode) {
				if (!fromThisNode) {
					HEARD.set(true);
					try {
						events.publishEvent(parse(message));
					}
					finally {
						HEARD.remove();
					}
				}
			}

			@Override
			public void mayHaveMissed() {
				// No run to name: queued changes wait at most for their worker's fallback poll (5 s unless set).
			}

		});
	}

	@EventListener
	void on(SyncRunEnded ended) {
		if (HEARD.get() == null) {
			this.notices.send(TOPIC, format(ended));
		}
	}

	static String format(SyncRunEnded ended) {
		return ended.runId() + " " + ended.companyId() + " " + ended.status().value() + " " + ended.source();
	}

	static SyncRunEnded parse(String message) {
		String[] parts = message.split(" ", 4);
		return new SyncRunEnded(UUID.fromString(parts[0]), UUID.fromString(parts[1]), parts[3],
				RunStatus.of(parts[2]));
	}

}
